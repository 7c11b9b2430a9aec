import { describeAlarms } from "../adapters/cloudwatch.js";
import { clearWaiting, putWaiting } from "../adapters/dynamodb-callbacks.js";
import { sendTaskSuccess } from "../adapters/sfn.js";
import { evaluateAlarms } from "../domain/alarms/evaluate.js";
import { type ControlIntent, decideControl, type WaitingCallback } from "../domain/control/decide.js";
import { ErrorNames, StepDeployError } from "../domain/errors.js";
import { nowMs } from "./clock.js";

/**
 * Opens a wait on a task token (a bake or a pause): stores the token and its alarm watches
 * first, then reads the alarms, so an alarm that fires in between is caught by this read or by
 * the alarm listener. Throws the alarm's named error if one is already firing.
 */
export async function openWait(waiting: WaitingCallback): Promise<void> {
  await putWaiting(waiting);
  const verdict = evaluateAlarms(waiting.alarms, await describeAlarms(waiting.alarms));
  if (!verdict.ok) {
    await clearWaiting(waiting.deploymentId, waiting.alarms);
    throw new StepDeployError(verdict.kind === "alarm" ? ErrorNames.AlarmTriggered : ErrorNames.AlarmNotFound, verdict.reason);
  }
}

/** Applies an operator request that was recorded while no wait was open, to the wait just opened. */
export async function applyToOpenWait(waiting: WaitingCallback, pending: { intent: ControlIntent; by: string } | undefined): Promise<void> {
  if (!pending) return;
  const action = decideControl(pending.intent, waiting, nowMs(), pending.by);
  if (action.send === "failure") {
    await clearWaiting(waiting.deploymentId, waiting.alarms);
    throw new StepDeployError(action.error, action.cause);
  }
  if (action.send === "success") await sendTaskSuccess(waiting.token, action.output);
}
