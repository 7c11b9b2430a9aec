import type { MetricGate } from "./gate.js";

/** One GetMetricData query: a MetricStat or a metric math expression. */
export interface MetricQuery {
  id: string;
  stat?: { namespace: string; metricName: string; dimensions: Record<string, string>; stat: string };
  expression?: string;
  returnData: boolean;
}

/** The GetMetricData queries for a set of gates (ids g<i>, g<i>n, g<i>d, g<i>m<j>). */
export function gateQueries(gates: MetricGate[]): MetricQuery[] {
  return gates.flatMap((g, i): MetricQuery[] => {
    if (g.metric) return [{ id: `g${i}`, stat: g.metric, returnData: true }];
    if (g.ratio)
      return [
        { id: `g${i}n`, stat: g.ratio.numerator, returnData: true },
        { id: `g${i}d`, stat: g.ratio.denominator, returnData: true },
      ];
    if (g.expression)
      return [
        ...g.expression.metrics.map((m, j): MetricQuery => ({ id: `g${i}m${j}`, stat: m, returnData: false })),
        // Metric math refers to the metric ids the user chose; they are renamed per gate here.
        { id: `g${i}`, expression: g.expression.metrics.reduce((e, m, j) => e.replace(new RegExp(`\\b${m.id}\\b`, "g"), `g${i}m${j}`), g.expression.expression), returnData: true },
      ];
    return [];
  });
}

/** Each gate's value from the query results: a ratio with no denominator traffic is "no data". */
export function gateValues(gates: MetricGate[], results: Record<string, number | null>): (number | null)[] {
  return gates.map((g, i) => {
    if (!g.ratio) return results[`g${i}`] ?? null;
    const d = results[`g${i}d`] ?? null;
    if (d === null || d === 0) return null;
    return (100 * (results[`g${i}n`] ?? 0)) / d;
  });
}
