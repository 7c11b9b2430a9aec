import { type InstanceCounts, instanceCounts, type ServerRun } from "../../domain/fleet/run.js";
import type { Deps } from "../../wiring.js";
import { foldBatch, type NextBatch, nextServerBatch } from "./batches.js";
import { advanceBlueGreen, type BlueGreenDeps } from "./blue-green.js";
import { haltReason } from "./halt.js";
import type { BatchResult, FleetState } from "./state.js";

export type AdvanceDeps = Pick<Deps, "registry" | "alarms" | "log"> & Partial<BlueGreenDeps>;

export interface AdvanceEvent {
  run: Pick<ServerRun, "deploymentId" | "alarms" | "ignorePollAlarmFailure" | "blueGreen">;
  fleet: FleetState;
  lastBatch?: BatchResult;
}

/**
 * NextBatch of deploy-server: counts the last batch (recorded as the deployment's per-instance progress), then,
 * before another batch goes out, applies an operator's stop and checks the alarms (halt.ts). A stop or alarm, here or
 * seen by the batch's poll (which cancelled the batch's commands), is returned as a `fail` decision with the counted
 * fleet, so the failure path knows which instances got the new revision.
 */
export async function advanceServerDeployment(deps: AdvanceDeps, event: AdvanceEvent): Promise<{ fleet: FleetState; next: NextBatch; instances: InstanceCounts; eventFields: Record<string, unknown> }> {
  const { run } = event;
  const rerouting = event.fleet.phase === "allow" || event.fleet.phase === "block";
  const counted = rerouting ? event.fleet : foldBatch(event.fleet, event.lastBatch);
  // A batch its poll cancelled (stop or alarm seen while it ran) ends the deployment with that reason, whatever it counted.
  const interrupted = event.lastBatch?.interrupted ?? undefined;
  const decided = interrupted
    ? { fleet: counted, next: { action: "fail" as const, ...interrupted } }
    : run.blueGreen
      ? await advanceBlueGreen(deps as BlueGreenDeps & AdvanceDeps, run.deploymentId, run.blueGreen, counted, event.lastBatch)
      : nextServerBatch(counted);
  const ended = decided.next.action === "succeed" || decided.next.action === "fail";
  const halt = decided.next.action === "deploy" ? await haltReason(deps, run, "after the current batch") : undefined;
  const { fleet, next } = halt ? { fleet: counted, next: { action: "fail" as const, ...halt } } : decided;
  const instances = instanceCounts(fleet, ended || Boolean(halt));
  const done = fleet.succeeded + fleet.failed;
  await deps.registry.recordProgress(run.deploymentId, { weight: Math.floor((100 * done) / Math.max(1, fleet.total)), step: counted.batches, instances });
  return { fleet, next, instances, eventFields: { state: "SUCCESS", reason: null, rollback: false, instances } };
}
