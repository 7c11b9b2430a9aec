import { type FinalizeEvent, finalize } from "../services/finalize.js";
import { type Deps, realDeps } from "../wiring.js";

/** Record the final status, release the target's lock and wake the next deployment in line. */
export function createHandler(deps: Pick<Deps, "registry" | "callbacks" | "stepFunctions" | "log">) {
  return (event: FinalizeEvent) => finalize(deps, event);
}

export const handler = createHandler(realDeps());
