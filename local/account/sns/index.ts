import type { ServiceDefinition } from "../shared/service.js";
import { SnsApi } from "./api.js";
import { snsSetup } from "./setup.js";
import { SnsWorld } from "./world.js";

/** SNS: topics and Publish (awsQuery, XML), for deployment group triggers. */
export const sns: ServiceDefinition<"sns", SnsWorld> = {
  name: "sns",
  create(ctx) {
    const world = new SnsWorld(ctx.clock, ctx.region, ctx.accountId);
    return { world, api: new SnsApi(world, () => ctx.ids.uuid(), () => ctx.ids.uuid()), setup: snsSetup(world) };
  },
};

/** The SNS world of a simulated account (its observation: `published`). */
export function snsWorldOf(account: { services: ReadonlyMap<string, { world: unknown }> }): SnsWorld {
  return account.services.get("sns")?.world as SnsWorld;
}
