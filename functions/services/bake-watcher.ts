import { type BakeWatch, bakeSecondsLeft, nextWatch, WATCH_CHECKS_PER_EXECUTION } from "../domain/deployment/bake.js";
import { ErrorNames } from "../domain/errors.js";
import type { Deps } from "../wiring.js";
import { checkAlarms } from "./alarms.js";
import type { WatcherDeployment } from "./bake.js";
import { evaluateGatesNow } from "./gates.js";

export interface BakeCheckEvent {
  deployment: WatcherDeployment;
  watch: BakeWatch;
  /** This watcher execution's name (a successor is named after it). */
  executionName: string;
}

/**
 * One check of a bake watcher (alarm polling, metric gates): unless the workflow has moved on (the Bake's token
 * is no longer the one waiting), reads the alarms in polling mode and evaluates the gates, and answers the Bake's
 * token with the named failure, or with `{action: "baked"}` once the bake is over. Every
 * WATCH_CHECKS_PER_EXECUTION checks a fresh execution takes over, so no watcher's history passes the cap.
 */
export async function checkBake(deps: Pick<Deps, "registry" | "callbacks" | "stepFunctions" | "alarms" | "metrics" | "clock" | "log" | "config">, event: BakeCheckEvent): Promise<BakeWatch> {
  const { deployment: d, watch } = event;
  if ((await deps.callbacks.getWaiting(d.deploymentId))?.token !== watch.token) return { ...watch, over: true };
  const now = deps.clock.nowMs();
  let gateFailures = watch.gateFailures;
  try {
    if (d.alarmMonitoring === "polling") await checkAlarms(deps, d);
    if (d.metricGates.length) gateFailures = await evaluateGatesNow(deps, d, watch.sleepSeconds, watch.gateFailures, bakeSecondsLeft(watch, now));
  } catch (e) {
    if ((e as Error).name === ErrorNames.Transient) throw e;
    await deps.stepFunctions.sendTaskFailure(watch.token, (e as Error).name, (e as Error).message);
    return { ...watch, over: true };
  }
  const next = nextWatch(watch, d, now, gateFailures);
  if (next.over) {
    await deps.stepFunctions.sendTaskSuccess(watch.token, { action: "baked" });
    return next;
  }
  if (next.checks < WATCH_CHECKS_PER_EXECUTION) return next;
  const successor = `${event.executionName.replace(/-p\d+$/, "")}-p${next.part + 1}`;
  await deps.stepFunctions.startExecution(deps.config.bakeWatcherArn, successor, { deployment: d, watch: { ...next, checks: 0, part: next.part + 1 } });
  return { ...next, over: true };
}
