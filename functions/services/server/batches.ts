import { nextFleetStep } from "../../domain/fleet/index.js";
import type { BatchResult, FleetState } from "./state.js";

export type NextBatch = { action: "deploy"; batch: string[]; batchNumber: number } | { action: "succeed" } | { action: "fail"; error: string; cause: string };

/**
 * Folds the last batch's outcomes into the fleet and decides the next move (domain/fleet nextFleetStep): the next
 * batch of instances in order, success, or HEALTH_CONSTRAINTS. Unreachable instances were counted failed at start.
 */
export function nextServerBatch(fleet: FleetState, last?: BatchResult): { fleet: FleetState; next: NextBatch } {
  const updated = foldBatch(fleet, last);
  const step = nextFleetStep({ instances: updated.total, minHealthy: updated.minHealthy, succeeded: updated.succeeded, failed: updated.failed });
  if (step.action === "succeed") return { fleet: updated, next: { action: "succeed" } };
  if (step.action === "fail") return { fleet: updated, next: { action: "fail", error: step.error.name, cause: step.error.message } };
  const batch = updated.instances.slice(updated.cursor, updated.cursor + step.size);
  return { fleet: { ...updated, cursor: updated.cursor + batch.length, batches: updated.batches + 1 }, next: { action: "deploy", batch, batchNumber: updated.batches + 1 } };
}

/** The fleet with the last batch's instances counted (the cursor stays: it moved when the batch was picked). */
export function foldBatch(fleet: FleetState, last?: BatchResult): FleetState {
  const outcomes = last?.outcomes ?? [];
  return {
    ...fleet,
    succeeded: fleet.succeeded + outcomes.filter((o) => o.status === "Succeeded").length,
    failed: fleet.failed + outcomes.filter((o) => o.status === "Failed").length,
  };
}
