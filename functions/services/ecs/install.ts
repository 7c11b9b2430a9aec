import type { EcsTarget } from "../../domain/ecs/target.js";
import { routeArn } from "../../domain/ecs/target.js";
import type { EcsServicePort, TaskSetState } from "../../ports/ecs-service.js";
import type { LoadBalancerPort } from "../../ports/load-balancer.js";
import type { ListenerWeightsTarget, RouteReading } from "../routers/listener-weights.js";
import { listenerWeightsRouter } from "../routers/listener-weights.js";
import type { EcsPlan } from "./plan.js";

/**
 * Install: the green target group joins the production route at weight 0 (no traffic moves; what
 * CodeDeploy leaves after every deployment, and what makes the load balancer health-check the
 * replacement's targets, and ECS accept the group), then CreateTaskSet at 100% on green. Both steps are
 * safe to retry: the route write is skipped when it already stands, and the client token returns the
 * same task set.
 */
export async function installReplacement(deps: { loadBalancer: LoadBalancerPort; ecs: EcsServicePort }, args: { target: EcsTarget; plan: Pick<EcsPlan, "blue" | "green" | "prodRevision" | "createTaskSet">; config: string }): Promise<{ taskSet: TaskSetState; prod: RouteReading }> {
  const prodTarget: ListenerWeightsTarget = { kind: "listener-weights", routeArn: routeArn(args.target.prodTrafficRoute), blue: args.plan.blue, green: args.plan.green, config: args.config };
  const prod = await listenerWeightsRouter(deps.loadBalancer).setWeight(prodTarget, 0, args.plan.prodRevision);
  const taskSet = await deps.ecs.createTaskSet(args.plan.createTaskSet);
  return { taskSet, prod };
}
