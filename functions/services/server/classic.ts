import type { DeploymentTargetGroup } from "../../domain/fleet/traffic.js";
import type { Deps } from "../../wiring.js";

/**
 * The deployment group's Classic Load Balancers (`elbInfoList`), before any instance is touched: an unknown name is
 * `Deploy.ResourceNotFound` (DescribeLoadBalancers' LoadBalancerNotFound). Each becomes a traffic target of the batch
 * workflow's BlockTraffic/AllowTraffic, like a target group: its ConnectionDraining timeout times the drain wait (0 when
 * draining is off), health check interval x healthy threshold the wait for InService.
 */
export async function resolveClassicLoadBalancers(deps: Pick<Deps, "classicLoadBalancer">, names: string[]): Promise<DeploymentTargetGroup[]> {
  if (names.length === 0) return [];
  const found = await deps.classicLoadBalancer.describe(names);
  return found.map((lb) => ({ arn: lb.name, name: lb.name, classic: true, drainSeconds: lb.drainSeconds, healthySeconds: lb.healthCheck.intervalSeconds * lb.healthCheck.healthyThreshold }));
}
