/** Alarm states as CloudWatch reports them. Only ALARM stops a deployment (codedeploy-spec §5.2). */
export interface AlarmReading {
  name: string;
  state: "OK" | "ALARM" | "INSUFFICIENT_DATA" | string;
  reason?: string;
}

export type AlarmVerdict =
  | { ok: true }
  | { ok: false; kind: "missing"; names: string[]; reason: string }
  | { ok: false; kind: "alarm"; names: string[]; reason: string };

/**
 * Decides from one DescribeAlarms reading. A requested alarm that CloudWatch does not return is
 * never read as OK: it is reported as missing. `ignored` are alarms the deployment was told to
 * disregard (CodeDeploy's overrideAlarmConfiguration).
 */
export function evaluateAlarms(requested: string[], readings: AlarmReading[], ignored: string[] = []): AlarmVerdict {
  const byName = new Map(readings.map((r) => [r.name, r]));
  const missing = requested.filter((n) => !byName.has(n));
  if (missing.length) {
    return { ok: false, kind: "missing", names: missing, reason: `alarm(s) not found in CloudWatch: ${missing.join(", ")}` };
  }
  const firing = requested.filter((n) => byName.get(n)?.state === "ALARM" && !ignored.includes(n));
  if (firing.length) {
    const details = firing.map((n) => `${n}${byName.get(n)?.reason ? ` (${byName.get(n)?.reason})` : ""}`);
    return { ok: false, kind: "alarm", names: firing, reason: `alarm(s) in ALARM state: ${details.join("; ")}` };
  }
  return { ok: true };
}
