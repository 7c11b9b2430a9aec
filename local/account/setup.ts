import { type AlarmDefinition, type AlarmState, ALARM_STATES, type Dimension } from "./cloudwatch/world.js";
import { AwsError } from "./shared/protocol/errors.js";
import { type FaultSpec, parseFault } from "./shared/transport/faults.js";
import { checkAliasTarget } from "./lambda/routing.js";
import { parseResults } from "./lambda/script.js";
import type { FunctionDefinition } from "./lambda/world.js";
import type { MetricId } from "./cloudwatch/metrics.js";
import type { StateMachineSpec } from "./sfn/world.js";
import { Checker, type Json } from "./shared/checker.js";

/**
 * The plain-JSON "account setup" (the `account` part of a scenario file), validated strictly.
 * Shape (every key optional; see README.md for the full reference):
 *
 *   { "functions": [{ "name": "orders", "versions": 4, "aliases": { "live": "3" } }],
 *     "hooks":     [{ "name": "CodeDeployHook_pre", "results": [{ "status": "Succeeded" }], "latencySeconds": 5 }],
 *     "alarms":    [{ "name": "orders-errors", "state": "OK" }],
 *     "eventBuses": ["stepdeploy-dev"],
 *     "stateMachines": [{ "name": "deploy-lambda", "type": "STANDARD" }],
 *     "metrics":   [{ "namespace": "AWS/Lambda", "metricName": "Errors", "dimensions": { "FunctionName": "orders" },
 *                     "datapoints": [{ "atSeconds": 60, "value": 2 }] }],
 *     "faults":    [{ "operation": "UpdateAlias", "kind": "throttle", "count": 2 }] }
 */
export interface MetricSetup extends MetricId {
  unit?: string;
  datapoints: { atSeconds: number; value: number }[];
}

export interface ParsedSetup {
  functions: FunctionDefinition[];
  alarms: AlarmDefinition[];
  eventBuses: string[];
  stateMachines: StateMachineSpec[];
  metrics: MetricSetup[];
  faults: FaultSpec[];
}

const TOP = ["functions", "hooks", "alarms", "eventBuses", "stateMachines", "metrics", "faults"] as const;
const FUNCTION_KEYS = [
  "name",
  "versions",
  "aliases",
  "timeoutSeconds",
  "memorySize",
  "runtime",
  "handler",
  "role",
  "packageType",
  "imageUri",
  "description",
  "results",
  "latencySeconds",
  "codeUpdateSeconds",
] as const;
const ALARM_KEYS = ["name", "type", "state", "reason", "description", "metric", "alarmRule"] as const;
const ALARM_METRIC_KEYS = ["namespace", "metricName", "dimensions", "statistic", "period", "evaluationPeriods", "threshold", "comparisonOperator"] as const;

/** Validates an account setup; throws ValidationErrors (`Simulate.InvalidAccount`) listing every problem. */
export function parseSetup(raw: unknown): ParsedSetup {
  const c = new Checker();
  const o = c.object(raw ?? {}, "account", TOP);
  const out: ParsedSetup = { functions: [], alarms: [], eventBuses: [], stateMachines: [], metrics: [], faults: [] };
  if (!o) {
    c.throwIfAny();
    return out;
  }
  const names = new Set<string>();
  const addFunction = (item: unknown, field: string, kind: "function" | "hook") => {
    const def = parseFunction(item, field, c, kind);
    if (!def) return;
    if (names.has(def.name)) c.fail(`${field}.name`, `function ${def.name} is defined twice`);
    names.add(def.name);
    out.functions.push(def);
  };
  c.array(o.functions, "account.functions").forEach((f, i) => {
    addFunction(f, `account.functions[${i}]`, "function");
  });
  c.array(o.hooks, "account.hooks").forEach((f, i) => {
    addFunction(f, `account.hooks[${i}]`, "hook");
  });

  const alarmNames = new Set<string>();
  c.array(o.alarms, "account.alarms").forEach((a, i) => {
    const def = parseAlarm(a, `account.alarms[${i}]`, c);
    if (!def) return;
    if (alarmNames.has(def.name)) c.fail(`account.alarms[${i}].name`, `alarm ${def.name} is defined twice`);
    alarmNames.add(def.name);
    out.alarms.push(def);
  });

  c.array(o.eventBuses, "account.eventBuses").forEach((b, i) => {
    if (typeof b !== "string" || !/^[/.\-_A-Za-z0-9]{1,256}$/.test(b)) c.fail(`account.eventBuses[${i}]`, "must be an event bus name ([/.-_A-Za-z0-9]+)");
    else if (b === "default" || out.eventBuses.includes(b)) c.fail(`account.eventBuses[${i}]`, `${b} already exists`);
    else out.eventBuses.push(b);
  });

  c.array(o.stateMachines, "account.stateMachines").forEach((m, i) => {
    const field = `account.stateMachines[${i}]`;
    const so = c.object(m, field, ["name", "type", "definition", "roleArn"]);
    if (!so) return;
    const name = c.string(so, "name", field, { required: true });
    const type = c.string(so, "type", field, { oneOf: ["STANDARD", "EXPRESS"] }) as StateMachineSpec["type"];
    const roleArn = c.string(so, "roleArn", field);
    const definition = so.definition;
    if (definition !== undefined && typeof definition !== "string" && (typeof definition !== "object" || definition === null || Array.isArray(definition))) {
      c.fail(`${field}.definition`, "must be an ASL object or its JSON text");
    }
    if (name !== undefined && (name.length > 80 || /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/.test(name))) c.fail(`${field}.name`, "must be a Step Functions name (1-80 characters, no white space or special characters)");
    if (name !== undefined && out.stateMachines.some((x) => x.name === name)) c.fail(`${field}.name`, `state machine ${name} is defined twice`);
    if (name === undefined) return;
    const spec: StateMachineSpec = { name };
    if (type) spec.type = type;
    if (roleArn) spec.roleArn = roleArn;
    if (definition !== undefined) spec.definition = definition as string | object;
    out.stateMachines.push(spec);
  });

  c.array(o.metrics, "account.metrics").forEach((m, i) => {
    const field = `account.metrics[${i}]`;
    const mo = c.object(m, field, ["namespace", "metricName", "dimensions", "unit", "datapoints"]);
    if (!mo) return;
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
    if (id) out.metrics.push(unit ? { ...id, unit, datapoints } : { ...id, datapoints });
  });

  c.array(o.faults, "account.faults").forEach((f, i) => {
    const spec = parseFault(f, `account.faults[${i}]`, c);
    if (spec) out.faults.push(spec);
  });
  c.throwIfAny();
  return out;
}

function parseFunction(raw: unknown, field: string, c: Checker, kind: "function" | "hook"): FunctionDefinition | undefined {
  const o = c.object(raw, field, FUNCTION_KEYS);
  if (!o) return undefined;
  const before = c.problems.length;
  const name = c.string(o, "name", field, { required: true });
  if (name !== undefined && !/^[a-zA-Z0-9-_]{1,64}$/.test(name)) c.fail(`${field}.name`, "must be 1-64 characters of [a-zA-Z0-9-_]");
  const def: FunctionDefinition = { name: name ?? "", kind };
  const versions = c.number(o, "versions", field, { integer: true, min: 0 });
  if (versions !== undefined) def.versions = versions;
  const timeout = c.number(o, "timeoutSeconds", field, { integer: true, min: 1 });
  if (timeout !== undefined && timeout > 900) c.fail(`${field}.timeoutSeconds`, "must be at most 900 (Lambda's maximum)");
  if (timeout !== undefined) def.timeoutSeconds = timeout;
  const memory = c.number(o, "memorySize", field, { integer: true, min: 128 });
  if (memory !== undefined && memory > 10240) c.fail(`${field}.memorySize`, "must be at most 10240");
  if (memory !== undefined) def.memorySize = memory;
  for (const key of ["runtime", "handler", "role", "imageUri", "description"] as const) {
    const v = c.string(o, key, field);
    if (v !== undefined) def[key] = v;
  }
  const packageType = c.string(o, "packageType", field, { oneOf: ["Zip", "Image"] }) as "Zip" | "Image" | undefined;
  if (packageType) def.packageType = packageType;
  if (packageType === "Image" && !def.imageUri) c.fail(`${field}.imageUri`, "is required for packageType Image");
  const results = parseResults(o.results, `${field}.results`, c);
  if (results) def.results = results;
  const latency = c.number(o, "latencySeconds", field, { min: 0 });
  if (latency !== undefined) def.latencySeconds = latency;
  const updateSeconds = c.number(o, "codeUpdateSeconds", field, { min: 0 });
  if (updateSeconds !== undefined) def.codeUpdateSeconds = updateSeconds;

  if (o.aliases !== undefined) {
    const ao = c.object(o.aliases, `${field}.aliases`, Object.keys((o.aliases as Json) ?? {}));
    const aliases: NonNullable<FunctionDefinition["aliases"]> = {};
    for (const [alias, target] of Object.entries(ao ?? {})) {
      const af = `${field}.aliases.${alias}`;
      if (!/^[a-zA-Z0-9-_]{1,128}$/.test(alias) || /^[0-9]+$/.test(alias)) c.fail(af, "alias names are 1-128 characters of [a-zA-Z0-9-_], not all digits");
      let t: { functionVersion: string; weights: Record<string, unknown>; description?: string } | undefined;
      if (typeof target === "string") t = { functionVersion: target, weights: {} };
      else {
        const to = c.object(target, af, ["version", "weights", "description"]);
        const version = to ? c.string(to, "version", af, { required: true }) : undefined;
        const weights = to?.weights === undefined ? {} : c.object(to.weights, `${af}.weights`, Object.keys((to.weights as Json) ?? {}));
        if (version && weights) t = { functionVersion: version, weights, description: to ? c.string(to, "description", af) : undefined };
      }
      if (!t) continue;
      try {
        const checked = checkAliasTarget(`function ${name}`, t, (v) => v === "$LATEST" || (/^[0-9]+$/.test(v) && Number(v) >= 1 && Number(v) <= (versions ?? 0)));
        aliases[alias] = t.description === undefined ? checked : { ...checked, description: t.description };
      } catch (e) {
        c.fail(af, e instanceof AwsError ? `${e.message}${e.code === "ResourceNotFoundException" ? ` (the function has ${versions ?? 0} published versions)` : ""}` : String(e));
      }
    }
    def.aliases = aliases;
  }
  return c.problems.length > before ? undefined : def;
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
