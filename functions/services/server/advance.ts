import { type InstanceCounts, instanceCounts, type ServerRun } from "../../domain/fleet/run.js";
import type { Deps } from "../../wiring.js";
import { foldBatch, type NextBatch, nextServerBatch } from "./batches.js";
import { advanceBlueGreen, type BlueGreenDeps } from "./blue-green.js";
import { planFollowUp } from "./follow-up.js";
import { haltReason } from "./halt.js";
import type { BatchResult, FleetState } from "./state.js";

export type AdvanceDeps = Pick<Deps, "registry" | "alarms" | "log"> & Partial<BlueGreenDeps>;

export interface AdvanceEvent {
  run: Pick<ServerRun, "deploymentId" | "alarms" | "ignorePollAlarmFailure" | "blueGreen"> & Partial<ServerRun>;
  fleet: FleetState;
  lastBatch?: BatchResult;
  /** `$$.StateMachine.Id`: a follow-on deployment (outdatedInstancesStrategy UPDATE) is an execution of it. */
  stateMachineArn?: string;
}

/**
 * NextBatch of deploy-server: counts the last batch (recorded as the deployment's per-instance progress), then,
 * before another batch goes out, applies an operator's stop and checks the alarms (halt.ts). A stop or alarm, here or
 * seen by the batch's poll (which cancelled the batch's commands), is returned as a `fail` decision with the counted
 * fleet, so the failure path knows which instances got the new revision.
 */
export async function advanceServerDeployment(deps: AdvanceDeps, event: AdvanceEvent): Promise<{ fleet: FleetState; next: NextBatch; instances: InstanceCounts; eventFields: Record<string, unknown> }> {
  const { run } = event;
  const rerouting = event.fleet.phase === "allow" || event.fleet.phase === "shift" || event.fleet.phase === "block";
  const counted = rerouting ? event.fleet : foldBatch(event.fleet, event.lastBatch);
  // A termination deployment installs nothing: the instance's record stays what its last deployment left.
  if (!rerouting && event.fleet.phase !== "terminate") await recordInstanceHealth(deps, run, event.lastBatch);
  // A batch its poll cancelled (stop or alarm seen while it ran) ends the deployment with that reason, whatever it counted.
  const interrupted = event.lastBatch?.interrupted ?? undefined;
  const decided = interrupted
    ? { fleet: counted, next: { action: "fail" as const, ...interrupted } }
    : run.blueGreen
      ? await advanceBlueGreen(deps as BlueGreenDeps & AdvanceDeps, run.deploymentId, run.blueGreen, counted, event.lastBatch)
      : nextServerBatch(counted);
  const ended = decided.next.action === "succeed" || decided.next.action === "fail";
  const halt = decided.next.action === "deploy" ? await haltReason(deps, run, "after the current batch") : undefined;
  const { fleet, next } = halt ? { fleet: counted, next: { action: "fail" as const, ...halt } } : await withFollowUp(deps, event, decided);
  const instances = instanceCounts(fleet, ended || Boolean(halt));
  const done = fleet.succeeded + fleet.failed;
  await deps.registry.recordProgress(run.deploymentId, { weight: Math.floor((100 * done) / Math.max(1, fleet.total)), step: counted.batches, instances });
  return { fleet, next, instances, eventFields: { state: "SUCCESS", reason: null, rollback: false, instances } };
}

/** A success of a deployment to Auto Scaling groups carries the follow-on deployment to instances launched meanwhile (follow-up.ts). */
async function withFollowUp(deps: AdvanceDeps, event: AdvanceEvent, decided: { fleet: FleetState; next: NextBatch }): Promise<{ fleet: FleetState; next: NextBatch }> {
  if (decided.next.action !== "succeed" || !event.run.autoScalingGroups?.length || !deps.runCommand) return decided;
  const followUp = await planFollowUp({ ...deps, runCommand: deps.runCommand }, event.run as ServerRun, decided.fleet, event.stateMachineArn ?? "");
  if (followUp && "waitFor" in followUp) {
    // Its success waits until those launch deployments end, so the follow-on deployment never overlaps them.
    deps.log(event.run.deploymentId).info("waiting for launch deployments before the follow-on deployment", { instances: followUp.waitFor });
    return { fleet: decided.fleet, next: { action: "poll" } };
  }
  return followUp ? { fleet: decided.fleet, next: { ...decided.next, followUp } } : decided;
}

/** Each instance the batch installed on is Healthy with this revision, or Unhealthy (codedeploy-spec §2.4): what the next deployment orders by. */
async function recordInstanceHealth(deps: AdvanceDeps, run: AdvanceEvent["run"], last?: BatchResult): Promise<void> {
  const outcomes = last?.outcomes ?? [];
  if (!outcomes.length || !run.application || !run.deploymentGroup || !run.revisionKey) return;
  const results = outcomes.map((o) => ({ instanceId: o.instanceId, succeeded: o.status === "Succeeded" }));
  await deps.registry.recordInstanceResults({ application: run.application, deploymentGroup: run.deploymentGroup }, run.deploymentId, run.revisionKey, results);
}
