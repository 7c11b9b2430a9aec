import { type CloseUnstartedEvent, closeUnstarted } from "../services/close-unstarted.js";
import { type Deps, realDeps } from "../wiring.js";

/** A deployment refused or stopped before it moved traffic: record it, leave the queue, hand the lock on. */
export function createHandler(deps: Pick<Deps, "registry" | "callbacks" | "stepFunctions" | "log">) {
  return (event: CloseUnstartedEvent) => closeUnstarted(deps, event);
}

export const handler = createHandler(realDeps());
