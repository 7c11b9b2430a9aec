import { clearWaiting } from "../adapters/dynamodb-callbacks.js";
import type { Outcome } from "../domain/deployment/outcome.js";
import type { LambdaDeployment } from "../domain/deployment/state.js";
import { withDeployment } from "../lib/logger.js";
import { wakeNext } from "../lib/queue.js";
import { registry } from "../lib/registry.js";

export interface FinalizeEvent {
  deployment: LambdaDeployment;
  /** Absent on success. */
  outcome?: Pick<Outcome, "error" | "reason" | "state" | "rollback">;
}

/**
 * Records the final status and releases the group's lock, on every end path of the workflow. A
 * deployment waiting in the group's queue gets the lock handed over and is woken.
 * Idempotent: a second call finds the status final and the lock already released (a repeated
 * release after a hand-over answers the same `next`, and waking it again changes nothing).
 */
export async function handler(event: FinalizeEvent): Promise<{ status: string; released: boolean }> {
  const d = event.deployment;
  const reg = registry();
  const o = event.outcome;
  const status = !o ? "Succeeded" : o.state === "STOP" ? "Stopped" : "Failed";
  const current = await reg.requireDeployment(d.deploymentId);
  if (current.status !== status) {
    if (!o) await reg.markSucceeded(d.deploymentId);
    else if (status === "Stopped") await reg.markStopped(d.deploymentId, o.error, o.reason);
    else await reg.markFailed(d.deploymentId, o.error, o.reason);
  }
  if (o) await reg.recordRollbackInfo(d.deploymentId, { rollbackMessage: o.rollback ? `traffic restored to version ${d.currentVersion}` : "not rolled back" });
  await clearWaiting(d.deploymentId, d.alarms);
  const { released, next } = await reg.release({ application: d.application, deploymentGroup: d.deploymentGroup }, d.deploymentId);
  await wakeNext(next);
  withDeployment(d.deploymentId).info("finalized", { status, released, next: next?.deploymentId });
  return { status, released };
}
