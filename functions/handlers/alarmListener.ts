import { watchersOf } from "../adapters/dynamodb-callbacks.js";
import { sendTaskFailure } from "../adapters/sfn.js";
import { ErrorNames } from "../domain/errors.js";
import { logger } from "../lib/logger.js";

/** CloudWatch "Alarm State Change" as EventBridge delivers it (free AWS events on the default bus). */
export interface AlarmStateChangeEvent {
  source: string;
  "detail-type": string;
  detail: { alarmName: string; state: { value: string; reason?: string; timestamp?: string } };
}

/**
 * Fails the waiting bake (or pause) of every deployment that watches the alarm, so the workflow
 * rolls back within one callback round-trip instead of at the next poll. A stale token (the wait
 * already ended) is ignored.
 */
export async function handler(event: AlarmStateChangeEvent): Promise<{ alarm: string; stopped: string[] }> {
  const { alarmName, state } = event.detail;
  if (state.value !== "ALARM") return { alarm: alarmName, stopped: [] };
  const stopped: string[] = [];
  for (const w of await watchersOf(alarmName)) {
    const delivered = await sendTaskFailure(w.token, ErrorNames.AlarmTriggered, `alarm(s) in ALARM state: ${alarmName}${state.reason ? ` (${state.reason})` : ""}`);
    if (delivered) stopped.push(w.deploymentId);
  }
  logger.info("alarm state change handled", { alarmName, stopped });
  return { alarm: alarmName, stopped };
}
