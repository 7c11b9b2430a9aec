import type { EcrWorld } from "../ecr/world.js";
import type { ServiceDefinition } from "../shared/service.js";
import { LambdaApi } from "./api.js";
import { lambdaSetup } from "./setup.js";
import { lambdaTimeline } from "./timeline.js";
import { LambdaWorld } from "./world.js";

/** Lambda: functions, versions, aliases with weighted routing, code updates, Invoke of scripted functions (restJson1). */
export const lambda: ServiceDefinition<"lambda", LambdaWorld> = {
  name: "lambda",
  create(ctx) {
    const world = new LambdaWorld({ ...ctx, images: { resolve: (uri) => ctx.world<EcrWorld>("ecr").resolve(uri) } });
    return { world, api: new LambdaApi(world, () => ctx.ids.uuid()), setup: lambdaSetup(world), timeline: lambdaTimeline(world) };
  },
};
