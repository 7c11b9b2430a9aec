import type { WeightedTargetGroup } from "../../../functions/domain/ecs/weights.js";
import { ErrorNames, StepDeployError } from "../../../functions/domain/errors.js";
import type { LoadBalancerPort, RouteForward, TargetGroupInfo, TargetHealthEntry } from "../../../functions/ports/load-balancer.js";

/** Listeners/rules and target groups in memory. A missing route or target group throws Deploy.ResourceNotFound as the adapter does. */
export class FakeLoadBalancer implements LoadBalancerPort {
  readonly routes = new Map<string, WeightedTargetGroup[]>();
  /** Target group name -> ARN. */
  readonly targetGroups = new Map<string, string>();
  readonly health = new Map<string, TargetHealthEntry[]>();
  readonly writes: { arn: string; targetGroups: WeightedTargetGroup[] }[] = [];

  private route(arn: string): RouteForward {
    const groups = this.routes.get(arn);
    if (!groups) throw new StepDeployError(ErrorNames.ResourceNotFound, `no listener or rule ${arn}`);
    return { arn, kind: arn.includes(":listener-rule/") ? "rule" : "listener", loadBalancer: arn.includes("/net/") ? "network" : "application", targetGroups: groups.map((g) => ({ ...g })) };
  }

  async readRoute(arn: string): Promise<RouteForward> {
    return this.route(arn);
  }

  async writeRoute(arn: string, targetGroups: WeightedTargetGroup[]): Promise<RouteForward> {
    this.route(arn);
    this.routes.set(arn, targetGroups.map((g) => ({ ...g })));
    this.writes.push({ arn, targetGroups });
    return this.route(arn);
  }

  async targetGroupArns(namesOrArns: string[]): Promise<string[]> {
    return namesOrArns.map((n) => {
      const arn = n.startsWith("arn:") ? n : this.targetGroups.get(n);
      if (!arn) throw new StepDeployError(ErrorNames.ResourceNotFound, `target group ${n} not found`);
      return arn;
    });
  }

  async targetHealth(targetGroupArn: string): Promise<TargetHealthEntry[]> {
    return this.health.get(targetGroupArn) ?? [];
  }

  /** Target group ARN -> target type, when not `instance`. */
  readonly targetTypes = new Map<string, string>();
  /** Register/deregister calls in order: `+<tg arn> <ids>` / `-<tg arn> <ids>`. */
  readonly registrations: string[] = [];

  async describeTargetGroups(namesOrArns: string[]): Promise<TargetGroupInfo[]> {
    const arns = await this.targetGroupArns(namesOrArns);
    return arns.map((arn) => ({ arn, name: arn.split("/")[1] ?? arn, targetType: this.targetTypes.get(arn) ?? "instance", healthCheck: { intervalSeconds: 30, healthyThresholdCount: 5 } }));
  }

  async deregistrationDelay(_targetGroupArn: string): Promise<number> {
    return 300;
  }

  async registerInstances(targetGroupArn: string, instanceIds: string[]): Promise<void> {
    this.registrations.push(`+${targetGroupArn} ${instanceIds.join(",")}`);
  }

  async deregisterInstances(targetGroupArn: string, instanceIds: string[]): Promise<void> {
    this.registrations.push(`-${targetGroupArn} ${instanceIds.join(",")}`);
  }
}
