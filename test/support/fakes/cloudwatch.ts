import type { AlarmReading } from "../../../functions/domain/alarms/evaluate.js";
import type { MetricQuery } from "../../../functions/domain/gates/queries.js";
import type { AlarmsPort, MetricsPort } from "../../../functions/ports/cloudwatch.js";

/** Alarm states by name and fixed metric values per query id; `failNext` makes the next reads throw. */
export class FakeCloudWatch implements AlarmsPort, MetricsPort {
  readonly alarms = new Map<string, string>();
  readonly metricValues = new Map<string, number | null>();
  readonly reads: string[][] = [];
  readonly windows: { startMs: number; endMs: number }[] = [];
  failNext: Error[] = [];

  async describeAlarms(names: string[]): Promise<AlarmReading[]> {
    this.reads.push([...names]);
    const failure = this.failNext.shift();
    if (failure) throw failure;
    return names.filter((n) => this.alarms.has(n)).map((n) => ({ name: n, state: this.alarms.get(n) ?? "OK" }));
  }
  async getMetricWindow(queries: MetricQuery[], startMs: number, endMs: number) {
    this.windows.push({ startMs, endMs });
    return Object.fromEntries(queries.filter((q) => q.returnData).map((q) => [q.id, this.metricValues.get(q.id) ?? null]));
  }
}
