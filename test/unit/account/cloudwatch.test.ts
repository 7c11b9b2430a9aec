import { DescribeAlarmsCommand, GetMetricDataCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { describe, expect, it } from "vitest";
import { type Harness, describeEachTransport, failure, } from "./helpers.js";

const SETUP = {
  alarms: [
    { name: "orders-errors", state: "OK" },
    { name: "orders-latency", state: "ALARM", reason: "Threshold Crossed: p99 > 1000 ms", metric: { metricName: "Duration", statistic: "Maximum", threshold: 1000, dimensions: { FunctionName: "orders" } } },
    { name: "orders-health", type: "composite", alarmRule: 'ALARM("orders-errors") OR ALARM("orders-latency")', state: "ALARM" },
  ],
  metrics: [
    {
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: "orders", Resource: "orders:live" },
      datapoints: [
        { atSeconds: 0, value: 0 },
        { atSeconds: 30, value: 2 },
        { atSeconds: 60, value: 1 },
        { atSeconds: 90, value: 3 },
        { atSeconds: 150, value: 5 },
        { atSeconds: 400, value: 9 },
      ],
    },
  ],
};

let h: Harness;
describeEachTransport(
  SETUP,
  (harness) => {
    h = harness;
  },
  () => {

  describe("DescribeAlarms", () => {
    it("returns the named metric alarms; missing names are simply absent", async () => {
      const out = await h.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ["orders-errors", "orders-latency", "does-not-exist"] }));
      expect(out.MetricAlarms?.map((a) => [a.AlarmName, a.StateValue])).toEqual([
        ["orders-errors", "OK"],
        ["orders-latency", "ALARM"],
      ]);
      const latency = out.MetricAlarms?.[1];
      expect(latency).toMatchObject({ StateReason: "Threshold Crossed: p99 > 1000 ms", MetricName: "Duration", Dimensions: [{ Name: "FunctionName", Value: "orders" }], Threshold: 1000 });
      expect(latency?.AlarmArn).toBe("arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-latency");
      expect(latency?.StateUpdatedTimestamp).toEqual(new Date("2026-01-01T00:00:00Z"));
      // Without AlarmTypes, only metric alarms come back (DescribeAlarms API reference).
      expect(out.CompositeAlarms).toEqual([]);
    });

    it("returns composite alarms when asked for, and filters by state and prefix", async () => {
      const both = await h.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ["orders-errors", "orders-health"], AlarmTypes: ["MetricAlarm", "CompositeAlarm"] }));
      expect(both.MetricAlarms?.map((a) => a.AlarmName)).toEqual(["orders-errors"]);
      expect(both.CompositeAlarms?.map((a) => [a.AlarmName, a.StateValue, a.AlarmRule])).toEqual([["orders-health", "ALARM", 'ALARM("orders-errors") OR ALARM("orders-latency")']]);
      const alarming = await h.cloudwatch.send(new DescribeAlarmsCommand({ StateValue: "ALARM", AlarmNamePrefix: "orders-" }));
      expect(alarming.MetricAlarms?.map((a) => a.AlarmName)).toEqual(["orders-latency"]);
      const paged = await h.cloudwatch.send(new DescribeAlarmsCommand({ MaxRecords: 1 }));
      expect(paged.MetricAlarms?.map((a) => a.AlarmName)).toEqual(["orders-errors"]);
      const rest = await h.cloudwatch.send(new DescribeAlarmsCommand({ MaxRecords: 1, NextToken: paged.NextToken }));
      expect(rest.MetricAlarms?.map((a) => a.AlarmName)).toEqual(["orders-latency"]);
    });

    it("reports the alarms it returned in the call log", async () => {
      await h.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ["orders-errors", "x"] }));
      expect(h.account.calls.at(-1)).toMatchObject({ service: "CloudWatch", operation: "DescribeAlarms", ok: true, summary: "orders-errors=OK, x=(absent)" });
    });

    it("validates its parameters with CloudWatch's errors", async () => {
      const e = await failure(h.cloudwatch.send(new DescribeAlarmsCommand({ MaxRecords: 500 })));
      expect(e.name).toBe("ValidationException");
      expect(e.Code).toBe("ValidationError");
      const both = await failure(h.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ["a"], AlarmNamePrefix: "a" })));
      expect(both.name).toBe("InvalidParameterCombinationException");
    });
  });

  describe("SetAlarmState", () => {
    it("changes the state and its timestamps in simulated time", async () => {
      h.clock.advance(240);
      await h.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: "orders-errors", StateValue: "ALARM", StateReason: "testing", StateReasonData: '{"x":1}' }));
      const a = (await h.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ["orders-errors"] }))).MetricAlarms?.[0];
      expect(a).toMatchObject({ StateValue: "ALARM", StateReason: "testing", StateReasonData: '{"x":1}' });
      expect(a?.StateUpdatedTimestamp).toEqual(new Date("2026-01-01T00:04:00Z"));
      expect(h.account.alarmHistory).toEqual([{ atSeconds: 240, alarm: "orders-errors", from: "OK", to: "ALARM", reason: "testing", source: "SetAlarmState" }]);
    });

    it("answers ResourceNotFound, InvalidFormatFault and ValidationException through the query-compatible error shape", async () => {
      const missing = await failure(h.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: "nope", StateValue: "ALARM", StateReason: "r" })));
      expect(missing.name).toBe("ResourceNotFound");
      expect(missing.$metadata.httpStatusCode).toBe(404);
      expect(missing.Code).toBe("ResourceNotFound");
      const badData = await failure(h.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: "orders-errors", StateValue: "ALARM", StateReason: "r", StateReasonData: "{nope" })));
      expect(badData.name).toBe("InvalidFormatFault");
      expect(badData.Code).toBe("InvalidFormat");
      const badState = await failure(h.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: "orders-errors", StateValue: "BROKEN" as never, StateReason: "r" })));
      expect(badState.name).toBe("ValidationException");
    });
  });

  describe("GetMetricData", () => {
    const query = (stat: string, period = 60, extra: Record<string, unknown> = {}) =>
      h.cloudwatch.send(
        new GetMetricDataCommand({
          StartTime: new Date("2026-01-01T00:00:00Z"),
          EndTime: new Date("2026-01-01T01:00:00Z"),
          MetricDataQueries: [
            {
              Id: "errors",
              MetricStat: {
                Metric: { Namespace: "AWS/Lambda", MetricName: "Errors", Dimensions: [{ Name: "Resource", Value: "orders:live" }, { Name: "FunctionName", Value: "orders" }] },
                Period: period,
                Stat: stat,
              },
            },
          ],
          ...extra,
        }),
      );

    it("aggregates the samples of each period up to the simulated now, newest first by default", async () => {
      h.clock.advance(200);
      const sum = (await query("Sum")).MetricDataResults?.[0];
      expect(sum).toMatchObject({ Id: "errors", Label: "Errors", StatusCode: "Complete" });
      expect(sum?.Timestamps).toEqual([new Date("2026-01-01T00:02:00Z"), new Date("2026-01-01T00:01:00Z"), new Date("2026-01-01T00:00:00Z")]);
      expect(sum?.Values).toEqual([5, 4, 2]);
      const avg = (await query("Average", 120, { ScanBy: "TimestampAscending" })).MetricDataResults?.[0];
      expect(avg?.Values).toEqual([1.5, 5]);
      expect((await query("Maximum")).MetricDataResults?.[0]?.Values).toEqual([5, 3, 2]);
      expect((await query("SampleCount")).MetricDataResults?.[0]?.Values).toEqual([1, 2, 2]);
      expect((await query("p50", 300)).MetricDataResults?.[0]?.Values).toEqual([2]);
      h.clock.advance(300);
      expect((await query("Sum")).MetricDataResults?.[0]?.Values?.[0]).toBe(9);
    });

    it("returns no data for an unknown series and rejects invalid queries", async () => {
      const none = await h.cloudwatch.send(
        new GetMetricDataCommand({
          StartTime: new Date("2026-01-01T00:00:00Z"),
          EndTime: new Date("2026-01-01T01:00:00Z"),
          MetricDataQueries: [{ Id: "m", MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Errors" }, Period: 60, Stat: "Sum" } }],
        }),
      );
      expect(none.MetricDataResults?.[0]?.Values).toEqual([]);
      expect((await failure(query("Sum", 45))).name).toBe("ValidationException");
      expect((await failure(query("Median"))).name).toBe("ValidationException");
      expect((await failure(query("Sum", 60, { StartTime: new Date("2026-01-01T02:00:00Z") }))).name).toBe("ValidationException");
    });
  });
  },
);
