import { pendingIntent } from "../domain/control/waiting.js";
import type { StepCursor } from "../domain/deployment/cursor.js";
import { reasonFromCause } from "../domain/deployment/outcome.js";
import type { LambdaDeployment } from "../domain/deployment/state.js";
import type { Deps } from "../wiring.js";
import { watchedAlarms } from "./bake.js";
import { applyPending, openWait } from "./waits.js";

export interface HoldPausedEvent {
  deployment: LambdaDeployment;
  cursor: StepCursor;
  /** The pause as it arrived: an operator's SendTaskFailure, or a task's Deploy.PauseRequested; Cause carries `remainingSeconds`. */
  pause: { Error?: string; Cause?: string };
  taskToken: string;
}

/** The bake time left that a pause carries in its Cause (raw JSON, or inside a Lambda error's errorMessage). */
export function remainingOf(pause: HoldPausedEvent["pause"]): number {
  try {
    const seconds = (JSON.parse(reasonFromCause(pause.Cause)) as { remainingSeconds?: unknown }).remainingSeconds;
    return typeof seconds === "number" && seconds >= 0 ? seconds : 0;
  } catch {
    return 0;
  }
}

/**
 * Holds a paused deployment at its current weight on the Paused task's token: `resume`, `promote` or `stop`
 * answer it. Alarms keep watching it, so an alarm still rolls back a paused deployment. A resume (or stop,
 * promote) that arrived before this wait opened is answered now.
 */
export async function holdPaused(deps: Pick<Deps, "registry" | "callbacks" | "stepFunctions" | "alarms" | "clock" | "log">, event: HoldPausedEvent): Promise<{ paused: true; remainingSeconds: number }> {
  const d = event.deployment;
  const remainingSeconds = remainingOf(event.pause);
  const waiting = {
    deploymentId: d.deploymentId,
    token: event.taskToken,
    kind: "pause" as const,
    stepIndex: event.cursor.step,
    weight: event.cursor.weight,
    remainingSeconds,
    alarms: watchedAlarms(d),
    account: d.account,
    region: d.region,
  };
  await openWait(deps, waiting, d);
  const control = (await deps.registry.getDeployment(d.deploymentId))?.control;
  const pending = pendingIntent(control) ?? (control && !control.paused ? { intent: "resume" as const, by: "operator" } : undefined);
  await applyPending(deps, waiting, pending?.intent === "pause" ? undefined : pending);
  deps.log(d.deploymentId).info("paused", { step: event.cursor.step, weight: event.cursor.weight, remainingSeconds });
  return { paused: true, remainingSeconds };
}
