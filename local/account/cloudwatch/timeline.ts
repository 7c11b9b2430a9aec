import type { TimelineKind } from "../shared/service.js";
import { parseMetricId } from "./setup.js";
import { ALARM_STATES, type AlarmState, type CloudWatchWorld } from "./world.js";
import type { MetricId } from "./metrics.js";

/**
 * CloudWatch's timeline entries:
 *   {atSeconds, alarm: "orders-errors", state: "ALARM", reason?}   the alarm changes state (and emits its event)
 *   {atSeconds, metric: {namespace, metricName, dimensions?, value, unit?}}   one datapoint at that second
 */
export type AlarmItem = {
  atSeconds: number;
  alarm: string;
  state: AlarmState;
  reason?: string;
};

export type MetricItem = {
  atSeconds: number;
  metric: MetricId & { value: number; unit?: string };
};

export function cloudWatchTimeline(world: CloudWatchWorld, msAt: (atSeconds: number) => number): Record<string, TimelineKind> {
  return {
    alarm: {
      keys: ["state", "reason"],
      parse(o, f, c, atSeconds) {
        const alarm = c.string(o, "alarm", f, { required: true });
        const state = c.string(o, "state", f, { required: true, oneOf: ALARM_STATES }) as AlarmState | undefined;
        const reason = c.string(o, "reason", f);
        if (alarm && !world.has(alarm)) c.fail(`${f}.alarm`, `no alarm named ${alarm} in the account`);
        if (!alarm || !state) return undefined;
        const item: AlarmItem = reason ? { atSeconds, alarm, state, reason } : { atSeconds, alarm, state };
        return item;
      },
      apply(entry) {
        const { atSeconds: at, alarm, state, reason } = entry as AlarmItem;
        world.setState(alarm, state, reason ?? `Timeline: ${alarm} set to ${state} at ${at} s`, { source: "timeline", atMs: msAt(at) });
        return `alarm ${alarm} -> ${state}${reason ? ` (${reason})` : ""}`;
      },
    },
    metric: {
      keys: [],
      parse(o, f, c, atSeconds) {
        const mo = c.object(o.metric, `${f}.metric`, ["namespace", "metricName", "dimensions", "value", "unit"]);
        const id = mo ? parseMetricId(mo, `${f}.metric`, c) : undefined;
        const value = mo ? c.number(mo, "value", `${f}.metric`, { required: true }) : undefined;
        const unit = mo ? c.string(mo, "unit", `${f}.metric`) : undefined;
        if (!id || value === undefined) return undefined;
        const item: MetricItem = { atSeconds, metric: unit ? { ...id, value, unit } : { ...id, value } };
        return item;
      },
      apply(entry) {
        const { atSeconds, metric } = entry as MetricItem;
        world.metrics.add(metric, msAt(atSeconds), metric.value, metric.unit);
        return `metric ${metric.namespace}/${metric.metricName} = ${metric.value}`;
      },
    },
  };
}
