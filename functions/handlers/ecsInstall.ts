import type { EcsDeployment } from "../domain/ecs/deployment.js";
import { install } from "../services/ecs/steps.js";
import { type Deps, realDeps } from "../wiring.js";

/** Install: green joins the production route at weight 0, then CreateTaskSet at 100% on green; returns the task set and the start time. */
export function createHandler(deps: Pick<Deps, "loadBalancer" | "ecs" | "clock" | "log">) {
  return (event: { deployment: EcsDeployment }) => install(deps, event);
}

export const handler = createHandler(realDeps());
