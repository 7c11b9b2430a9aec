import { describe, expect, it } from "vitest";
import { cursorAfter } from "../../../../functions/domain/deployment/cursor.js";
import { createHandler as alarmListener } from "../../../../functions/handlers/alarmListener.js";
import { createHandler as checkBake } from "../../../../functions/handlers/checkBake.js";
import { createHandler as holdPaused } from "../../../../functions/handlers/holdPaused.js";
import { createHandler as watchBake } from "../../../../functions/handlers/watchBake.js";
import { watcherView } from "../../../../functions/services/bake.js";
import { WATCHER_ARN } from "../../../support/fakes/index.js";
import { failure, started, world } from "./helpers.js";

const alarmEvent = (where: { account?: string; region?: string; resources?: string[] } = {}) => ({
  source: "aws.cloudwatch",
  "detail-type": "CloudWatch Alarm State Change",
  account: "123456789012",
  region: "us-east-1",
  ...where,
  detail: { alarmName: "orders-errors", state: { value: "ALARM", reason: "threshold crossed" } },
});

describe("Bake (events mode): one wait on the token", () => {
  it("stores the token and a watch per alarm (with the deployment's account and region); an alarm event fails the token at once", async () => {
    const w = world();
    const p = await started(w);
    const cursor = cursorAfter({ step: 0, weight: 10, bakeSeconds: 300 }, false, p.cursor.revision);
    expect(await watchBake(w.deps)({ deployment: p.deployment, cursor, taskToken: "bake-1" })).toEqual({ watching: ["orders-errors"] });
    expect(await w.deps.callbacks.getWaiting("d-FAKE00001")).toMatchObject({ kind: "bake", token: "bake-1", weight: 10, account: "123456789012", region: "us-east-1" });
    expect(w.sfn.started).toEqual([]);
    expect(await alarmListener(w.deps)(alarmEvent())).toMatchObject({ stopped: ["d-FAKE00001"], ignored: [] });
    expect(w.sfn.answerTo("bake-1")).toMatchObject({ ok: false, error: "Deploy.AlarmTriggered" });
  });

  it.each([
    ["another account", { account: "999999999999" }],
    ["another region", { region: "eu-west-1" }],
    ["another account, by the alarm's ARN", { resources: ["arn:aws:cloudwatch:us-east-1:999999999999:alarm:orders-errors"] }],
  ])("a same-named alarm of %s is ignored and logged", async (_label, where) => {
    const w = world();
    const p = await started(w);
    await watchBake(w.deps)({ deployment: p.deployment, cursor: cursorAfter({ step: 0, weight: 10, bakeSeconds: 300 }, false, p.cursor.revision), taskToken: "bake-1" });
    expect(await alarmListener(w.deps)(alarmEvent(where))).toMatchObject({ stopped: [], ignored: ["d-FAKE00001"] });
    expect(w.sfn.answerTo("bake-1")).toBeUndefined();
    expect(w.logs.some((l) => l.level === "warn" && l.message.includes("another account or region"))).toBe(true);
  });

  it("an alarm already firing when the bake opens fails it and removes the wait", async () => {
    const w = world();
    const p = await started(w);
    w.cloudwatch.alarms.set("orders-errors", "ALARM");
    const cursor = cursorAfter({ step: 0, weight: 10, bakeSeconds: 300 }, false, p.cursor.revision);
    expect((await failure(watchBake(w.deps)({ deployment: p.deployment, cursor, taskToken: "bake-1" }))).name).toBe("Deploy.AlarmTriggered");
    expect(await w.deps.callbacks.getWaiting("d-FAKE00001")).toBeUndefined();
    expect(await w.deps.callbacks.watchersOf("orders-errors")).toEqual([]);
  });

  it("a promote recorded while no wait was open answers the new bake's token", async () => {
    const w = world();
    const p = await started(w);
    await w.deps.registry.requestControl("d-FAKE00001", { intent: "promote", by: "ops" });
    await watchBake(w.deps)({ deployment: p.deployment, cursor: cursorAfter({ step: 0, weight: 10, bakeSeconds: 300 }, false, p.cursor.revision), taskToken: "bake-1" });
    expect(w.sfn.answerTo("bake-1")).toMatchObject({ ok: true, output: { action: "promote" } });
  });
});

describe("the bake watcher (alarm polling, metric gates)", () => {
  async function polling(extra: Record<string, unknown> = {}) {
    const w = world();
    const p = await started(w, { alarmMonitoring: "polling", alarmPollSeconds: 60, ...extra });
    const cursor = cursorAfter({ step: 0, weight: 10, bakeSeconds: 300 }, true, p.cursor.revision);
    const opened = await watchBake(w.deps)({ deployment: p.deployment, cursor, taskToken: "bake-1" });
    const started_ = w.sfn.started[0] as { stateMachineArn: string; name: string; input: { deployment: never; watch: never } };
    return { w, p, opened, start: started_, check: (watch: unknown, executionName = started_.name) => checkBake(w.deps)({ deployment: started_.input.deployment, watch: watch as never, executionName }) };
  }

  it("polling: no alarm watches; the watcher is started with the bake's end; it polls every 60 s and answers `baked` at the end", async () => {
    const { w, opened, start, check } = await polling();
    expect(opened.watching).toEqual([]);
    expect(start.stateMachineArn).toBe(WATCHER_ARN);
    expect(start.name).toMatch(/^d-FAKE00001-s0-[0-9a-f]{10}$/);
    let watch = start.input.watch as { sleepSeconds: number; over: boolean };
    const sleeps: number[] = [];
    while (!watch.over) {
      sleeps.push(watch.sleepSeconds);
      w.advance(watch.sleepSeconds);
      watch = await check(watch);
    }
    expect(sleeps).toEqual([60, 60, 60, 60, 60]);
    expect(w.sfn.answerTo("bake-1")).toMatchObject({ ok: true, output: { action: "baked" } });
  });

  it("polling: an alarm in ALARM at a poll fails the bake's token with Deploy.AlarmTriggered", async () => {
    const { w, start, check } = await polling();
    w.advance(60);
    w.cloudwatch.alarms.set("orders-errors", "ALARM");
    expect(await check(start.input.watch)).toMatchObject({ over: true });
    expect(w.sfn.answerTo("bake-1")).toMatchObject({ ok: false, error: "Deploy.AlarmTriggered" });
  });

  it("a watcher whose bake was answered meanwhile (the token moved on) ends without answering", async () => {
    const { w, start, check } = await polling();
    await w.deps.callbacks.putWaiting({ deploymentId: "d-FAKE00001", token: "pause-1", kind: "pause", stepIndex: 0, weight: 10, alarms: [] });
    w.cloudwatch.alarms.set("orders-errors", "ALARM");
    expect(await check(start.input.watch)).toMatchObject({ over: true });
    expect(w.sfn.answers.map((a) => a.token)).toEqual(["start-token"]);
  });

  it("metric gates: a failing gate fails the token with the measured value; no data set to pause pauses it", async () => {
    const gate = { name: "errors", lambdaErrorRatePercent: 5, intervalSeconds: 60, failureLimit: 1, noData: "pause" };
    const { w, start, check } = await polling({ alarmMonitoring: "events", metricGates: [gate] });
    w.cloudwatch.metricValues.set("g0n", 20).set("g0d", 100);
    w.advance(60);
    expect(await check(start.input.watch)).toMatchObject({ over: true });
    expect(w.sfn.answerTo("bake-1")).toMatchObject({ ok: false, error: "Deploy.MetricGateFailed" });

    const again = await polling({ alarmMonitoring: "events", metricGates: [gate] });
    again.w.advance(60);
    await again.check(again.start.input.watch);
    expect(again.w.sfn.answerTo("bake-1")).toMatchObject({ ok: false, error: "Deploy.PauseRequested" });
    expect(JSON.parse((again.w.sfn.answerTo("bake-1") as { cause: string }).cause)).toMatchObject({ remainingSeconds: 240 });
    expect((await again.w.deps.registry.getDeployment("d-FAKE00001"))?.control.paused).toBe(true);
  });

  it("hands over to a fresh execution after 500 checks, so no watcher's history passes the cap", async () => {
    const { w, p, start, check } = await polling({ deploymentConfig: { steps: [{ weight: 10, bakeMinutes: 2880 }] } });
    const cursor = cursorAfter({ step: 0, weight: 10, bakeSeconds: 172800 }, true, p.cursor.revision);
    await watchBake(w.deps)({ deployment: p.deployment, cursor, taskToken: "bake-2" });
    const long = w.sfn.started[1] as typeof start;
    const last = await check({ ...(long.input.watch as object), checks: 499 }, long.name);
    expect(last.over).toBe(true);
    expect(w.sfn.started[2]).toMatchObject({ name: `${long.name}-p1`, input: { watch: { checks: 0, part: 1, over: false }, deployment: watcherView(p.deployment) } });
  });
});

describe("Paused", () => {
  it("holds on its own token with the bake time left; a resume recorded before it opened is answered at once", async () => {
    const w = world();
    const p = await started(w);
    const cursor = cursorAfter({ step: 0, weight: 10, bakeSeconds: 300 }, false, p.cursor.revision);
    const pause = { Error: "Deploy.PauseRequested", Cause: JSON.stringify({ remainingSeconds: 240 }) };
    await w.deps.registry.requestControl("d-FAKE00001", { intent: "pause", by: "ops" });
    expect(await holdPaused(w.deps)({ deployment: p.deployment, cursor, pause, taskToken: "pause-1" })).toEqual({ paused: true, remainingSeconds: 240 });
    expect(w.sfn.answerTo("pause-1")).toBeUndefined();
    await w.deps.registry.requestControl("d-FAKE00001", { intent: "resume", by: "ops" });
    // A pause thrown by a task carries its Cause inside the Lambda error.
    const lambdaCause = { Error: "Deploy.PauseRequested", Cause: JSON.stringify({ errorType: "Deploy.PauseRequested", errorMessage: JSON.stringify({ remainingSeconds: 0 }) }) };
    await holdPaused(w.deps)({ deployment: p.deployment, cursor, pause: lambdaCause, taskToken: "pause-2" });
    expect(w.sfn.answerTo("pause-2")).toMatchObject({ ok: true, output: { action: "resume", remainingSeconds: 0 } });
  });
});
