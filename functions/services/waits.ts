import { type ControlIntent, decideControlDelivery } from "../domain/control/delivery.js";
import { pendingIntent, type WaitingCallback } from "../domain/control/waiting.js";
import { StepDeployError } from "../domain/errors.js";
import type { Deps } from "../wiring.js";
import { checkAlarms, type WatchedAlarms } from "./alarms.js";

/**
 * Opens a wait on a task token (a bake or a pause): stores the token and its alarm watches first, then reads the
 * alarms, so an alarm that fires in between is caught by this read or by the alarm listener. Throws the alarm's
 * named error (and removes the wait) if one is already firing.
 */
export async function openWait(deps: Pick<Deps, "callbacks" | "alarms" | "log">, waiting: WaitingCallback, d: WatchedAlarms): Promise<void> {
  await deps.callbacks.putWaiting(waiting);
  try {
    await checkAlarms(deps, { ...d, alarms: waiting.alarms });
  } catch (e) {
    await deps.callbacks.clearWaiting(waiting.deploymentId, waiting.alarms);
    throw e;
  }
}

/** Applies an operator request recorded while no wait was open to the wait just opened. */
export async function applyPending(
  deps: Pick<Deps, "callbacks" | "stepFunctions" | "clock">,
  waiting: WaitingCallback,
  pending: { intent: ControlIntent; by: string } | undefined,
): Promise<void> {
  if (!pending) return;
  const action = decideControlDelivery(pending.intent, waiting, deps.clock.nowMs(), pending.by);
  if (action.send === "failure") {
    await deps.callbacks.clearWaiting(waiting.deploymentId, waiting.alarms);
    throw new StepDeployError(action.error, action.cause);
  }
  if (action.send === "success") await deps.stepFunctions.sendTaskSuccess(waiting.token, action.output);
}

/**
 * A ready or termination wait (ECS and EC2 blue/green) on its task's token: stored with its alarm watches (openWait),
 * then an operator request recorded before it opened applied to it, so continue, stop and alarms all answer it.
 */
export async function openPhaseWait(
  deps: Pick<Deps, "registry" | "callbacks" | "stepFunctions" | "alarms" | "clock" | "log">,
  w: { deploymentId: string; token: string; kind: "ready" | "termination"; seconds: number; alarms: string[]; account?: string; region?: string },
  d: WatchedAlarms,
): Promise<void> {
  const waiting: WaitingCallback = {
    deploymentId: w.deploymentId,
    token: w.token,
    kind: w.kind,
    stepIndex: -1,
    weight: w.kind === "ready" ? 0 : 100,
    bakeEndsAtMs: deps.clock.nowMs() + w.seconds * 1000,
    alarms: w.alarms,
    account: w.account,
    region: w.region,
  };
  await openWait(deps, waiting, d);
  await applyPending(deps, waiting, pendingIntent((await deps.registry.getDeployment(w.deploymentId))?.control));
}
