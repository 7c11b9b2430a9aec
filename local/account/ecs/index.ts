import type { Elbv2World } from "../elbv2/world.js";
import type { ServiceDefinition } from "../shared/service.js";
import { EcsApi } from "./api.js";
import { ecsSetup } from "./setup.js";
import { ecsTimeline } from "./timeline.js";
import { EcsWorld } from "./world.js";

/**
 * ECS: clusters, services (EXTERNAL task sets; the ECS controller's rolling UpdateService), task definitions, task sets with
 * scale and stability, their tasks registered in the load balancer's target groups (awsJson1_1).
 */
export const ecs: ServiceDefinition<"ecs", EcsWorld> = {
  name: "ecs",
  create(ctx) {
    const elbv2 = () => ctx.world<Elbv2World>("elbv2");
    const world = new EcsWorld(ctx.clock, ctx.region, ctx.accountId, elbv2);
    return { world, api: new EcsApi(world, elbv2, ctx.clock), setup: ecsSetup(world, elbv2), timeline: ecsTimeline(world) };
  },
};

/** The ECS world of a simulated account (its observations: task sets, tasks, taskSetHistory). */
export function ecsWorldOf(account: { services: ReadonlyMap<string, { world: unknown }> }): EcsWorld {
  return account.services.get("ecs")?.world as EcsWorld;
}
