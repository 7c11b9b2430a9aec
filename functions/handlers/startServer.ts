import { type ServerStartEvent, type StartServerDeps, startServerDeployment } from "../services/server/start.js";
import { realDeps } from "../wiring.js";

/** Record a server deployment and take its group's lock, then check it: input, revision bundle and appspec, fleet, batches. */
export function createHandler(deps: StartServerDeps) {
  return (event: ServerStartEvent) => startServerDeployment(deps, event);
}

export const handler = createHandler(realDeps());
