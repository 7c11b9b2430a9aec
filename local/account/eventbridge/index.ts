import type { ServiceDefinition } from "../shared/service.js";
import { EventBridgeApi } from "./api.js";
import { EventBridgeWorld } from "./world.js";

/**
 * EventBridge: buses, PutEvents, and rules with in-process targets that receive PutEvents entries
 * and the events the other services emit (awsJson1_1). Setup: `"eventBuses": ["stepdeploy-dev"]`
 * (`default` always exists).
 */
export const eventBridge: ServiceDefinition<"eventbridge", EventBridgeWorld> = {
  name: "eventbridge",
  create(ctx) {
    const world = new EventBridgeWorld(ctx.clock, ctx.ids, ctx.region, ctx.accountId, {
      reactions: ctx.reactions,
      onDeliveryFailure: (d) => ctx.log("delivery", `rule ${d.rule} target failed on ${d.detailType} ${d.eventId}: ${d.error}`, d.finishedAtSeconds),
    });
    return {
      world,
      api: new EventBridgeApi(world),
      setup: {
        keys: ["eventBuses"],
        parse(setup, c) {
          const names: string[] = [];
          c.array(setup.eventBuses, "account.eventBuses").forEach((b, i) => {
            if (typeof b !== "string" || !/^[/.\-_A-Za-z0-9]{1,256}$/.test(b)) c.fail(`account.eventBuses[${i}]`, "must be an event bus name ([/.-_A-Za-z0-9]+)");
            else if (world.bus(b) || names.includes(b)) c.fail(`account.eventBuses[${i}]`, `${b} already exists`);
            else names.push(b);
          });
          return () => {
            for (const b of names) world.createBus(b);
          };
        },
      },
    };
  },
};
