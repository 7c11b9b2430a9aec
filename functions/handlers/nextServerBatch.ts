import { type AdvanceDeps, type AdvanceEvent, advanceServerDeployment } from "../services/server/advance.js";
import { realDeps } from "../wiring.js";

/** Count the last batch, apply a stop request, check the alarms, then pick the next batch, success or HEALTH_CONSTRAINTS. */
export function createHandler(deps: AdvanceDeps) {
  return (event: AdvanceEvent) => advanceServerDeployment(deps, event);
}

export const handler = createHandler(realDeps());
