import { ValidationErrors } from "../errors.js";

/**
 * Metric gates (CodeDeploy has none): CloudWatch metrics checked on the new version during every
 * bake. A gate fails the deployment (Deploy.MetricGateFailed, with the measured values) after
 * `failureLimit` consecutive failing evaluations.
 *
 * A gate measures one of:
 *  - `metric`: one MetricStat;
 *  - `ratio`: 100 * numerator / denominator (e.g. Lambda Errors / Invocations for the alias'
 *    ExecutedVersion), computed here from two MetricStats;
 *  - `expression`: a CloudWatch metric math expression over `metrics` (evaluated by CloudWatch).
 * `lambdaErrorRatePercent` is a shortcut for the ratio Errors/Invocations of the target version.
 */
export interface MetricStatSpec {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  stat: string;
}

export type Comparison = "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";

export interface MetricGate {
  name: string;
  metric?: MetricStatSpec;
  ratio?: { numerator: MetricStatSpec; denominator: MetricStatSpec };
  expression?: { expression: string; metrics: (MetricStatSpec & { id: string })[] };
  threshold: number;
  comparison: Comparison;
  /** Seconds between evaluations; each evaluation reads the last interval. */
  intervalSeconds: number;
  failureLimit: number;
  /** What "no datapoints" (too little traffic) means. */
  noData: "fail" | "pause" | "continue";
}

export interface GateReading {
  name: string;
  value: number | null;
  failed: boolean;
  consecutiveFailures: number;
}

const COMPARISONS: Comparison[] = ["GreaterThanThreshold", "GreaterThanOrEqualToThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"];
const KNOWN = new Set(["name", "metric", "ratio", "expression", "lambdaErrorRatePercent", "threshold", "comparison", "intervalSeconds", "failureLimit", "noData"]);

type Problems = { field: string; reason: string }[];

function stat(v: unknown, field: string, problems: Problems): MetricStatSpec | undefined {
  const m = v as Partial<MetricStatSpec> | undefined;
  if (!m || typeof m !== "object") {
    problems.push({ field, reason: "must be {namespace, metricName, dimensions, stat}" });
    return undefined;
  }
  for (const k of ["namespace", "metricName", "stat"] as const) {
    if (typeof m[k] !== "string" || !m[k]) problems.push({ field: `${field}.${k}`, reason: "is required" });
  }
  return { namespace: String(m.namespace), metricName: String(m.metricName), dimensions: (m.dimensions ?? {}) as Record<string, string>, stat: String(m.stat) };
}

/** Validates `metricGates`; `target` fills the `lambdaErrorRatePercent` shortcut. */
export function parseMetricGates(raw: unknown, target: { functionName: string; alias: string; targetVersion: string }): MetricGate[] {
  if (raw === undefined || raw === null) return [];
  const problems: Problems = [];
  if (!Array.isArray(raw)) throw new ValidationErrors([{ field: "metricGates", reason: "must be a list of gates" }]);
  const gates = raw.map((g: Record<string, unknown>, i) => {
    const f = (k: string) => `metricGates[${i}].${k}`;
    if (!g || typeof g !== "object") {
      problems.push({ field: `metricGates[${i}]`, reason: "must be an object" });
      return undefined;
    }
    for (const k of Object.keys(g)) if (!KNOWN.has(k)) problems.push({ field: f(k), reason: "unknown field" });
    const kinds = ["metric", "ratio", "expression", "lambdaErrorRatePercent"].filter((k) => g[k] !== undefined);
    if (kinds.length !== 1) problems.push({ field: `metricGates[${i}]`, reason: "needs exactly one of metric, ratio, expression, lambdaErrorRatePercent" });
    const gate: MetricGate = {
      name: typeof g.name === "string" && g.name ? g.name : `gate-${i + 1}`,
      threshold: Number(g.threshold),
      comparison: (g.comparison as Comparison) ?? "GreaterThanThreshold",
      intervalSeconds: g.intervalSeconds === undefined ? 300 : Number(g.intervalSeconds),
      failureLimit: g.failureLimit === undefined ? 1 : Number(g.failureLimit),
      noData: (g.noData as MetricGate["noData"]) ?? "continue",
    };
    if (g.lambdaErrorRatePercent === undefined && !Number.isFinite(gate.threshold)) problems.push({ field: f("threshold"), reason: "must be a number" });
    if (!COMPARISONS.includes(gate.comparison)) problems.push({ field: f("comparison"), reason: `must be one of ${COMPARISONS.join(", ")}` });
    if (!Number.isInteger(gate.intervalSeconds) || gate.intervalSeconds < 60 || gate.intervalSeconds > 86400) problems.push({ field: f("intervalSeconds"), reason: "must be an integer from 60 to 86400 (CloudWatch's standard resolution is 60 s)" });
    if (!Number.isInteger(gate.failureLimit) || gate.failureLimit < 1 || gate.failureLimit > 100) problems.push({ field: f("failureLimit"), reason: "must be an integer from 1 to 100" });
    if (!["fail", "pause", "continue"].includes(gate.noData)) problems.push({ field: f("noData"), reason: 'must be "fail", "pause" or "continue"' });
    if (g.metric !== undefined) gate.metric = stat(g.metric, f("metric"), problems);
    if (g.ratio !== undefined) {
      const r = g.ratio as { numerator?: unknown; denominator?: unknown };
      const numerator = stat(r?.numerator, f("ratio.numerator"), problems);
      const denominator = stat(r?.denominator, f("ratio.denominator"), problems);
      if (numerator && denominator) gate.ratio = { numerator, denominator };
    }
    if (g.expression !== undefined) {
      const e = g.expression as { expression?: unknown; metrics?: unknown[] };
      if (typeof e?.expression !== "string") problems.push({ field: f("expression.expression"), reason: "must be a metric math expression" });
      const metrics = (e?.metrics ?? []).map((m, j) => ({ ...(stat(m, f(`expression.metrics[${j}]`), problems) as MetricStatSpec), id: String((m as { id?: string }).id ?? `m${j}`) }));
      gate.expression = { expression: String(e?.expression), metrics };
    }
    if (g.lambdaErrorRatePercent !== undefined) {
      // Lambda publishes per-version metrics with dimensions FunctionName, Resource (function:alias) and ExecutedVersion.
      const dims = { FunctionName: target.functionName, Resource: `${target.functionName}:${target.alias}`, ExecutedVersion: target.targetVersion };
      gate.ratio = {
        numerator: { namespace: "AWS/Lambda", metricName: "Errors", dimensions: dims, stat: "Sum" },
        denominator: { namespace: "AWS/Lambda", metricName: "Invocations", dimensions: dims, stat: "Sum" },
      };
      gate.threshold = Number(g.lambdaErrorRatePercent);
      if (!Number.isFinite(gate.threshold)) problems.push({ field: f("lambdaErrorRatePercent"), reason: "must be a number (percent)" });
    }
    return gate;
  });
  if (problems.length) throw new ValidationErrors(problems);
  return gates as MetricGate[];
}

export function breaches(value: number, gate: Pick<MetricGate, "threshold" | "comparison">): boolean {
  switch (gate.comparison) {
    case "GreaterThanThreshold":
      return value > gate.threshold;
    case "GreaterThanOrEqualToThreshold":
      return value >= gate.threshold;
    case "LessThanThreshold":
      return value < gate.threshold;
    case "LessThanOrEqualToThreshold":
      return value <= gate.threshold;
  }
}

export type GateOutcome = { kind: "pass" } | { kind: "fail"; reason: string } | { kind: "pause"; reason: string };

/**
 * One evaluation of every gate: `values` is the measured value per gate (null = no data),
 * `previous` the consecutive-failure counts so far.
 */
export function evaluateGates(gates: MetricGate[], values: (number | null)[], previous: number[] = []): { outcome: GateOutcome; readings: GateReading[] } {
  const readings = gates.map((g, i): GateReading => {
    const v = values[i] ?? null;
    const failedNow = v === null ? g.noData === "fail" : breaches(v, g);
    return { name: g.name, value: v, failed: failedNow, consecutiveFailures: failedNow ? (previous[i] ?? 0) + 1 : 0 };
  });
  const describe = (r: GateReading, g: MetricGate) => `${r.name}=${r.value === null ? "no data" : Number(r.value.toFixed(4))} (${g.comparison} ${g.threshold}, ${r.consecutiveFailures}/${g.failureLimit})`;
  const failing = readings.filter((r, i) => r.failed && r.consecutiveFailures >= (gates[i]?.failureLimit ?? 1));
  if (failing.length) return { readings, outcome: { kind: "fail", reason: `metric gate(s) failed: ${failing.map((r) => describe(r, gates[readings.indexOf(r)] as MetricGate)).join("; ")}` } };
  const pausing = readings.filter((r, i) => r.value === null && gates[i]?.noData === "pause");
  if (pausing.length) return { readings, outcome: { kind: "pause", reason: `no data for ${pausing.map((r) => r.name).join(", ")}; paused until an operator resumes` } };
  return { readings, outcome: { kind: "pass" } };
}
