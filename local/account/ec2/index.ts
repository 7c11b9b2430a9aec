import type { ServiceDefinition } from "../shared/service.js";
import type { SsmWorld } from "../ssm/world.js";
import { Ec2Api } from "./api.js";
import { ec2Setup, ec2Timeline } from "./setup.js";
import { Ec2World } from "./world.js";

/**
 * EC2: instances with tags and states in simulated time (pending, running, shutting-down, terminated), DescribeInstances
 * and TerminateInstances, launch templates for Auto Scaling (ec2Query, XML). The SSM setup's `i-` nodes are its instances.
 * Timeline `{atSeconds, launchTemplate, behaviour}`: a new template version whose launches behave so.
 */
export const ec2: ServiceDefinition<"ec2", Ec2World> = {
  name: "ec2",
  create(ctx) {
    const world = new Ec2World(ctx.clock, () => ctx.world<SsmWorld>("ssm"));
    return { world, api: new Ec2Api(world, () => ctx.ids.uuid()), setup: ec2Setup(world), timeline: ec2Timeline(world) };
  },
};

export function ec2WorldOf(account: { services: ReadonlyMap<string, { world: unknown }> }): Ec2World {
  return account.services.get("ec2")?.world as Ec2World;
}
