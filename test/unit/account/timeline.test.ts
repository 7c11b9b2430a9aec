import { DescribeAlarmsCommand, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { InvokeCommand, LambdaClient, UpdateAliasCommand } from "@aws-sdk/client-lambda";
import { afterEach, describe, expect, it } from "vitest";
import { SimAccount } from "../../../local/account/index.js";
import { SimClock } from "../../../local/clock.js";
import { type Harness, ORDERS_SETUP, failure, json, payload, startAccount } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const alarmState = async (harness: Harness) =>
  (await harness.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ["orders-errors"] }))).MetricAlarms?.[0];

describe("timeline", () => {
  const ALARM_AT_240 = [{ atSeconds: 240, alarm: "orders-errors", state: "ALARM", reason: "Threshold Crossed: 5 datapoints were greater than the threshold (1.0)" }];

  it("changes an alarm when the simulated clock passes 240 s", async () => {
    h = await startAccount(ORDERS_SETUP, ALARM_AT_240);
    h.clock.advance(239);
    expect((await alarmState(h))?.StateValue).toBe("OK");
    h.clock.advance(1);
    const a = await alarmState(h);
    expect(a).toMatchObject({ StateValue: "ALARM", StateReason: ALARM_AT_240[0]?.reason });
    expect(a?.StateUpdatedTimestamp).toEqual(new Date("2026-01-01T00:04:00Z"));
    expect(h.account.worldLog).toEqual([{ atSeconds: 240, kind: "alarm", text: expect.stringContaining("orders-errors -> ALARM") }]);
  });

  it("dates an entry at its own time when a hook's latency jumps the clock past it", async () => {
    h = await startAccount({ ...ORDERS_SETUP, hooks: [{ name: "slow", latencySeconds: 300 }] }, ALARM_AT_240);
    await h.lambda.send(new InvokeCommand({ FunctionName: "slow", Payload: payload({}) }));
    expect(h.clock.elapsedSeconds()).toBe(300);
    expect((await alarmState(h))?.StateUpdatedTimestamp).toEqual(new Date("2026-01-01T00:04:00Z"));
    expect(h.account.alarmHistory).toMatchObject([{ atSeconds: 240, to: "ALARM", source: "timeline" }]);
  });

  it("applies entries already due at once, in order", async () => {
    const clock = new SimClock();
    const account = SimAccount.fromSetup(ORDERS_SETUP, { clock });
    clock.advance(100);
    account.applyTimeline([
      { atSeconds: 50, alarm: "orders-errors", state: "ALARM" },
      { atSeconds: 50, alarm: "orders-errors", state: "OK", reason: "recovered" },
      { atSeconds: 500, alarm: "orders-errors", state: "INSUFFICIENT_DATA" },
    ]);
    expect(account.cloudwatch.get("orders-errors")).toMatchObject({ state: "OK", reason: "recovered" });
    expect(account.pendingTimeline()).toHaveLength(1);
  });

  it("re-scripts a hook, adds faults, metric datapoints and alias drift", async () => {
    h = await startAccount(
      { ...ORDERS_SETUP, metrics: [{ namespace: "App", metricName: "Orders", datapoints: [] }] },
      [
        { atSeconds: 60, hook: "CodeDeployHook_pre", results: [{ throw: "db down" }], latencySeconds: 1 },
        { atSeconds: 60, fault: { operation: "UpdateAlias", kind: "throttle", count: 1 } },
        { atSeconds: 60, metric: { namespace: "App", metricName: "Orders", value: 7 } },
        { atSeconds: 90, alias: { function: "orders", name: "live", version: "2" } },
      ],
    );
    const before = await h.lambda.send(new InvokeCommand({ FunctionName: "CodeDeployHook_pre", Payload: payload({}) }));
    expect(json(before.Payload)).toEqual({ status: "Succeeded" });
    expect(h.clock.elapsedSeconds()).toBe(5);
    h.clock.advance(55);
    const after = await h.lambda.send(new InvokeCommand({ FunctionName: "CodeDeployHook_pre", Payload: payload({}) }));
    expect(after.FunctionError).toBe("Unhandled");
    expect(h.clock.elapsedSeconds()).toBe(61);
    const once = new LambdaClient({ ...h.config, maxAttempts: 1 });
    expect((await failure(once.send(new UpdateAliasCommand({ FunctionName: "orders", Name: "live", FunctionVersion: "4" })))).name).toBe("TooManyRequestsException");
    once.destroy();
    const data = await h.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date("2026-01-01T00:00:00Z"),
        EndTime: new Date("2026-01-01T00:10:00Z"),
        MetricDataQueries: [{ Id: "o", MetricStat: { Metric: { Namespace: "App", MetricName: "Orders" }, Period: 60, Stat: "Sum" } }],
      }),
    );
    expect(data.MetricDataResults?.[0]?.Values).toEqual([7]);
    h.clock.advance(28);
    expect(h.account.getAlias("orders", "live").functionVersion).toBe("3");
    h.clock.advance(1);
    expect(h.account.getAlias("orders", "live").functionVersion).toBe("2");
    expect(h.account.aliasHistory).toMatchObject([{ atSeconds: 90, functionVersion: "2", operation: "timeline" }]);
    expect(h.account.worldLog.map((w) => [w.atSeconds, w.kind])).toEqual([
      [60, "hook"],
      [60, "fault"],
      [60, "metric"],
      [90, "alias"],
    ]);
  });

  it("rejects entries naming unknown alarms or functions, or with unknown keys", () => {
    const account = SimAccount.fromSetup(ORDERS_SETUP, { clock: new SimClock() });
    expect(() => account.applyTimeline([{ atSeconds: 1, alarm: "orders-errrors", state: "ALARM" }])).toThrow(/no alarm named orders-errrors/);
    expect(() => account.applyTimeline([{ atSeconds: 1, hook: "nope", latencySeconds: 3 }])).toThrow(/no function named nope/);
    expect(() => account.applyTimeline([{ atSeconds: 1, alarm: "orders-errors", state: "ALARM", when: 3 }])).toThrow(/timeline\[0\]\.when: unknown field/);
    expect(() => account.applyTimeline([{ atSeconds: 1 }])).toThrow(/exactly one of/);
  });
});

describe("account setup", () => {
  it("builds functions, hooks, aliases with routing, alarms, buses and faults", () => {
    const account = SimAccount.fromSetup(
      {
        functions: [{ name: "orders", versions: 4, aliases: { live: "3", canary: { version: "3", weights: { "4": 0.1 } } }, timeoutSeconds: 30 }],
        hooks: [{ name: "CodeDeployHook_pre" }],
        alarms: [{ name: "a", state: "ALARM" }],
        eventBuses: ["bus"],
        faults: [{ operation: "Invoke", kind: "5xx", count: 1 }],
      },
      { clock: new SimClock(), region: "eu-west-1", accountId: "111122223333" },
    );
    expect(account.getAlias("orders", "canary")).toEqual({ functionName: "orders", alias: "canary", functionVersion: "3", additionalVersionWeights: { "4": 0.1 } });
    expect(account.aliasHistory).toHaveLength(0);
    expect(account.aliasAt("orders", "live", 0)?.functionVersion).toBe("3");
    expect(account.lambda.get("CodeDeployHook_pre").latest.timeout).toBe(900);
    expect(account.lambda.get("orders").latest.timeout).toBe(30);
    expect(account.lambda.functionArn("orders")).toBe("arn:aws:lambda:eu-west-1:111122223333:function:orders");
    expect(account.faults.list()).toHaveLength(1);
  });

  it("reports every problem at once with its path", () => {
    let error: Error & { problems?: { field: string; reason: string }[] } = new Error("none");
    try {
      SimAccount.fromSetup(
        {
          functions: [{ name: "orders", versions: 2, aliases: { live: "3", bad: { version: "1", weights: { "2": 1 } } }, timeout: 3 }],
          hooks: [{ name: "orders", results: [{ status: "Maybe" }] }],
          alarms: [{ name: "a", state: "RED" }],
          extra: true,
        },
        { clock: new SimClock() },
      );
    } catch (e) {
      error = e as typeof error;
    }
    expect(error.name).toBe("Simulate.InvalidAccount");
    expect(error.problems?.map((p) => p.field)).toEqual([
      "account.extra",
      "account.functions[0].timeout",
      "account.functions[0].aliases.live",
      "account.functions[0].aliases.bad",
      "account.hooks[0].results[0].status",
      "account.alarms[0].state",
    ]);
  });
});
