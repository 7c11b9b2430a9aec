import { nextFleetStep } from "../../domain/fleet/index.js";
import type { ServerPhase } from "../../domain/server-install/index.js";
import type { BatchResult, FleetState } from "./state.js";

/**
 * NextBatch's decision: a batch (of `phase`), success, failure; a blue/green deployment also waits for its copied
 * group's instances (`poll`), in its ready wait (`ready`) and its termination wait (`terminationWait`).
 */
export type NextBatch =
  | { action: "deploy"; batch: string[]; batchNumber: number; phase: ServerPhase }
  | { action: "succeed"; followUp?: { deploymentId: string; input: Record<string, unknown>; notStartedError: string } }
  | { action: "fail"; error: string; cause: string }
  | { action: "poll" | "ready" | "terminationWait" | "shift" };

/**
 * Folds the last batch's outcomes into the fleet and decides the next move (domain/fleet nextFleetStep): the next
 * batch of instances in order, success, or HEALTH_CONSTRAINTS. Unreachable instances were counted failed at start.
 */
export function nextServerBatch(fleet: FleetState, last?: BatchResult): { fleet: FleetState; next: NextBatch } {
  const updated = foldBatch(fleet, last);
  const unhealthyLeft = Math.max(0, (updated.unhealthy ?? 0) - updated.cursor);
  const step = nextFleetStep({ instances: updated.total, minHealthy: updated.minHealthy, succeeded: updated.succeeded, failed: updated.failed, unhealthyLeft });
  if (step.action === "succeed") return { fleet: updated, next: { action: "succeed" } };
  if (step.action === "fail") return { fleet: updated, next: { action: "fail", error: step.error.name, cause: step.error.message } };
  const batch = updated.instances.slice(updated.cursor, updated.cursor + step.size);
  const phase = updated.phase === "install" || updated.phase === "terminate" ? updated.phase : "inPlace";
  return { fleet: { ...updated, cursor: updated.cursor + batch.length, batches: updated.batches + 1 }, next: { action: "deploy", batch, batchNumber: updated.batches + 1, phase } };
}

/**
 * The fleet with the last batch's instances counted (the cursor stays: it moved when the batch was picked). A blue/green
 * install keeps the ids of the green instances that succeeded: they are the ones traffic moves to.
 */
export function foldBatch(fleet: FleetState, last?: BatchResult): FleetState {
  const outcomes = last?.outcomes ?? [];
  const installed = fleet.phase === "install" ? { installed: [...(fleet.installed ?? []), ...outcomes.filter((o) => o.status === "Succeeded").map((o) => o.instanceId)] } : {};
  return {
    ...fleet,
    ...installed,
    succeeded: fleet.succeeded + outcomes.filter((o) => o.status === "Succeeded").length,
    failed: fleet.failed + outcomes.filter((o) => o.status === "Failed").length,
  };
}
