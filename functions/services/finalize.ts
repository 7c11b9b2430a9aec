import type { Outcome } from "../domain/deployment/outcome.js";
import type { LambdaDeployment } from "../domain/deployment/state.js";
import type { Deps } from "../wiring.js";
import { releaseAndWakeNext } from "./lock-handover.js";
import { recordOutcome } from "./outcome.js";

export interface FinalizeEvent {
  deployment: Pick<LambdaDeployment, "deploymentId" | "lockKey" | "alarms" | "currentVersion"> & { extraLockKeys?: string[] };
  /** Absent on success. */
  outcome?: Pick<Outcome, "error" | "reason" | "state" | "rollback"> & { rollbackMessage?: string };
}

/**
 * Records the final status and releases the traffic target's lock, on every end path of the workflow; a
 * deployment waiting for the target gets the lock and is woken. Idempotent: a second call finds the status
 * final and the lock already handed on.
 */
export async function finalize(deps: Pick<Deps, "registry" | "callbacks" | "stepFunctions" | "log">, event: FinalizeEvent): Promise<{ status: string; released: boolean }> {
  const { deployment: d, outcome } = event;
  const status = await recordOutcome(deps, d.deploymentId, outcome ?? { state: "SUCCESS" });
  // A server deployment's outcome says itself what its rollback is (a new deployment, or why none).
  const rollbackMessage = outcome?.rollbackMessage ?? (outcome?.rollback ? `traffic restored to version ${d.currentVersion}` : "not rolled back");
  if (outcome) await deps.registry.recordRollbackInfo(d.deploymentId, { rollbackMessage });
  await deps.callbacks.clearWaiting(d.deploymentId, d.alarms);
  // An ECS deployment also holds its routes' locks (fail-fast, nobody queues on them).
  for (const lockKey of d.extraLockKeys ?? []) await deps.registry.release({ lockKey }, d.deploymentId);
  const { released, next } = await releaseAndWakeNext(deps, d.lockKey, d.deploymentId);
  deps.log(d.deploymentId).info("finalized", { status, released, next });
  return { status, released };
}
