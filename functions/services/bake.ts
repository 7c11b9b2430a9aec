import { createHash } from "node:crypto";
import { startWatch } from "../domain/deployment/bake.js";
import type { StepCursor } from "../domain/deployment/cursor.js";
import type { LambdaDeployment } from "../domain/deployment/state.js";
import { pendingIntent } from "../domain/control/waiting.js";
import type { WaitingCallback } from "../domain/control/waiting.js";
import type { Deps } from "../wiring.js";
import { applyPending, openWait } from "./waits.js";

export interface OpenBakeEvent {
  deployment: LambdaDeployment;
  cursor: StepCursor;
  taskToken: string;
}

/** The alarms whose events end a wait: those not ignored at the start. */
export const watchedAlarms = (d: Pick<LambdaDeployment, "alarms" | "ignoredAlarms">): string[] => d.alarms.filter((a) => !d.ignoredAlarms.includes(a));

/**
 * Opens a bake on the Bake task's token (timed out by the bake length): stores the token, with a watch per alarm
 * in events mode, reads the alarms, applies an operator request recorded while no wait was open, and, when the
 * bake needs checks on a schedule (alarm polling, metric gates), starts the bake watcher that answers the token.
 */
export async function openBake(deps: Pick<Deps, "registry" | "callbacks" | "stepFunctions" | "alarms" | "clock" | "log" | "config">, event: OpenBakeEvent): Promise<{ watching: string[]; watcher?: string }> {
  const d = event.deployment;
  const waiting: WaitingCallback = {
    deploymentId: d.deploymentId,
    token: event.taskToken,
    kind: "bake",
    stepIndex: event.cursor.step,
    weight: event.cursor.weight,
    bakeEndsAtMs: deps.clock.nowMs() + event.cursor.bakeSeconds * 1000,
    alarms: d.alarmMonitoring === "events" ? watchedAlarms(d) : [],
    account: d.account,
    region: d.region,
  };
  await openWait(deps, waiting, d);
  await applyPending(deps, waiting, pendingIntent((await deps.registry.getDeployment(d.deploymentId))?.control));
  deps.log(d.deploymentId).info("baking", { step: event.cursor.step, weight: event.cursor.weight, seconds: event.cursor.bakeSeconds, watching: waiting.alarms });
  if (!event.cursor.watcher) return { watching: waiting.alarms };
  const watch = startWatch(d, event.taskToken, waiting.bakeEndsAtMs ?? 0, deps.clock.nowMs());
  const name = `${d.deploymentId}-s${event.cursor.step}-${createHash("sha256").update(event.taskToken).digest("hex").slice(0, 10)}`;
  const { executionArn } = await deps.stepFunctions.startExecution(deps.config.bakeWatcherArn, name, { deployment: watcherView(d), watch });
  return { watching: waiting.alarms, watcher: executionArn };
}

/** What the bake watcher needs of the deployment (kept small: it travels with every check). */
export function watcherView(d: LambdaDeployment) {
  const { deploymentId, alarms, ignoredAlarms, ignorePollAlarmFailure, alarmMonitoring, alarmPollSeconds, metricGates } = d;
  return { deploymentId, alarms, ignoredAlarms, ignorePollAlarmFailure, alarmMonitoring, alarmPollSeconds, metricGates };
}
export type WatcherDeployment = ReturnType<typeof watcherView>;
