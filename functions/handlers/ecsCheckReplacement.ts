import type { EcsDeployment } from "../domain/ecs/deployment.js";
import { checkReplacement, type Installed } from "../services/ecs/steps.js";
import { type Deps, realDeps } from "../wiring.js";

/** One look at the replacement task set: ready, or seconds until the next look; past the install timeout, Deploy.ReplacementUnhealthy. */
export function createHandler(deps: Pick<Deps, "loadBalancer" | "ecs" | "clock" | "log">) {
  return (event: { deployment: EcsDeployment; install: Installed }) => checkReplacement(deps, event);
}

export const handler = createHandler(realDeps());
