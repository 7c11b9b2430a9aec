import type { EcsDeployment } from "../domain/ecs/deployment.js";
import { cleanUp } from "../services/ecs/finish.js";
import type { Installed } from "../services/ecs/steps.js";
import { type Deps, realDeps } from "../wiring.js";

/** After the termination wait: UpdateServicePrimaryTaskSet to the replacement, DeleteTaskSet of the original. */
export function createHandler(deps: Pick<Deps, "loadBalancer" | "ecs" | "log">) {
  return (event: { deployment: EcsDeployment; install: Installed }) => cleanUp(deps, event);
}

export const handler = createHandler(realDeps());
