import type { AlarmReading } from "../domain/alarms/evaluate.js";
import type { MetricQuery } from "../domain/gates/queries.js";

/** Alarm states by name (metric and composite alarms). Names CloudWatch does not know are simply absent. */
export interface AlarmsPort {
  describeAlarms(names: string[]): Promise<AlarmReading[]>;
}

/** GetMetricData over one window: the aggregated value per returned query (null = no data). */
export interface MetricsPort {
  getMetricWindow(queries: MetricQuery[], startMs: number, endMs: number): Promise<Record<string, number | null>>;
}
