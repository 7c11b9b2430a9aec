import { pendingIntent, type RecordedControl } from "../domain/control/decide.js";
import type { LambdaDeployment } from "../domain/deployment/state.js";
import { withDeployment } from "../lib/logger.js";
import { applyToOpenWait, openWait } from "../lib/open-wait.js";
import { registry } from "../lib/registry.js";

export interface HoldPausedEvent {
  deployment: LambdaDeployment;
  step: { index: number; weight: number };
  /** From SendTaskFailure's cause (events mode) or a Lambda error's cause (polling mode, wrapped in errorMessage). */
  pause: { remainingSeconds?: number; errorMessage?: string };
  taskToken: string;
}

/**
 * Holds a paused deployment at its current weight. The token is the one `resume` (or `promote`,
 * `stop`) answers; alarms keep watching it, so an alarm still rolls back a paused deployment.
 */
function remainingOf(pause: HoldPausedEvent["pause"]): number {
  if (typeof pause.remainingSeconds === "number") return pause.remainingSeconds;
  try {
    return Number((JSON.parse(pause.errorMessage ?? "{}") as { remainingSeconds?: number }).remainingSeconds ?? 1);
  } catch {
    return 1;
  }
}

export async function handler(event: HoldPausedEvent): Promise<{ paused: true }> {
  const d = event.deployment;
  const remainingSeconds = remainingOf(event.pause);
  const watched = d.alarms.filter((a) => !d.ignoredAlarms.includes(a));
  const waiting = {
    deploymentId: d.deploymentId,
    token: event.taskToken,
    kind: "pause" as const,
    stepIndex: event.step.index,
    weight: event.step.weight,
    remainingSeconds,
    alarms: watched,
  };
  await openWait(waiting);
  const control = (await registry().getDeployment(d.deploymentId))?.control as RecordedControl | undefined;
  // A resume (or stop/promote) that arrived before this wait opened is answered now.
  const pending = pendingIntent(control) ?? (control && !control.paused ? { intent: "resume" as const, by: "operator" } : undefined);
  await applyToOpenWait(waiting, pending?.intent === "pause" ? undefined : pending);
  withDeployment(d.deploymentId).info("paused", { step: event.step.index, weight: event.step.weight, remainingSeconds });
  return { paused: true };
}
