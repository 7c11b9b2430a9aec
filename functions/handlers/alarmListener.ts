import type { AlarmStateChangeEvent } from "../domain/alarms/events.js";
import { handleAlarmStateChange } from "../services/alarm-events.js";
import { type Deps, realDeps } from "../wiring.js";

/** CloudWatch "Alarm State Change": fail the waiting bake or pause of every deployment watching that alarm (same account and region). */
export function createHandler(deps: Pick<Deps, "callbacks" | "stepFunctions" | "log">) {
  return (event: AlarmStateChangeEvent) => handleAlarmStateChange(deps, event);
}

export const handler = createHandler(realDeps());
