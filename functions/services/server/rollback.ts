import type { Outcome } from "../../domain/deployment/outcome.js";
import { newDeploymentId } from "../../domain/deployment/ids.js";
import { ErrorNames } from "../../domain/errors.js";
import { executionArnOf, instanceCounts, lastServerRevision, revisionUri, rollbackInputOf, type ServerRun } from "../../domain/fleet/run.js";
import type { Deps } from "../../wiring.js";
import { type BlueGreenRollbackStep, rollBackBlueGreen } from "./blue-green.js";
import type { BatchResult, DeploymentContext, FleetState } from "./state.js";

export interface ServerRollbackEvent {
  run: ServerRun;
  fleet: FleetState;
  outcome: Outcome;
  /** `$$.StateMachine.Id`: the rollback is a new execution of the same state machine. */
  stateMachineArn: string;
  /** Blue/green: the batches' deployment context, and the rollback's last batch (after the first call). */
  deployment?: DeploymentContext;
  lastBatch?: BatchResult;
}

/** Blue/green: the rollback's next batch child (the workflow runs it, then calls RollBack again); null when it is over. */
export type ServerReroute = Extract<BlueGreenRollbackStep, { batch: object }>["batch"] | null;

export type ServerOutcome = Outcome & { rollbackMessage: string };

/**
 * CodeDeploy's rollback of an in-place deployment, decided after ConcludeFailure: when it asks for one, a NEW
 * deployment (new id) of the group's last successful revision to the instances that got the new one. Its record is
 * created here, linked both ways (rollbackInfo), and put first in the group's queue, so the failed deployment's
 * Finalize hands the group's lock straight to it; the workflow then starts its execution. Nothing to roll back to
 * (the group's first deployment) or nothing deployed yet: no rollback, and the message says why. A retried task
 * finds the rollback it already created.
 */
export interface PlannedServerRollback {
  deploymentId: string;
  input: Record<string, unknown>;
  /**
   * The rollback's FAILURE event fields (merged over the failed deployment's event detail) for when its execution
   * cannot be started: the workflow then closes its record (Deploy.RollbackFailed) and releases the group's lock.
   */
  notStarted: Record<string, unknown>;
}

export async function planServerRollback(
  deps: Pick<Deps, "registry" | "log"> & Partial<Pick<Deps, "loadBalancer" | "autoScaling" | "classicLoadBalancer">>,
  event: ServerRollbackEvent,
): Promise<{ outcome: ServerOutcome; rollback: PlannedServerRollback | null; fleet: FleetState; reroute: ServerReroute }> {
  const { run, fleet, outcome } = event;
  const counts = instanceCounts(fleet, true);
  const end = (rollback: boolean, rollbackMessage: string): ServerOutcome => ({ ...outcome, rollback, rollbackMessage, eventFields: { ...outcome.eventFields, rollback, instances: counts } as Outcome["eventFields"] });
  // Blue/green rolls back by moving traffic back to the original instances, in this execution (no new deployment),
  // through batch children the workflow runs between calls (rollBackBlueGreen).
  if (run.blueGreen && outcome.rollback && deps.loadBalancer && deps.autoScaling && event.deployment) {
    const step = await rollBackBlueGreen({ loadBalancer: deps.loadBalancer, autoScaling: deps.autoScaling, classicLoadBalancer: deps.classicLoadBalancer, log: deps.log }, run.deploymentId, run.blueGreen, fleet, event.deployment, event.lastBatch);
    if (step.batch) return { outcome: end(true, ""), rollback: null, fleet: step.fleet, reroute: step.batch };
    await deps.registry.recordRollbackInfo(run.deploymentId, { rollbackMessage: step.message });
    if (!step.failed) return { outcome: end(true, step.message), rollback: null, fleet: step.fleet, reroute: null };
    // The rollback itself failed: the deployment ends FAILED as Deploy.RollbackFailed, its first cause kept in the reason.
    const reason = `${step.message} (after: ${outcome.reason})`;
    const failed: ServerOutcome = { ...outcome, error: ErrorNames.RollbackFailed, reason, state: "FAILURE", rollback: false, rollbackMessage: step.message, eventFields: { ...outcome.eventFields, state: "FAILURE", error: ErrorNames.RollbackFailed, reason, rollback: false, instances: counts } as Outcome["eventFields"] };
    return { outcome: failed, rollback: null, fleet: step.fleet, reroute: null };
  }
  const got = fleet.instances.slice(0, fleet.cursor);
  const lastRecord = await deps.registry.getLastSuccessful(run);
  const last = lastServerRevision(lastRecord);
  const why = !outcome.rollback
    ? outcome.error === ErrorNames.StoppedWithoutRollback
      ? "not rolled back: stopped without rollback"
      : "not rolled back: automatic rollback is not enabled for this event"
    : run.rollbackOf
      ? `not rolled back: this deployment is itself the rollback of ${run.rollbackOf}`
      : got.length === 0
        ? "not rolled back: no instance got the new revision"
        : !last
          ? "not rolled back: the group has no successful deployment to roll back to (its first deployment); the instances keep what they got"
          : undefined;
  if (why || !last) return { outcome: end(false, why ?? ""), rollback: null, fleet, reroute: null };
  const lastId = lastRecord?.deploymentId ?? "";
  const own = await deps.registry.requireDeployment(run.deploymentId);
  const rollbackId = own.rollbackInfo?.rollbackDeploymentId ?? newDeploymentId();
  const input = rollbackInputOf(run, rollbackId, { deploymentId: lastId, revision: last }, got);
  const executionArn = executionArnOf(event.stateMachineArn, rollbackId);
  const deploymentConfigName = typeof input.deploymentConfig === "string" ? input.deploymentConfig : "custom";
  await deps.registry.createDeployment({
    deploymentId: rollbackId,
    application: run.application,
    deploymentGroup: run.deploymentGroup,
    deploymentConfigName,
    platform: "Server",
    target: { deploymentGroupId: run.deploymentGroupId, revision: { bucket: last.bucket, key: last.key } },
    creator: "codeDeployRollback",
    description: String(input.description),
    executionArn,
    lockKey: run.lockKey,
    rollbackInfo: { rollbackTriggeringDeploymentId: run.deploymentId },
  });
  const message = `rolling back: ${rollbackId} redeploys the revision of ${lastId} to ${got.length} instance${got.length === 1 ? "" : "s"}`;
  await deps.registry.recordRollbackInfo(run.deploymentId, { rollbackDeploymentId: rollbackId, rollbackMessage: message });
  await deps.registry.acquireOrEnqueue({ lockKey: run.lockKey, application: run.application, deploymentGroup: run.deploymentGroup, deploymentId: rollbackId, executionArn });
  deps.log(run.deploymentId).warn("rolling back", { rollbackId, instances: got.length, to: lastId });
  const notStarted = {
    deploymentId: rollbackId,
    state: "FAILURE",
    error: ErrorNames.RollbackFailed,
    reason: `the rollback of ${run.deploymentId} could not start its execution; the instances keep what they got`,
    rollback: false,
    config: deploymentConfigName,
    revision: revisionUri(last),
    instances: { total: got.length, succeeded: 0, failed: 0, pending: 0, skipped: got.length },
  };
  return { outcome: end(true, message), rollback: { deploymentId: rollbackId, input, notStarted }, fleet, reroute: null };
}
