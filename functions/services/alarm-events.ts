import { type AlarmStateChangeEvent, alarmOrigin, isWatchedAlarm } from "../domain/alarms/events.js";
import { ErrorNames } from "../domain/errors.js";
import type { Deps } from "../wiring.js";

/**
 * Fails the waiting bake (or pause) of every deployment that watches the alarm, so the workflow rolls back within
 * one callback round-trip. Only the deployments whose alarms live in the event's account and region: a same-named
 * alarm elsewhere is ignored and logged. A stale token (the wait already ended) is ignored.
 */
export async function handleAlarmStateChange(deps: Pick<Deps, "callbacks" | "stepFunctions" | "log">, event: AlarmStateChangeEvent): Promise<{ alarm: string; stopped: string[]; ignored: string[] }> {
  const { alarmName, state } = event.detail;
  const stopped: string[] = [];
  const ignored: string[] = [];
  if (state.value !== "ALARM") return { alarm: alarmName, stopped, ignored };
  const origin = alarmOrigin(event);
  for (const w of await deps.callbacks.watchersOf(alarmName)) {
    if (!isWatchedAlarm(origin, w)) {
      deps.log(w.deploymentId).warn("alarm event from another account or region ignored", { alarmName, event: origin, watching: { account: w.account, region: w.region } });
      ignored.push(w.deploymentId);
      continue;
    }
    const delivered = await deps.stepFunctions.sendTaskFailure(w.token, ErrorNames.AlarmTriggered, `alarm(s) in ALARM state: ${alarmName}${state.reason ? ` (${state.reason})` : ""}`);
    if (delivered) {
      stopped.push(w.deploymentId);
      deps.log(w.deploymentId).info("alarm ended the wait", { alarmName });
    }
  }
  // One line per deployment it touched (with its id); a summary only when it touched none.
  if (!stopped.length && !ignored.length) deps.log().info("alarm state change: no deployment watching", { alarmName });
  return { alarm: alarmName, stopped, ignored };
}
