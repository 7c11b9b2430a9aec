import type { EcsDeployment } from "../domain/ecs/deployment.js";
import { allowTestTraffic } from "../services/ecs/steps.js";
import { type Deps, realDeps } from "../wiring.js";

/** AllowTestTraffic: the test listener or rule forwards everything to the replacement, read back. */
export function createHandler(deps: Pick<Deps, "loadBalancer" | "ecs" | "clock" | "log">) {
  return (event: { deployment: EcsDeployment }) => allowTestTraffic(deps, event);
}

export const handler = createHandler(realDeps());
