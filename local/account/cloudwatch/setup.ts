import type { Checker, Json } from "../shared/checker.js";
import type { SetupSection } from "../shared/service.js";
import type { MetricId } from "./metrics.js";
import { type AlarmDefinition, type AlarmState, ALARM_STATES, type CloudWatchWorld, type Dimension } from "./world.js";

/**
 * The account setup's `alarms` and `metrics`:
 *
 *   "alarms":  [{ "name": "orders-errors", "state": "OK" }],
 *   "metrics": [{ "namespace": "AWS/Lambda", "metricName": "Errors", "dimensions": { "FunctionName": "orders" },
 *                 "datapoints": [{ "atSeconds": 60, "value": 2 }] }]
 */
export interface MetricSetup extends MetricId {
  unit?: string;
  datapoints: { atSeconds: number; value: number }[];
}

const ALARM_KEYS = ["name", "type", "state", "reason", "description", "metric", "alarmRule"] as const;
const ALARM_METRIC_KEYS = ["namespace", "metricName", "dimensions", "statistic", "period", "evaluationPeriods", "threshold", "comparisonOperator"] as const;

export function cloudWatchSetup(world: CloudWatchWorld, msAt: (atSeconds: number) => number): SetupSection {
  return {
    keys: ["alarms", "metrics"],
    parse(setup, c) {
      const alarms: AlarmDefinition[] = [];
      const names = new Set<string>();
      c.array(setup.alarms, "account.alarms").forEach((a, i) => {
        const def = parseAlarm(a, `account.alarms[${i}]`, c);
        if (!def) return;
        if (names.has(def.name) || world.has(def.name)) c.fail(`account.alarms[${i}].name`, `alarm ${def.name} is defined twice`);
        names.add(def.name);
        alarms.push(def);
      });
      const metrics = c.array(setup.metrics, "account.metrics").flatMap((m, i) => parseMetricSetup(m, `account.metrics[${i}]`, c) ?? []);
      return () => {
        for (const a of alarms) world.defineAlarm(a);
        for (const m of metrics) for (const p of m.datapoints) world.metrics.add(m, msAt(p.atSeconds), p.value, m.unit);
      };
    },
  };
}

function parseMetricSetup(m: unknown, field: string, c: Checker): MetricSetup | undefined {
  const mo = c.object(m, field, ["namespace", "metricName", "dimensions", "unit", "datapoints"]);
  if (!mo) return undefined;
  const id = parseMetricId(mo, field, c);
  const unit = c.string(mo, "unit", field);
  const datapoints: MetricSetup["datapoints"] = [];
  c.array(mo.datapoints, `${field}.datapoints`).forEach((p, k) => {
    const pf = `${field}.datapoints[${k}]`;
    const po = c.object(p, pf, ["atSeconds", "value"]);
    if (!po) return;
    const atSeconds = c.number(po, "atSeconds", pf, { required: true, min: 0 });
    const value = c.number(po, "value", pf, { required: true });
    if (atSeconds !== undefined && value !== undefined) datapoints.push({ atSeconds, value });
  });
  if (!id) return undefined;
  return unit ? { ...id, unit, datapoints } : { ...id, datapoints };
}

function parseAlarm(raw: unknown, field: string, c: Checker): AlarmDefinition | undefined {
  const o = c.object(raw, field, ALARM_KEYS);
  if (!o) return undefined;
  const before = c.problems.length;
  const name = c.string(o, "name", field, { required: true });
  const def: AlarmDefinition = { name: name ?? "" };
  const type = c.string(o, "type", field, { oneOf: ["metric", "composite"] }) as "metric" | "composite" | undefined;
  if (type) def.type = type;
  const state = c.string(o, "state", field, { oneOf: ALARM_STATES }) as AlarmState | undefined;
  if (state) def.state = state;
  for (const key of ["reason", "description", "alarmRule"] as const) {
    const v = c.string(o, key, field);
    if (v !== undefined) def[key] = v;
  }
  if (def.alarmRule !== undefined && type === "metric") c.fail(`${field}.alarmRule`, "only applies to composite alarms");
  if (o.metric !== undefined) {
    if (type === "composite" || def.alarmRule !== undefined) c.fail(`${field}.metric`, "only applies to metric alarms");
    const mf = `${field}.metric`;
    const mo = c.object(o.metric, mf, ALARM_METRIC_KEYS);
    if (mo) {
      const m: NonNullable<AlarmDefinition["metric"]> = {};
      for (const key of ["namespace", "metricName", "statistic", "comparisonOperator"] as const) {
        const v = c.string(mo, key, mf);
        if (v !== undefined) m[key] = v;
      }
      for (const key of ["period", "evaluationPeriods"] as const) {
        const v = c.number(mo, key, mf, { integer: true, min: 1 });
        if (v !== undefined) m[key] = v;
      }
      const threshold = c.number(mo, "threshold", mf);
      if (threshold !== undefined) m.threshold = threshold;
      if (mo.dimensions !== undefined) m.dimensions = parseDimensions(mo.dimensions, `${mf}.dimensions`, c);
      def.metric = m;
    }
  }
  return c.problems.length > before ? undefined : def;
}

/** Dimensions as `{"FunctionName": "orders"}` or CloudWatch's `[{"Name": ..., "Value": ...}]`. */
export function parseDimensions(raw: unknown, field: string, c: Checker): Dimension[] {
  if (raw === undefined) return [];
  if (Array.isArray(raw)) {
    return raw.flatMap((d, i) => {
      const o = c.object(d, `${field}[${i}]`, ["Name", "Value"]);
      const Name = o ? c.string(o, "Name", `${field}[${i}]`, { required: true }) : undefined;
      const Value = o ? c.string(o, "Value", `${field}[${i}]`, { required: true }) : undefined;
      return Name && Value ? [{ Name, Value }] : [];
    });
  }
  const o = c.object(raw, field, Object.keys((raw as Json) ?? {}));
  return Object.entries(o ?? {}).flatMap(([Name, Value]) => {
    if (typeof Value !== "string" || !Value) {
      c.fail(`${field}.${Name}`, "must be a non-empty string");
      return [];
    }
    return [{ Name, Value }];
  });
}

export function parseMetricId(o: Json, field: string, c: Checker): MetricId | undefined {
  const namespace = c.string(o, "namespace", field, { required: true });
  const metricName = c.string(o, "metricName", field, { required: true });
  const dimensions = parseDimensions(o.dimensions, `${field}.dimensions`, c);
  return namespace && metricName ? { namespace, metricName, dimensions } : undefined;
}
