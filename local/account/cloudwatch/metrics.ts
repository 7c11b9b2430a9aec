import { AwsError } from "../shared/protocol/errors.js";
import type { Dimension } from "./world.js";

/**
 * Metric series scripted over simulated time, and GetMetricData's MetricStat queries over them.
 * A series is identified, like in CloudWatch, by namespace + metric name + the full dimension
 * set. Each datapoint is one sample; a query aggregates the samples of each period with the
 * requested statistic. Datapoints in the simulated future are not visible yet.
 */
export interface MetricId {
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
}

export interface Sample {
  atMs: number;
  value: number;
}

export interface MetricStatQuery extends MetricId {
  period: number;
  stat: string;
  unit?: string;
}

export interface SeriesResult {
  timestamps: number[];
  values: number[];
}

const invalid = (message: string) => new AwsError("ValidationException", message, { status: 400, queryCode: "ValidationError" });

export function metricKey(m: MetricId): string {
  const dims = [...m.dimensions].sort((a, b) => a.Name.localeCompare(b.Name)).map((d) => `${d.Name}=${d.Value}`);
  return `${m.namespace}|${m.metricName}|${dims.join(",")}`;
}

export class MetricStore {
  private readonly series = new Map<string, { id: MetricId; unit?: string; samples: Sample[] }>();

  add(id: MetricId, atMs: number, value: number, unit?: string): void {
    const key = metricKey(id);
    let s = this.series.get(key);
    if (!s) {
      s = { id: { ...id, dimensions: [...id.dimensions] }, unit, samples: [] };
      this.series.set(key, s);
    }
    s.samples.push({ atMs, value });
    s.samples.sort((a, b) => a.atMs - b.atMs);
  }

  /** Aggregates samples in [startMs, endMs) seen by `nowMs`, one value per period that has data. */
  query(q: MetricStatQuery, startMs: number, endMs: number, nowMs: number, field: string): SeriesResult {
    const aggregate = statistic(q.stat, `${field}.MetricStat.Stat`);
    if (!Number.isInteger(q.period) || q.period < 1 || (q.period >= 60 ? q.period % 60 !== 0 : ![1, 5, 10, 30].includes(q.period))) {
      throw invalid(`The parameter ${field}.MetricStat.Period must be 1, 5, 10, 30 or a multiple of 60.`);
    }
    const s = this.series.get(metricKey(q));
    if (!s || (q.unit !== undefined && s.unit !== undefined && q.unit !== s.unit)) return { timestamps: [], values: [] };
    const periodMs = q.period * 1000;
    // StartTime is rounded down to the whole minute (second, for high-resolution periods).
    const origin = Math.floor(startMs / (q.period >= 60 ? 60_000 : 1000)) * (q.period >= 60 ? 60_000 : 1000);
    const buckets = new Map<number, number[]>();
    for (const p of s.samples) {
      if (p.atMs < origin || p.atMs >= endMs || p.atMs > nowMs) continue;
      const b = origin + Math.floor((p.atMs - origin) / periodMs) * periodMs;
      const list = buckets.get(b) ?? [];
      list.push(p.value);
      buckets.set(b, list);
    }
    const keys = [...buckets.keys()].sort((a, b) => a - b);
    return { timestamps: keys, values: keys.map((k) => aggregate(buckets.get(k) ?? [])) };
  }
}

/** SampleCount, Sum, Average, Minimum, Maximum and pNN[.NN] (nearest rank). */
function statistic(stat: string, field: string): (values: number[]) => number {
  switch (stat) {
    case "SampleCount":
      return (v) => v.length;
    case "Sum":
      return (v) => v.reduce((a, b) => a + b, 0);
    case "Average":
      return (v) => v.reduce((a, b) => a + b, 0) / v.length;
    case "Minimum":
      return (v) => Math.min(...v);
    case "Maximum":
      return (v) => Math.max(...v);
  }
  const p = /^p(\d{1,2}(\.\d{1,2})?|100)$/.exec(stat);
  if (p) {
    const q = Number(p[1]) / 100;
    return (v) => {
      const sorted = [...v].sort((a, b) => a - b);
      return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
    };
  }
  throw invalid(`The parameter ${field} must be a valid statistic (SampleCount, Sum, Average, Minimum, Maximum or pNN); got '${stat}'.`);
}
