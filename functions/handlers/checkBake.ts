import { type BakeCheckEvent, checkBake } from "../services/bake-watcher.js";
import { type Deps, realDeps } from "../wiring.js";

/** One check of the bake watcher (alarm polling, metric gates): answer the Bake's token when something is wrong or the bake is over. */
export function createHandler(deps: Pick<Deps, "registry" | "callbacks" | "stepFunctions" | "alarms" | "metrics" | "clock" | "log" | "config">) {
  return (event: BakeCheckEvent) => checkBake(deps, event);
}

export const handler = createHandler(realDeps());
