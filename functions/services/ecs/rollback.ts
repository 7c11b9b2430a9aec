import { routeArn } from "../../domain/ecs/target.js";
import type { EcsTarget } from "../../domain/ecs/target.js";
import type { Pair } from "../../domain/ecs/weights.js";
import type { EcsServicePort } from "../../ports/ecs-service.js";
import type { LoadBalancerPort } from "../../ports/load-balancer.js";
import { type ListenerWeightsTarget, type RouteRestore, listenerWeightsRouter } from "../routers/listener-weights.js";

/**
 * An ECS rollback, at any point after Install: "CodeDeploy implements rollbacks by rerouting traffic from
 * the replacement task set to the original task set" (UG deployment-steps-ecs). The production route and
 * the test route go back to `{blue: 100, green: 0}`, one call each (a route another writer changed is left
 * alone and reported); the replacement task set is deleted; the PRIMARY task set never changed. A route
 * that cannot be restored keeps the replacement running, so no request is routed to a target group
 * without tasks.
 */
export interface EcsRollbackResult {
  prod: RouteRestore;
  test?: RouteRestore;
  replacementDeleted: boolean;
}

export async function rollBackEcs(
  deps: { loadBalancer: LoadBalancerPort; ecs: EcsServicePort },
  args: { target: EcsTarget; pair: Pair; config: string; prodRevision: string; testRevision?: string; ownWeights: number[]; replacement?: string },
): Promise<EcsRollbackResult> {
  const router = listenerWeightsRouter(deps.loadBalancer);
  const route = (arn: string): ListenerWeightsTarget => ({ kind: "listener-weights", routeArn: arn, ...args.pair, config: args.config });
  const prod = await router.restore(route(routeArn(args.target.prodTrafficRoute)), args.prodRevision, args.ownWeights);
  const test = args.target.testTrafficRoute ? await router.restore(route(routeArn(args.target.testTrafficRoute)), args.testRevision ?? "", [100]) : undefined;
  const restored = prod.restored && (test?.restored ?? true);
  if (restored && args.replacement) await deps.ecs.deleteTaskSet(args.target.cluster, args.target.service, args.replacement);
  return { prod, ...(test ? { test } : {}), replacementDeleted: restored && Boolean(args.replacement) };
}
