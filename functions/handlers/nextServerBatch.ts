import { nextServerBatch } from "../services/server/batches.js";
import type { BatchResult, FleetState } from "../services/server/state.js";

/** Fold the last batch into the fleet and pick the next batch, success, or HEALTH_CONSTRAINTS (pure: no ports). */
export function createHandler() {
  return async (event: { fleet: FleetState; lastBatch?: BatchResult }) => nextServerBatch(event.fleet, event.lastBatch);
}

export const handler = createHandler();
