import { getWaiting } from "../adapters/dynamodb-callbacks.js";
import { sendTaskFailure, sendTaskSuccess } from "../adapters/sfn.js";
import { type ControlAction, type ControlIntent, decideControlDelivery } from "../domain/control/delivery.js";
import { nowMs } from "../lib/clock.js";
import { registry } from "../wiring.js";

export interface ControlResult {
  deploymentId: string;
  intent: ControlIntent;
  /** What was sent to the waiting workflow, if anything. */
  action: ControlAction;
  /** False when the token had already moved on; the recorded request is applied by the next bake. */
  delivered: boolean;
}

/**
 * Records an operator's intent in the registry (so it survives and is applied at the next bake)
 * and, when the workflow is waiting in a bake or a pause, answers its task token so the intent
 * takes effect within one callback round-trip.
 */
export async function requestControl(deploymentId: string, intent: ControlIntent, by = process.env.USER ?? "operator"): Promise<ControlResult> {
  const reg = registry();
  const change = intent === "stop" || intent === "stop-no-rollback" ? { intent: "stop" as const, by, rollback: intent === "stop" } : { intent, by };
  await reg.requestControl(deploymentId, change);
  const waiting = await getWaiting(deploymentId);
  const action = decideControlDelivery(intent, waiting, nowMs(), by);
  let delivered = false;
  if (waiting && action.send === "success") delivered = await sendTaskSuccess(waiting.token, action.output);
  if (waiting && action.send === "failure") delivered = await sendTaskFailure(waiting.token, action.error, action.cause);
  return { deploymentId, intent, action, delivered };
}
