import { createHash } from "node:crypto";
import type { AlarmRecord, AlarmStateSnapshot } from "./world.js";

/**
 * The event CloudWatch puts on the default bus when an alarm changes state, in the shape AWS documents.
 *
 * CloudWatch, "Alarm events and EventBridge" (CloudWatch User Guide, cloudwatch-and-eventbridge):
 * "CloudWatch sends events to Amazon EventBridge whenever a CloudWatch alarm ... changes alarm
 * state". Example (single-metric alarm):
 *
 *   {"version":"0","id":"...","detail-type":"CloudWatch Alarm State Change","source":"aws.cloudwatch",
 *    "account":"123456789012","time":"2019-10-02T17:04:40Z","region":"us-east-1",
 *    "resources":["arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh"],
 *    "detail":{"alarmName":"ServerCpuTooHigh",
 *      "configuration":{"description":"...","metrics":[{"id":"30b6c6b2-...","metricStat":{"metric":{
 *        "dimensions":{"InstanceId":"i-..."},"name":"CPUUtilization","namespace":"AWS/EC2"},
 *        "period":300,"stat":"Average"},"returnData":true}]},
 *      "previousState":{"reason":"...","reasonData":"{...}","timestamp":"2019-10-01T13:56:40.987+0000","value":"OK"},
 *      "state":{"reason":"...","reasonData":"{...}","timestamp":"2019-10-02T17:04:40.985+0000","value":"ALARM"}}}
 *
 * Composite alarms carry `configuration.alarmRule` instead of `metrics` (same page, composite tab).
 * Here `reasonData` appears only when the state has some (SetAlarmState's StateReasonData), the
 * metric `id` is a stable UUID-shaped hash of the alarm name, and `description` only when set.
 */
export const ALARM_STATE_CHANGE = "CloudWatch Alarm State Change";

/** "2019-10-01T13:56:40.987+0000", the timestamp format of the alarm event's state blocks. */
export function alarmTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+0000");
}

function stableUuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function stateBlock(s: { value: string; reason: string; reasonData?: string; timestampMs: number }): Record<string, unknown> {
  const out: Record<string, unknown> = { reason: s.reason };
  if (s.reasonData !== undefined) out.reasonData = s.reasonData;
  out.timestamp = alarmTimestamp(s.timestampMs);
  out.value = s.value;
  return out;
}

/** The `detail` of a "CloudWatch Alarm State Change" event for a change of `alarm` (already in its new state). */
export function alarmStateChangeDetail(alarm: Readonly<AlarmRecord>, previous: AlarmStateSnapshot): Record<string, unknown> {
  const configuration: Record<string, unknown> = {};
  if (alarm.description) configuration.description = alarm.description;
  if (alarm.type === "composite") {
    configuration.alarmRule = alarm.alarmRule ?? "";
  } else if (alarm.metric) {
    const m = alarm.metric;
    configuration.metrics = [
      {
        id: stableUuid(`alarm-metric:${alarm.name}`),
        metricStat: {
          metric: { dimensions: Object.fromEntries(m.dimensions.map((d) => [d.Name, d.Value])), name: m.metricName, namespace: m.namespace },
          period: m.period,
          stat: m.statistic,
        },
        returnData: true,
      },
    ];
  }
  return {
    alarmName: alarm.name,
    state: stateBlock({ value: alarm.state, reason: alarm.reason, reasonData: alarm.reasonData, timestampMs: alarm.updatedMs }),
    previousState: stateBlock(previous),
    configuration,
  };
}

