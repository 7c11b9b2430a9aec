import { type OpenBakeEvent, openBake } from "../services/bake.js";
import { type Deps, realDeps } from "../wiring.js";

/** Bake (a `.waitForTaskToken` task timed out by the bake): store the token and its alarm watches, start the bake watcher when needed. */
export function createHandler(deps: Pick<Deps, "registry" | "callbacks" | "stepFunctions" | "alarms" | "clock" | "log" | "config">) {
  return (event: OpenBakeEvent) => openBake(deps, event);
}

export const handler = createHandler(realDeps());
