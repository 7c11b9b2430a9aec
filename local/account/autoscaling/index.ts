import type { Ec2World } from "../ec2/world.js";
import type { ServiceDefinition } from "../shared/service.js";
import { AutoScalingApi } from "./api.js";
import { autoScalingSetup, autoScalingTimeline } from "./setup.js";
import { AutoScalingWorld } from "./world.js";

/**
 * Amazon EC2 Auto Scaling: groups from a launch template keeping their desired capacity with the simulated EC2's
 * instances (Pending, InService, Terminating), Create/Update/Delete (ForceDelete) and DescribeAutoScalingGroups (awsQuery);
 * "EC2 Instance Launch Successful" on the default bus when a launched instance is InService; timeline
 * `{atSeconds, autoScaling: <group>, desiredCapacity}` scales a group.
 */
export const autoScaling: ServiceDefinition<"autoscaling", AutoScalingWorld> = {
  name: "autoscaling",
  create(ctx) {
    const world = new AutoScalingWorld(ctx.clock, () => ctx.world<Ec2World>("ec2"), ctx.region, ctx.accountId, (e) => ctx.emit(e));
    return { world, api: new AutoScalingApi(world, () => ctx.ids.uuid()), setup: autoScalingSetup(world), timeline: autoScalingTimeline(world) };
  },
};

export function autoScalingWorldOf(account: { services: ReadonlyMap<string, { world: unknown }> }): AutoScalingWorld {
  return account.services.get("autoscaling")?.world as AutoScalingWorld;
}
