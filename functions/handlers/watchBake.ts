import { pendingIntent, type RecordedControl } from "../domain/control/decide.js";
import type { LambdaDeployment } from "../domain/deployment/state.js";
import { nowMs } from "../lib/clock.js";
import { withDeployment } from "../lib/logger.js";
import { applyToOpenWait, openWait } from "../lib/open-wait.js";
import { registry } from "../lib/registry.js";

export interface WatchBakeEvent {
  deployment: LambdaDeployment;
  step: { index: number; weight: number };
  bake: { remaining: number };
  totalSteps?: number;
  taskToken: string;
}

/**
 * Starts a bake that waits on a task token instead of polling. It registers the token for every
 * watched alarm first, then reads the alarms: an alarm that fires between the two is caught either
 * by this read or by the alarm listener. A stop/pause/promote recorded while no wait was open is
 * applied here. The bake ends by the Task's timeout (the bake length) unless something answers the
 * token first.
 */
export async function handler(event: WatchBakeEvent): Promise<{ watching: string[] }> {
  const d = event.deployment;
  const log = withDeployment(d.deploymentId);
  const watched = d.alarms.filter((a) => !d.ignoredAlarms.includes(a));
  const waiting = {
    deploymentId: d.deploymentId,
    token: event.taskToken,
    kind: "bake" as const,
    stepIndex: event.step.index,
    weight: event.step.weight,
    bakeEndsAtMs: nowMs() + event.bake.remaining * 1000,
    alarms: watched,
  };
  await openWait(waiting);
  const pending = pendingIntent((await registry().getDeployment(d.deploymentId))?.control as RecordedControl | undefined);
  if (pending) log.info("applying a control request recorded before this bake", { intent: pending.intent });
  await applyToOpenWait(waiting, pending);
  await registry().recordProgress(d.deploymentId, { weight: event.step.weight, step: event.step.index, totalSteps: event.totalSteps });
  log.info("baking", { step: event.step.index, weight: event.step.weight, seconds: event.bake.remaining, watching: watched });
  return { watching: watched };
}
