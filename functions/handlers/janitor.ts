import { clearWaiting, getWaiting } from "../adapters/dynamodb-callbacks.js";
import { putDeploymentEvent } from "../adapters/eventbridge.js";
import { setAliasVersion } from "../adapters/lambda.js";
import { isFinalStatus } from "../domain/registry/index.js";
import { logger, withDeployment } from "../lib/logger.js";
import { retryTransient } from "../lib/retry.js";
import { wakeNext } from "../lib/queue.js";
import { registry } from "../lib/registry.js";

/** Step Functions "Execution Status Change" (codepipeline-spec §4.6). */
export interface ExecutionStatusChangeEvent {
  detail: { executionArn: string; name: string; status: string; stateMachineArn?: string; error?: string | null; cause?: string | null };
  region?: string;
}

/**
 * The safety net for executions that die (aborted, timed out, or failed without reaching their own
 * cleanup): restores traffic to the last known-good version, records the final status, releases
 * the lock and emits the terminal event. Deployments that ended cleanly are left alone.
 */
export async function handler(event: ExecutionStatusChangeEvent): Promise<{ deploymentId: string; action: string }> {
  const { name: deploymentId, status, executionArn } = event.detail;
  const reg = registry();
  const record = await reg.getDeployment(deploymentId);
  if (!record) {
    logger.info("janitor: no deployment for this execution", { executionArn });
    return { deploymentId, action: "none" };
  }
  const log = withDeployment(deploymentId);
  const group = { application: record.application, deploymentGroup: record.deploymentGroup };
  if (isFinalStatus(record.status)) {
    const { released, next } = await reg.release(group, deploymentId);
    await wakeNext(next);
    return { deploymentId, action: released ? "released-lock" : "none" };
  }
  const t = record.target as { functionName: string; alias: string; currentVersion: string; targetVersion: string };
  if (record.status !== "InProgress") {
    // It never started (died in Register, or while waiting in the group's queue): traffic is not ours to
    // touch. It leaves the queue, and a lock handed to it meanwhile goes to the next in line.
    await reg.markFailed(deploymentId, "Deploy.ExecutionFailed", `execution ${status.toLowerCase()} before the deployment started`);
    await wakeNext((await reg.release(group, deploymentId)).next);
    await clearWaiting(deploymentId, []);
    return { deploymentId, action: "closed-unstarted" };
  }
  const errorName = status === "ABORTED" ? "Deploy.ExecutionAborted" : status === "TIMED_OUT" ? "Deploy.ExecutionTimedOut" : "Deploy.ExecutionFailed";
  const reason = `execution ${status.toLowerCase()}${event.detail.error ? ` (${event.detail.error})` : ""}; traffic restored to version ${t.currentVersion} by the janitor`;
  // Claim the outcome first: if the workflow finished on its own meanwhile, the record is final
  // and its traffic is right as it is; only a deployment we could close gets its traffic restored.
  try {
    if (status === "ABORTED") await reg.markStopped(deploymentId, errorName, reason);
    else await reg.markFailed(deploymentId, errorName, reason);
  } catch (e) {
    if ((e as Error).name !== "Deploy.DeploymentAlreadyCompleted") throw e;
    const { released, next } = await reg.release(group, deploymentId);
    await wakeNext(next);
    return { deploymentId, action: released ? "released-lock" : "none" };
  }
  // The janitor is the last line of defence for traffic and the last chance to tell anyone:
  // transient failures get more tries than the SDK's.
  await retryTransient(() => setAliasVersion(t.functionName, t.alias, t.currentVersion));
  await reg.recordRollbackInfo(deploymentId, { rollbackMessage: reason });
  await clearWaiting(deploymentId, (await getWaiting(deploymentId))?.alarms ?? []);
  await wakeNext((await reg.release(group, deploymentId)).next);
  await retryTransient(() =>
    putDeploymentEvent(
      {
        application: record.application,
        deploymentGroup: record.deploymentGroup,
        deploymentId,
        state: status === "ABORTED" ? "STOP" : "FAILURE",
        region: event.region ?? process.env.AWS_REGION ?? "",
        config: record.deploymentConfigName,
        ...t,
        reason,
        rollback: true,
        error: errorName,
      },
      [executionArn],
    ),
  );
  log.warn("janitor restored a dead deployment", { status, errorName });
  return { deploymentId, action: "restored" };
}
