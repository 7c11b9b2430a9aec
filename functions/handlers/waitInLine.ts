import { clearWaiting, putWaiting } from "../adapters/dynamodb-callbacks.js";
import { sendTaskSuccess } from "../adapters/sfn.js";
import { pendingIntent } from "../domain/control/decide.js";
import { StepDeployError } from "../domain/errors.js";
import { isFinalStatus } from "../domain/registry/index.js";
import { withDeployment } from "../lib/logger.js";
import { registry } from "../lib/registry.js";

export interface WaitInLineEvent {
  deploymentId: string;
  application: string;
  deploymentGroup: string;
  executionArn: string;
  taskToken: string;
}

/**
 * Opens the wait of a queued deployment (`lambda:invoke.waitForTaskToken`): stores the token, then
 * looks at the lock again. Whoever releases the lock hands it to the queue's head and answers that
 * head's token (lib/queue.ts wakeNext); a hand-over that happened before the token was stored is
 * caught here by the second look (the same store-then-check order as the alarm watches). A stop
 * requested while queued ends the wait with Deploy.Stopped, without rollback: nothing changed yet.
 */
export async function handler(event: WaitInLineEvent): Promise<{ waiting: boolean }> {
  const { deploymentId, taskToken } = event;
  const log = withDeployment(deploymentId);
  const reg = registry();
  await putWaiting({ deploymentId, token: taskToken, kind: "queue", stepIndex: -1, weight: 0, alarms: [] });
  const record = await reg.getDeployment(deploymentId);
  const pending = pendingIntent(record?.control);
  if ((record && isFinalStatus(record.status)) || pending?.intent === "stop" || pending?.intent === "stop-no-rollback") {
    await clearWaiting(deploymentId, []);
    throw new StepDeployError("Deploy.Stopped", `stopped while waiting for the group's lock${pending ? ` (requested by ${pending.by})` : ""}`);
  }
  const r = await reg.acquireOrEnqueue({ application: event.application, deploymentGroup: event.deploymentGroup, deploymentId, executionArn: event.executionArn });
  if (r.acquired) {
    log.info("queue: the lock is ours already; waking ourselves");
    await sendTaskSuccess(taskToken, { lockGranted: true });
    await clearWaiting(deploymentId, []);
    return { waiting: false };
  }
  log.info("queue: waiting", { queuedBehind: r.queuedBehind, position: r.position });
  return { waiting: true };
}
