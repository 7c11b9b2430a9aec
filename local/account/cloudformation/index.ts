import type { ServiceDefinition } from "../shared/service.js";
import { CloudFormationApi } from "./api.js";
import { cloudFormationSetup } from "./setup.js";
import { CloudFormationWorld } from "./world.js";

/** CloudFormation: stacks and change sets whose operations unfold on the SimClock (awsQuery, XML), for pipelines' CloudFormation actions. */
export const cloudFormation: ServiceDefinition<"cloudformation", CloudFormationWorld> = {
  name: "cloudformation",
  create(ctx) {
    const world = new CloudFormationWorld(ctx.clock, ctx.region, ctx.accountId);
    return { world, api: new CloudFormationApi(world, (s) => ctx.msAt(s), () => ctx.ids.uuid()), setup: cloudFormationSetup(world) };
  },
};

/** The CloudFormation world of a simulated account (its observations: stacks, their events and outputs). */
export function cloudFormationWorldOf(account: { services: ReadonlyMap<string, { world: unknown }> }): CloudFormationWorld | undefined {
  return account.services.get("cloudformation")?.world as CloudFormationWorld | undefined;
}
