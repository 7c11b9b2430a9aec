import { SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { StartExecutionCommand, StopExecutionCommand } from "@aws-sdk/client-sfn";
import { afterEach, describe, expect, it } from "vitest";
import type { EventEnvelope } from "../../../local/account/index.js";
import { type Harness, ORDERS_SETUP, startAccount } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const SETUP = {
  ...ORDERS_SETUP,
  alarms: [
    {
      name: "orders-errors",
      state: "OK",
      description: "5xx on orders",
      metric: { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: "orders" }, statistic: "Sum", period: 60, threshold: 1 },
    },
    { name: "orders-latency", state: "OK" },
    { name: "orders-health", type: "composite", alarmRule: 'ALARM("orders-errors")', state: "OK" },
  ],
  stateMachines: [{ name: "deploy-lambda" }],
};

const ALARM_PATTERN = { source: ["aws.cloudwatch"], "detail-type": ["CloudWatch Alarm State Change"], detail: { state: { value: ["ALARM"] } } };

/** A rule target that records what it received. */
function collector(): { events: EventEnvelope[]; target: (e: EventEnvelope) => Promise<void> } {
  const events: EventEnvelope[] = [];
  return { events, target: async (e) => void events.push(e) };
}

describe("CloudWatch Alarm State Change events", () => {
  it("are delivered to a matching rule when the timeline flips an alarm, in the documented shape", async () => {
    h = await startAccount(SETUP, [
      { atSeconds: 240, alarm: "orders-errors", state: "ALARM", reason: "Threshold Crossed: 1 datapoint [3.0] was greater than the threshold (1.0)." },
      { atSeconds: 300, alarm: "orders-errors", state: "OK", reason: "recovered" },
    ]);
    const alarms = collector();
    const all = collector();
    h.account.subscribe({ name: "alarm-to-rollback", pattern: ALARM_PATTERN, target: alarms.target });
    h.account.subscribe({ name: "all-cloudwatch", pattern: { source: ["aws.cloudwatch"] }, target: all.target });

    h.clock.advance(250); // jumps past 240 s: the event is dated at 240 s
    await h.account.settled();
    expect(alarms.events).toHaveLength(1);
    expect(alarms.events[0]).toEqual({
      version: "0",
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      "detail-type": "CloudWatch Alarm State Change",
      source: "aws.cloudwatch",
      account: "123456789012",
      time: "2026-01-01T00:04:00Z",
      region: "us-east-1",
      resources: ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-errors"],
      detail: {
        alarmName: "orders-errors",
        state: { reason: "Threshold Crossed: 1 datapoint [3.0] was greater than the threshold (1.0).", timestamp: "2026-01-01T00:04:00.000+0000", value: "ALARM" },
        previousState: { reason: expect.any(String), timestamp: "2026-01-01T00:00:00.000+0000", value: "OK" },
        configuration: {
          description: "5xx on orders",
          metrics: [{ id: expect.any(String), metricStat: { metric: { dimensions: { FunctionName: "orders" }, name: "Errors", namespace: "AWS/Lambda" }, period: 60, stat: "Sum" }, returnData: true }],
        },
      },
    });

    h.clock.advance(60);
    await h.account.settled();
    expect(alarms.events).toHaveLength(1); // back to OK does not match the ALARM pattern
    expect(all.events.map((e) => [e.detail.state, e.time])).toEqual([
      [expect.objectContaining({ value: "ALARM" }), "2026-01-01T00:04:00Z"],
      [expect.objectContaining({ value: "OK" }), "2026-01-01T00:05:00Z"],
    ]);
    expect(h.account.serviceEvents.map((e) => [e.atSeconds, e.source, e.detailType])).toEqual([
      [240, "aws.cloudwatch", "CloudWatch Alarm State Change"],
      [300, "aws.cloudwatch", "CloudWatch Alarm State Change"],
    ]);
    expect(h.account.deliveries.map((d) => [d.rule, d.status])).toEqual([
      ["alarm-to-rollback", "delivered"],
      ["all-cloudwatch", "delivered"],
      ["all-cloudwatch", "delivered"],
    ]);
    expect(h.account.events).toHaveLength(0); // `events` stays PutEvents-only
  });

  it("are emitted for SetAlarmState (with reasonData) and direct changes, only when the value changes", async () => {
    h = await startAccount(SETUP);
    const got = collector();
    h.account.subscribe({ name: "r", pattern: { source: ["aws.cloudwatch"] }, target: got.target });
    await h.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: "orders-latency", StateValue: "ALARM", StateReason: "manual", StateReasonData: '{"by":"test"}' }));
    await h.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: "orders-latency", StateValue: "ALARM", StateReason: "still" }));
    h.account.setAlarmState("orders-health", "ALARM", "child in alarm");
    await h.account.settled();
    expect(got.events.map((e) => e.detail.alarmName)).toEqual(["orders-latency", "orders-health"]);
    expect(got.events[0]?.detail.state).toMatchObject({ value: "ALARM", reason: "manual", reasonData: '{"by":"test"}' });
    expect(got.events[1]?.detail.configuration).toEqual({ alarmRule: 'ALARM("orders-errors")' });
    expect(h.account.alarmHistory).toHaveLength(3);
  });
});

describe("Step Functions Execution Status Change events", () => {
  it("are delivered on start (RUNNING) and on the terminal status", async () => {
    h = await startAccount(SETUP);
    const got = collector();
    h.account.subscribe({
      name: "execution-status",
      pattern: { source: ["aws.states"], "detail-type": ["Step Functions Execution Status Change"], detail: { status: ["RUNNING", "ABORTED", "SUCCEEDED"] } },
      target: got.target,
    });
    h.clock.advance(5);
    const { executionArn } = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:deploy-lambda", name: "d-1", input: '{"x":1}' }));
    h.clock.advance(10);
    await h.sfn.send(new StopExecutionCommand({ executionArn, error: "Janitor", cause: "no heartbeat" }));
    await h.account.settled();
    expect(got.events.map((e) => e.detail.status)).toEqual(["RUNNING", "ABORTED"]);
    expect(got.events[0]).toMatchObject({ source: "aws.states", resources: [executionArn], time: "2026-01-01T00:00:05Z" });
    expect(got.events[0]?.detail).toEqual({
      executionArn,
      stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:deploy-lambda",
      name: "d-1",
      status: "RUNNING",
      startDate: Date.parse("2026-01-01T00:00:05Z"),
      stopDate: null,
      input: '{"x":1}',
      inputDetails: { included: true },
      output: null,
      outputDetails: null,
      error: null,
      cause: null,
    });
    expect(got.events[1]?.detail).toMatchObject({ status: "ABORTED", stopDate: Date.parse("2026-01-01T00:00:15Z"), error: "Janitor", cause: "no heartbeat" });

    const second = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:deploy-lambda", name: "d-2" }));
    h.account.sfn.executionFinished(second.executionArn as string, { status: "SUCCEEDED", output: { ok: true } });
    await h.account.settled();
    expect(got.events.at(-1)?.detail).toMatchObject({ name: "d-2", status: "SUCCEEDED", output: '{"ok":true}', outputDetails: { included: true } });
  });
});

describe("rules", () => {
  it("PutEvents entries reach rules on their own bus only, and a throwing target is recorded without breaking anything", async () => {
    h = await startAccount(SETUP);
    const dev = collector();
    const dflt = collector();
    h.account.subscribe({ name: "dev", eventBusName: "stepdeploy-dev", pattern: { source: ["stepdeploy"], detail: { state: [{ "anything-but": "START" }] } }, target: dev.target });
    h.account.subscribe({ name: "default-bus", pattern: { source: [{ prefix: "step" }] }, target: dflt.target });
    h.account.subscribe({
      name: "broken",
      eventBusName: "stepdeploy-dev",
      pattern: { source: ["stepdeploy"] },
      target: async () => {
        throw new Error("downstream unavailable");
      },
    });
    const put = (state: string, EventBusName = "stepdeploy-dev") =>
      h?.events.send(new PutEventsCommand({ Entries: [{ Source: "stepdeploy", DetailType: "StepDeploy Deployment State-change Notification", Detail: JSON.stringify({ state }), EventBusName }] }));
    await put("START");
    await put("SUCCESS");
    await put("SUCCESS", "default");
    await h.account.settled();
    expect(dev.events.map((e) => e.detail.state)).toEqual(["SUCCESS"]);
    expect(dev.events[0]).toMatchObject({ "detail-type": "StepDeploy Deployment State-change Notification", account: "123456789012", region: "us-east-1", resources: [] });
    expect(dflt.events.map((e) => e.detail.state)).toEqual(["SUCCESS"]);
    expect(h.account.deliveries.filter((d) => d.status === "failed")).toHaveLength(2);
    expect(h.account.deliveries.find((d) => d.rule === "broken")).toMatchObject({ status: "failed", error: "downstream unavailable" });
    expect(h.account.worldLog.filter((w) => w.kind === "delivery").map((w) => w.text)).toEqual([expect.stringContaining("rule broken target failed"), expect.stringContaining("rule broken target failed")]);
    expect(h.account.events).toHaveLength(3);
  });

  it("targets receive a copy, and removed rules receive nothing more", async () => {
    h = await startAccount(SETUP);
    const got = collector();
    const remove = h.account.subscribe({
      name: "mutating",
      pattern: { source: ["aws.cloudwatch"] },
      target: async (e) => {
        e.detail.alarmName = "changed";
        await got.target(e);
      },
    });
    h.account.setAlarmState("orders-latency", "ALARM");
    await h.account.settled();
    expect(h.account.serviceEvents[0]?.detail.alarmName).toBe("orders-latency");
    remove();
    h.account.setAlarmState("orders-latency", "OK");
    await h.account.settled();
    expect(got.events).toHaveLength(1);
  });

  it("rejects invalid patterns, unknown buses, bad and duplicate names", async () => {
    h = await startAccount(SETUP);
    const target = async () => undefined;
    expect(() => h?.account.subscribe({ name: "x", pattern: { source: "aws.cloudwatch" }, target })).toThrow(/InvalidEventPattern|Event pattern is not valid/);
    expect(() => h?.account.subscribe({ name: "x", pattern: { detail: { n: [{ numeric: [">", 5, ">", 1] }] } }, target })).toThrow(/Event pattern is not valid/);
    expect(() => h?.account.subscribe({ name: "x", eventBusName: "nope", pattern: { source: ["a"] }, target })).toThrow(/Event bus nope does not exist/);
    expect(() => h?.account.subscribe({ name: "bad name", pattern: { source: ["a"] }, target })).toThrow(/validation error/);
    h.account.subscribe({ name: "x", pattern: { source: ["a"] }, target });
    expect(() => h?.account.subscribe({ name: "x", pattern: { source: ["b"] }, target })).toThrow(/already exists/);
  });

  it("settled() waits for a chain: a target that triggers another delivery", async () => {
    h = await startAccount(SETUP);
    const order: string[] = [];
    h.account.subscribe({
      name: "errors-flip-health",
      pattern: { source: ["aws.cloudwatch"], detail: { alarmName: ["orders-errors"], state: { value: ["ALARM"] } } },
      target: async () => {
        await new Promise((r) => setTimeout(r, 20));
        order.push("errors");
        await h?.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: "orders-health", StateValue: "ALARM", StateReason: "child alarm" }));
      },
    });
    h.account.subscribe({
      name: "health-starts-rollback",
      pattern: { source: ["aws.cloudwatch"], detail: { alarmName: ["orders-health"] } },
      target: async () => {
        await new Promise((r) => setTimeout(r, 20));
        order.push("health");
        h?.account.registerStateMachine({ name: "rollback" });
        await h?.sfn.send(new StartExecutionCommand({ stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:rollback", name: "r-1" }));
      },
    });
    const started = collector();
    h.account.subscribe({ name: "rollback-started", pattern: { source: ["aws.states"], detail: { name: ["r-1"] } }, target: started.target });

    h.account.setAlarmState("orders-errors", "ALARM");
    expect(h.account.reactions.inFlight).toBe(1);
    await h.account.settled();
    expect(order).toEqual(["errors", "health"]);
    expect(started.events.map((e) => e.detail.status)).toEqual(["RUNNING"]);
    expect(h.account.reactions.inFlight).toBe(0);
    expect(h.account.deliveries.every((d) => d.status === "delivered")).toBe(true);
  });
});

describe("timeline actions", () => {
  it("run the handler registered with onAction at their time; settled() waits for it", async () => {
    h = await startAccount(SETUP, [
      { atSeconds: 120, action: "stop", input: { cause: "operator pressed stop" } },
      { atSeconds: 200, action: "unwired" },
    ]);
    const { executionArn } = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:deploy-lambda", name: "d-1" }));
    const seen: unknown[] = [];
    h.account.onAction("stop", async (item) => {
      seen.push(item);
      await new Promise((r) => setTimeout(r, 10));
      await h?.sfn.send(new StopExecutionCommand({ executionArn, cause: (item.input as { cause: string }).cause }));
    });
    h.clock.advance(119);
    expect(seen).toEqual([]);
    h.clock.advance(1);
    await h.account.settled();
    expect(seen).toEqual([{ atSeconds: 120, action: "stop", input: { cause: "operator pressed stop" } }]);
    expect(h.account.executions[0]).toMatchObject({ status: "ABORTED", cause: "operator pressed stop", stoppedAtSeconds: 120 });
    h.clock.advance(100);
    await h.account.settled();
    expect(h.account.worldLog.map((w) => [w.atSeconds, w.kind, w.text])).toEqual([
      [120, "action", 'action stop {"cause":"operator pressed stop"}'],
      [200, "action", expect.stringContaining("action unwired: no handler registered")],
    ]);
  });

  it("a failing handler is recorded in the world log", async () => {
    h = await startAccount(SETUP, [{ atSeconds: 10, action: "explode" }]);
    h.account.onAction("explode", () => {
      throw new Error("kaboom");
    });
    h.clock.advance(10);
    await h.account.settled();
    expect(h.account.worldLog.at(-1)).toMatchObject({ kind: "action", text: "action explode failed: kaboom" });
  });

  it("validates action entries", async () => {
    h = await startAccount(SETUP);
    expect(() => h?.account.applyTimeline([{ atSeconds: 1, action: "" }])).toThrow(/action: must be a non-empty string/);
    expect(() => h?.account.applyTimeline([{ atSeconds: 1, action: "stop", extra: 1 }])).toThrow(/extra: unknown field/);
  });
});
