import { type StartServerDeps, startServerDeployment } from "../services/server/start.js";
import { realDeps } from "../wiring.js";

/** Check an EC2/on-premises deployment before anything runs: input, revision bundle and appspec, fleet, batches. */
export function createHandler(deps: StartServerDeps) {
  return (event: unknown) => startServerDeployment(deps, event);
}

export const handler = createHandler(realDeps());
