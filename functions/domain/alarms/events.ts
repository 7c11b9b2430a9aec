/** CloudWatch "Alarm State Change" as EventBridge delivers it (free AWS events on the default bus). */
export interface AlarmStateChangeEvent {
  source: string;
  "detail-type": string;
  /** The account and region the alarm lives in (every EventBridge event carries them). */
  account?: string;
  region?: string;
  /** The alarm's ARN, `arn:aws:cloudwatch:<region>:<account>:alarm:<name>`. */
  resources?: string[];
  detail: { alarmName: string; state: { value: string; reason?: string; timestamp?: string } };
}

/**
 * Where the alarm of an event lives: the alarm ARN in `resources` when present, else the event's own
 * `account` and `region` (CloudWatch user guide, "Alarm events and EventBridge": both are set on every
 * alarm state change event).
 */
export function alarmOrigin(event: AlarmStateChangeEvent): { account?: string; region?: string } {
  const arn = event.resources?.find((r) => r.startsWith("arn:") && r.includes(":cloudwatch:"));
  if (arn) {
    const [, , , region, account] = arn.split(":");
    return { account, region };
  }
  return { account: event.account, region: event.region };
}

/**
 * Whether an alarm event is about the alarm a deployment watches: same name (the watch's key), and the same
 * account and region. An alarm of the same name elsewhere (another account's alarm forwarded to this bus, another
 * region's) is not ours; an event that does not say where its alarm lives is not trusted either.
 */
export function isWatchedAlarm(origin: { account?: string; region?: string }, watch: { account?: string; region?: string }): boolean {
  if (!watch.account || !watch.region) return true; // a watch stored without its place (before this rule) trusts the name
  return origin.account === watch.account && origin.region === watch.region;
}
