import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import type { AlarmReading } from "../domain/alarms/evaluate.js";
import type { MetricQuery } from "../domain/gates/queries.js";
import type { AlarmsPort, MetricsPort } from "../ports/cloudwatch.js";
import { cachedClient } from "./clients.js";
import { toStepDeployError } from "./aws-errors.js";

export const cloudWatchClient = (): CloudWatchClient => cachedClient("cloudwatch", (options) => new CloudWatchClient(options));

export function createCloudWatchAdapter(client?: CloudWatchClient): AlarmsPort & MetricsPort {
  return { describeAlarms: (names) => describeAlarms(names, client), getMetricWindow: (queries, startMs, endMs) => getMetricWindow(queries, startMs, endMs, client) };
}

/** Reads metric and composite alarms by name. Names CloudWatch does not know are simply absent. */
export async function describeAlarms(names: string[], client = cloudWatchClient()): Promise<AlarmReading[]> {
  if (names.length === 0) return [];
  try {
    const out = await client.send(
      new DescribeAlarmsCommand({ AlarmNames: names, AlarmTypes: ["MetricAlarm", "CompositeAlarm"], MaxRecords: 100 }),
    );
    return [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])].map((a) => ({
      name: a.AlarmName ?? "",
      state: a.StateValue ?? "INSUFFICIENT_DATA",
      reason: a.StateReason,
    }));
  } catch (e) {
    throw toStepDeployError(e, "DescribeAlarms");
  }
}

/** GetMetricData over one window with one period: the aggregated value per returned query (null = no data). */
export async function getMetricWindow(queries: MetricQuery[], startMs: number, endMs: number, client = cloudWatchClient()): Promise<Record<string, number | null>> {
  const period = Math.max(60, Math.round((endMs - startMs) / 60000) * 60);
  try {
    const out = await client.send(
      new GetMetricDataCommand({
        StartTime: new Date(startMs),
        EndTime: new Date(endMs),
        MetricDataQueries: queries.map((q) => ({
          Id: q.id,
          ReturnData: q.returnData,
          ...(q.expression
            ? { Expression: q.expression }
            : {
                MetricStat: {
                  Metric: { Namespace: q.stat?.namespace, MetricName: q.stat?.metricName, Dimensions: Object.entries(q.stat?.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value })) },
                  Period: period,
                  Stat: q.stat?.stat,
                },
              }),
        })),
      }),
    );
    const values: Record<string, number | null> = {};
    for (const r of out.MetricDataResults ?? []) {
      const v = r.Values ?? [];
      values[r.Id ?? ""] = v.length ? v.reduce((a, b) => a + b, 0) : null;
    }
    return values;
  } catch (e) {
    throw toStepDeployError(e, "GetMetricData");
  }
}
