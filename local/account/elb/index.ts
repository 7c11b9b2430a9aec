import type { Ec2World } from "../ec2/world.js";
import type { ServiceDefinition } from "../shared/service.js";
import { ElbApi } from "./api.js";
import { elbSetup } from "./setup.js";
import { ClassicElbWorld } from "./world.js";

/**
 * Elastic Load Balancing 2012-06-01: Classic Load Balancers with registered EC2 instances, their health in simulated
 * time and connection draining (awsQuery, XML), as an EC2/on-premises deployment's BlockTraffic/AllowTraffic uses them.
 */
export const elb: ServiceDefinition<"elb", ClassicElbWorld> = {
  name: "elb",
  create(ctx) {
    const world = new ClassicElbWorld(ctx.clock, () => ctx.world<Ec2World>("ec2"));
    return { world, api: new ElbApi(world, () => ctx.ids.uuid()), setup: elbSetup(world) };
  },
};

export function elbWorldOf(account: { services: ReadonlyMap<string, { world: unknown }> }): ClassicElbWorld {
  return account.services.get("elb")?.world as ClassicElbWorld;
}
