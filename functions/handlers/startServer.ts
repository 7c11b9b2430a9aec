import { startServerDeployment } from "../services/server/start.js";
import { type Deps, realDeps } from "../wiring.js";

/** Check an EC2/on-premises deployment before anything runs: input, revision bundle and appspec, fleet, batches. */
export function createHandler(deps: Pick<Deps, "bundles" | "runCommand" | "log">) {
  return (event: unknown) => startServerDeployment(deps, event);
}

export const handler = createHandler(realDeps());
