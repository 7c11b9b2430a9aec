import { describe, expect, it } from "vitest";
import type { StepCursor, WaitSignal } from "../../../../functions/domain/deployment/cursor.js";
import type { PreparedDeployment } from "../../../../functions/domain/deployment/state.js";
import { concludeFailure } from "../../../../functions/domain/deployment/outcome.js";
import { createHandler as rollBack } from "../../../../functions/handlers/rollBack.js";
import { createHandler as shift } from "../../../../functions/handlers/shiftTraffic.js";
import type { FakeWorld } from "../../../support/fakes/index.js";
import { failure, started, world } from "./helpers.js";

const TIMEOUT: WaitSignal = { Error: "States.Timeout", Cause: "bake over" };
const aliasOf = async (w: FakeWorld) => {
  const a = await w.lambda.getAlias("orders", "live");
  return { functionVersion: a.functionVersion, weights: a.weights };
};
const shiftOnce = (w: FakeWorld, p: PreparedDeployment, cursor: StepCursor, signal?: WaitSignal) => shift(w.deps)({ deployment: p.deployment, plan: p.plan, cursor, ...(signal ? { signal } : {}) });

describe("ShiftTraffic: one step", () => {
  it("walks a linear plan: each shift writes its weight with the last revision, reads it back, records progress", async () => {
    const w = world();
    const p = await started(w, { deploymentConfig: { steps: [{ weight: 10, bakeMinutes: 1 }, { weight: 50, bakeMinutes: 2 }] } });
    let cursor = p.cursor;
    const seen: [number, number, boolean][] = [];
    for (let signal: WaitSignal; !cursor.done; signal = TIMEOUT) {
      cursor = await shiftOnce(w, p, cursor, signal);
      seen.push([cursor.weight, cursor.bakeSeconds, cursor.done]);
      expect(cursor.revision).toBe((await w.lambda.getAlias("orders", "live")).revisionId);
      expect((await w.deps.registry.getDeployment("d-FAKE00001"))?.progress).toMatchObject({ weight: cursor.weight, step: cursor.step, totalSteps: 3 });
    }
    expect(seen).toEqual([
      [10, 60, false],
      [50, 120, false],
      [100, 0, true],
    ]);
    expect(w.lambda.writes.map((x) => [x.functionVersion, x.weights])).toEqual([
      ["3", { "4": 0.1 }],
      ["3", { "4": 0.5 }],
      ["4", {}],
    ]);
    expect(w.cloudwatch.reads).toHaveLength(1 + 3); // the start, then one right before each write
  });

  it("another writer changed the alias during the bake: Deploy.TrafficConflict, nothing written over it", async () => {
    const w = world();
    const p = await started(w);
    const cursor = await shiftOnce(w, p, p.cursor);
    w.lambda.otherWriter("orders", "live", "3", { "2": 0.2 });
    const refused = await failure(shiftOnce(w, p, cursor, TIMEOUT));
    expect(refused.name).toBe("Deploy.TrafficConflict");
    expect(refused.message).toContain('now version 3 with {"2":0.2}');
    expect(await aliasOf(w)).toEqual({ functionVersion: "3", weights: { "2": 0.2 } });
    // ConcludeFailure never rolls back over a conflict, and RollBack would refuse anyway.
    const outcome = concludeFailure({ Error: refused.name, Cause: refused.message }, p.deployment.autoRollback);
    expect(outcome).toMatchObject({ error: "Deploy.TrafficConflict", state: "FAILURE", rollback: false });
    const forced = await rollBack(w.deps)({ deployment: p.deployment, plan: p.plan, cursor, outcome: { ...outcome, rollback: true } });
    expect(forced).toMatchObject({ rollback: false, eventFields: { rollback: false } });
    expect(forced.reason).toContain("not rolled back");
    expect(await aliasOf(w)).toEqual({ functionVersion: "3", weights: { "2": 0.2 } });
  });

  it("its own write whose answer was lost (a retried task with the old revision) is success, not a conflict", async () => {
    const w = world();
    const p = await started(w);
    const first = await shiftOnce(w, p, p.cursor);
    const again = await shiftOnce(w, p, p.cursor);
    expect(again).toEqual(first);
    expect(w.lambda.writes).toHaveLength(1);
  });

  it("checks the alarms right before the write: a firing alarm stops it with nothing written", async () => {
    const w = world();
    const p = await started(w);
    w.cloudwatch.alarms.set("orders-errors", "ALARM");
    expect((await failure(shiftOnce(w, p, p.cursor))).name).toBe("Deploy.AlarmTriggered");
    expect(w.lambda.writes).toEqual([]);
  });

  it.each([
    ["stop", { intent: "stop", by: "ops", rollback: true }, "Deploy.Stopped"],
    ["stop --no-rollback", { intent: "stop", by: "ops", rollback: false }, "Deploy.StoppedWithoutRollback"],
    ["pause", { intent: "pause", by: "ops" }, "Deploy.PauseRequested"],
  ] as const)("a %s recorded during a hook is applied before the next write", async (_label, change, error) => {
    const w = world();
    const p = await started(w);
    await w.deps.registry.requestControl("d-FAKE00001", change);
    expect((await failure(shiftOnce(w, p, p.cursor))).name).toBe(error);
    expect(w.lambda.writes).toEqual([]);
  });

  it("promote (answered on the bake's token, or recorded) goes to 100% at once", async () => {
    const w = world();
    const p = await started(w, { deploymentConfig: "CodeDeployDefault.LambdaLinear10PercentEvery1Minute" });
    const c1 = await shiftOnce(w, p, p.cursor);
    expect(await shiftOnce(w, p, c1, { action: "promote" })).toMatchObject({ weight: 100, done: true, step: 9 });
    const w2 = world();
    const p2 = await started(w2, { deploymentConfig: "CodeDeployDefault.LambdaLinear10PercentEvery1Minute" });
    await w2.deps.registry.requestControl("d-FAKE00001", { intent: "promote", by: "ops" });
    expect(await shiftOnce(w2, p2, p2.cursor)).toMatchObject({ weight: 100, done: true });
  });

  it("a resume with bake time left bakes the rest without writing; with none left it shifts on", async () => {
    const w = world();
    const p = await started(w);
    const c1 = await shiftOnce(w, p, p.cursor);
    expect(await shiftOnce(w, p, c1, { action: "resume", remainingSeconds: 240 })).toEqual({ ...c1, bakeSeconds: 240, waitSeconds: 240 });
    expect(w.lambda.writes).toHaveLength(1);
    expect(await shiftOnce(w, p, c1, { action: "resume", remainingSeconds: 0 })).toMatchObject({ weight: 100, done: true });
  });

  it("a bake watcher that never answered (the Bake timed out) is Deploy.BakeWatcherLost", async () => {
    const w = world();
    const p = await started(w, { alarmMonitoring: "polling" });
    const c1 = await shiftOnce(w, p, p.cursor);
    expect(c1).toMatchObject({ watcher: true, bakeSeconds: 300, waitSeconds: 600 });
    expect((await failure(shiftOnce(w, p, c1, TIMEOUT))).name).toBe("Deploy.BakeWatcherLost");
    expect(await shiftOnce(w, p, c1, { action: "baked" })).toMatchObject({ weight: 100 });
  });
});

describe("RollBack", () => {
  it("restores 100% on the old version with the last revision, when the outcome says so", async () => {
    const w = world();
    const p = await started(w);
    const cursor = await shiftOnce(w, p, p.cursor);
    const outcome = concludeFailure({ Error: "Deploy.AlarmTriggered", Cause: "orders-errors" }, p.deployment.autoRollback);
    expect(await rollBack(w.deps)({ deployment: p.deployment, plan: p.plan, cursor, outcome })).toEqual(outcome);
    expect(await aliasOf(w)).toEqual({ functionVersion: "3", weights: {} });
  });

  it("after its own write whose answer was lost (a stale cursor), still restores", async () => {
    const w = world();
    const p = await started(w);
    await shiftOnce(w, p, p.cursor); // written, but the cursor the workflow holds is the one before
    const outcome = concludeFailure({ Error: "Deploy.HookFailed" }, p.deployment.autoRollback);
    expect((await rollBack(w.deps)({ deployment: p.deployment, plan: p.plan, cursor: p.cursor, outcome })).rollback).toBe(true);
    expect(await aliasOf(w)).toEqual({ functionVersion: "3", weights: {} });
  });

  it("rollback not asked for: nothing is written", async () => {
    const w = world();
    const p = await started(w);
    const cursor = await shiftOnce(w, p, p.cursor);
    const outcome = concludeFailure({ Error: "Deploy.HookFailed" }, { enabled: false, events: [] });
    expect(await rollBack(w.deps)({ deployment: p.deployment, plan: p.plan, cursor, outcome })).toEqual(outcome);
    expect(await aliasOf(w)).toEqual({ functionVersion: "3", weights: { "4": 0.1 } });
  });
});
