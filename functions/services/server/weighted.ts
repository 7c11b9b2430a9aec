import type { ServerDeploymentInput } from "../../domain/fleet/input.js";
import type { DeploymentTargetGroup, TrafficEvent } from "../../domain/fleet/traffic.js";
import { prepareWeighted, type ServerWeighted } from "../../domain/fleet/weighted.js";
import { routeArn } from "../../domain/ecs/target.js";
import { placementOfArn } from "../../domain/traffic/target.js";
import { listenerWeightsRouter } from "../routers/listener-weights.js";
import type { Deps } from "../../wiring.js";
import type { DeploymentContext } from "./state.js";

/**
 * Start of a weighted blue/green reroute (docs/ec2.md#weighted): reads the production route (DescribeListeners or
 * DescribeRules) and decides the steps; a route that does not send everything to the first target group is refused
 * before any instance is touched. Blue is `targetGroups[0]`, green `targetGroups[1]`.
 */
export async function startWeighted(deps: Pick<Deps, "loadBalancer">, input: ServerDeploymentInput, targetGroups: (DeploymentTargetGroup & { loadBalancerArns?: string[] })[], executionArn: string): Promise<ServerWeighted | undefined> {
  const routing = input.blueGreen?.trafficRouting;
  if (!routing) return undefined;
  const [blue, green] = targetGroups.map((t) => t.arn);
  const route = await deps.loadBalancer.readRoute(routeArn(routing.prodTrafficRoute));
  const where = placementOfArn(executionArn);
  // What DescribeTargetGroups said at Start: both groups must belong to the route's load balancer.
  const loadBalancers = Object.fromEntries(targetGroups.map((t) => [t.arn, t.loadBalancerArns ?? []]));
  return prepareWeighted({
    deploymentId: input.deploymentId,
    routing,
    pair: { blue: blue as string, green: green as string },
    loadBalancers,
    group: `${input.application}/${input.deploymentGroup}`,
    forward: route.targetGroups,
    alarms: input.alarms,
    ignorePollAlarmFailure: input.ignorePollAlarmFailure,
    where,
  });
}

/**
 * The target groups a traffic event moves instances in: all of the deployment's, except in a weighted reroute, where
 * green instances join only the green group (AllowTraffic) and the originals leave only the blue one (BlockTraffic).
 */
export function trafficGroupsFor(deployment: Pick<DeploymentContext, "targetGroups" | "weighted">, event: TrafficEvent): DeploymentTargetGroup[] {
  const all = deployment.targetGroups ?? [];
  if (!deployment.weighted) return all;
  const arn = event === "AllowTraffic" ? deployment.weighted.green : deployment.weighted.blue;
  return all.filter((t) => t.arn === arn);
}

/**
 * Before green's AllowTraffic in a weighted reroute: the route forwards `{blue: 100, green: 0}` (no traffic moves), so
 * the load balancer health-checks the green group: ELBv2 reports the targets of a group no listener uses as `unused`
 * (Target.NotInUse), never `healthy`. As ECS blue/green's Install does; written only over the route Start read.
 */
export async function joinGreenAtZero(deps: Pick<Deps, "loadBalancer">, deployment: Pick<DeploymentContext, "weighted">, event: TrafficEvent): Promise<void> {
  const w = deployment.weighted;
  if (!w || event !== "AllowTraffic") return;
  await listenerWeightsRouter(deps.loadBalancer).setWeight({ kind: "listener-weights", routeArn: w.routeArn, blue: w.blue, green: w.green, config: w.config }, 0, w.revision);
}

/** What the janitor needs to put the route back on blue if the execution dies (services/server/janitor.ts). */
export function routeView(w: ServerWeighted): { routeArn: string; blue: string; green: string; config: string } {
  const { routeArn: arn, blue, green, config } = w.deployment.target;
  return { routeArn: arn, blue, green, config };
}

/** Rollback of a weighted reroute: the route back to 100% blue (never over another writer's change). */
export async function restoreWeighted(deps: Pick<Deps, "loadBalancer">, w: ServerWeighted): Promise<string> {
  const r = await listenerWeightsRouter(deps.loadBalancer).restore(w.deployment.target, w.cursor.revision, w.plan.steps.map((s) => s.weight));
  return r.restored ? `${w.deployment.target.routeArn} back to 100% on blue` : `${w.deployment.target.routeArn} not restored: ${r.reason}`;
}
