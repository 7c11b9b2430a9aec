import type { ServiceDefinition } from "../shared/service.js";
import { Elbv2Api } from "./api.js";
import { elbv2Setup } from "./setup.js";
import { elbv2Timeline } from "./timeline.js";
import { Elbv2World } from "./world.js";

/**
 * ELBv2: Application and Network Load Balancers, listeners, rules, target groups, targets and their
 * health in simulated time, weighted forward actions with ELBv2's refusals (awsQuery, XML).
 */
export const elbv2: ServiceDefinition<"elbv2", Elbv2World> = {
  name: "elbv2",
  create(ctx) {
    const world = new Elbv2World(ctx.clock, ctx.region, ctx.accountId);
    return { world, api: new Elbv2Api(world, () => ctx.ids.uuid()), setup: elbv2Setup(world), timeline: elbv2Timeline(world) };
  },
};

/** The ELBv2 world of a simulated account (its observations: forwardHistory, weightsAt, health). */
export function elbv2WorldOf(account: { services: ReadonlyMap<string, { world: unknown }> }): Elbv2World {
  return account.services.get("elbv2")?.world as Elbv2World;
}
