import { type ShiftEvent, shiftTraffic } from "../services/shift.js";
import { type Deps, realDeps } from "../wiring.js";

/** One traffic step: decide the move, check the alarms, write the weight with the last revision, verify it, return the cursor. */
export function createHandler(deps: Pick<Deps, "registry" | "alarms" | "lambda" | "loadBalancer" | "log">) {
  return (event: ShiftEvent) => shiftTraffic(deps, event);
}

export const handler = createHandler(realDeps());
