import { clearWaiting } from "../adapters/dynamodb-callbacks.js";
import { deploymentIdFromExecutionName } from "../domain/deployment/ids.js";
import { isFinalStatus } from "../domain/registry/index.js";
import { withDeployment } from "../lib/logger.js";
import { wakeNext } from "../lib/queue.js";
import { registry } from "../lib/registry.js";

export interface LeaveQueueEvent {
  /** The deployment input (only deploymentId, application and deploymentGroup are read). */
  input: { deploymentId?: string; application: string; deploymentGroup: string };
  executionName?: string;
  failure: { Error?: string; Cause?: string };
}

/**
 * A queued deployment that ends before it started (stopped in line, or rejected by Prepare once the
 * lock was handed to it): leaves the queue, passes the lock on if it had been handed over (waking
 * the next in line), and records Stopped or Failed. Traffic is not touched: it never changed it.
 */
export async function handler(event: LeaveQueueEvent): Promise<{ status: string; passedLockTo: string | null }> {
  const deploymentId = event.input.deploymentId ?? deploymentIdFromExecutionName(event.executionName) ?? "";
  const log = withDeployment(deploymentId);
  const reg = registry();
  const group = { application: event.input.application, deploymentGroup: event.input.deploymentGroup };
  const { next } = await reg.release(group, deploymentId);
  await wakeNext(next);
  await clearWaiting(deploymentId, []);
  const error = event.failure.Error ?? "Deploy.Stopped";
  const reason = (event.failure.Cause ?? "ended while waiting for the group's lock").slice(0, 1000);
  const record = await reg.getDeployment(deploymentId);
  let status: string = record?.status ?? "none";
  if (record && !isFinalStatus(record.status)) {
    const stopped = error.startsWith("Deploy.Stopped");
    status = stopped ? "Stopped" : "Failed";
    if (stopped) await reg.markStopped(deploymentId, error, reason);
    else await reg.markFailed(deploymentId, error, reason);
  }
  log.info("queue: left", { error, status, passedLockTo: next?.deploymentId });
  return { status, passedLockTo: next?.deploymentId ?? null };
}
