import { describe, expect, it } from "vitest";
import { createHandler as finalize } from "../../../../functions/handlers/finalize.js";
import { createHandler as janitor } from "../../../../functions/handlers/janitor.js";
import { createHandler as runHook } from "../../../../functions/handlers/runHook.js";
import { createHandler as shift } from "../../../../functions/handlers/shiftTraffic.js";
import { createHandler as start } from "../../../../functions/handlers/start.js";
import { ALIAS_ARN, EXEC, failure, input, started, world } from "./helpers.js";

const dead = (id: string, status: string, error?: string) => ({ detail: { executionArn: EXEC(id), name: id, status, ...(error ? { error } : {}) }, region: "us-east-1" });

describe("Finalize", () => {
  it.each([
    [undefined, "Succeeded"],
    [{ error: "Deploy.AlarmTriggered", reason: "orders-errors", state: "STOP" as const, rollback: true }, "Stopped"],
    [{ error: "Deploy.HookFailed", reason: "smoke test", state: "FAILURE" as const, rollback: false }, "Failed"],
  ])("outcome %j -> %s, lock released; a second call changes nothing", async (outcome, status) => {
    const w = world();
    const p = await started(w);
    const first = await finalize(w.deps)({ deployment: p.deployment, ...(outcome ? { outcome } : {}) });
    expect(first).toEqual({ status, released: true });
    expect(await finalize(w.deps)({ deployment: p.deployment, ...(outcome ? { outcome } : {}) })).toEqual({ status, released: false });
    expect(await w.deps.registry.getDeployment("d-FAKE00001")).toMatchObject({ status, ...(outcome ? { errorName: outcome.error, reason: outcome.reason } : {}) });
    expect(await w.deps.registry.getLock({ lockKey: ALIAS_ARN })).toBeUndefined();
  });
});

describe("the janitor", () => {
  it("an execution aborted mid-bake: Stopped, alias restored with its revision, lock handed to the queued one (woken), STOP event", async () => {
    const w = world();
    const p = await started(w);
    await shift(w.deps)({ deployment: p.deployment, plan: p.plan, cursor: p.cursor });
    await start(w.deps)({ input: input({ deploymentId: "d-FAKE00002", queue: true, targetVersion: "5" }), executionName: "d-FAKE00002", executionArn: EXEC("d-FAKE00002"), taskToken: "q1" });
    expect(await janitor(w.deps)(dead("d-FAKE00001", "ABORTED"))).toEqual({ deploymentId: "d-FAKE00001", action: "restored" });
    expect(await w.lambda.getAlias("orders", "live")).toMatchObject({ functionVersion: "3", weights: {} });
    expect(await w.deps.registry.getDeployment("d-FAKE00001")).toMatchObject({ status: "Stopped", errorName: "Deploy.ExecutionAborted" });
    expect((await w.deps.registry.getLock({ lockKey: ALIAS_ARN }))?.holderDeploymentId).toBe("d-FAKE00002");
    expect(w.sfn.answerTo("q1")).toMatchObject({ ok: false, error: "Deploy.LockHandedOver" });
    expect(w.events.sent.map((e) => e.detail)).toEqual([expect.objectContaining({ state: "STOP", rollback: true, error: "Deploy.ExecutionAborted", currentVersion: "3", targetVersion: "4" })]);
  });

  it("a dead deployment whose alias another writer changed: recorded and released, the alias left as it is, the event says so", async () => {
    const w = world();
    const p = await started(w);
    await shift(w.deps)({ deployment: p.deployment, plan: p.plan, cursor: p.cursor });
    w.lambda.otherWriter("orders", "live", "2");
    expect(await janitor(w.deps)(dead("d-FAKE00001", "TIMED_OUT"))).toMatchObject({ action: "closed-without-restore" });
    expect(await w.lambda.getAlias("orders", "live")).toMatchObject({ functionVersion: "2", weights: {} });
    expect(w.events.sent[0]?.detail).toMatchObject({ state: "FAILURE", rollback: false, error: "Deploy.ExecutionTimedOut" });
    expect(String(w.events.sent[0]?.detail.reason)).toContain("stepdeploy did not overwrite it");
  });

  it.each([
    ["a queued deployment stopped while waiting (its own named error)", "FAILED", "Deploy.Stopped", "Stopped", "Deploy.Stopped"],
    ["one that died in Start", "FAILED", "Lambda.ServiceException", "Failed", "Deploy.ExecutionFailed"],
    ["one aborted while queued", "ABORTED", undefined, "Stopped", "Deploy.ExecutionAborted"],
  ])("%s: closed without touching traffic, no event", async (_label, status, error, recorded, errorName) => {
    const w = world();
    await started(w);
    await start(w.deps)({ input: input({ deploymentId: "d-FAKE00002", queue: true }), executionName: "d-FAKE00002", executionArn: EXEC("d-FAKE00002"), taskToken: "q1" });
    expect(await janitor(w.deps)(dead("d-FAKE00002", status, error))).toMatchObject({ action: "closed-unstarted" });
    expect(await w.deps.registry.getDeployment("d-FAKE00002")).toMatchObject({ status: recorded, errorName });
    expect(await w.deps.registry.listQueue({ lockKey: ALIAS_ARN })).toEqual([]);
    expect(w.events.sent).toEqual([]);
    expect(w.lambda.writes).toEqual([]);
  });

  it("one that ended on its own: only a lock a crash left is released; unknown executions are left alone", async () => {
    const w = world();
    const p = await started(w);
    await w.deps.registry.markFailed("d-FAKE00001", "Deploy.HookFailed", "x"); // finalize crashed before releasing
    expect(await janitor(w.deps)(dead("d-FAKE00001", "FAILED"))).toEqual({ deploymentId: "d-FAKE00001", action: "released-lock" });
    expect(await janitor(w.deps)(dead("d-FAKE00001", "FAILED"))).toEqual({ deploymentId: "d-FAKE00001", action: "none" });
    expect(await janitor(w.deps)(dead("d-NOTHERE01", "FAILED"))).toEqual({ deploymentId: "d-NOTHERE01", action: "none" });
    expect(p.deployment.lockKey).toBe(ALIAS_ARN);
  });
});

describe("RunHook", () => {
  it("invokes the hook with exactly the documented payload", async () => {
    const w = world();
    const p = await started(w);
    expect(await runHook(w.deps)({ deployment: p.deployment, lifecycleEvent: "BeforeAllowTraffic" })).toEqual({ lifecycleEvent: "BeforeAllowTraffic", hook: "CodeDeployHook_pre", status: "Succeeded" });
    expect(w.lambda.invocations).toEqual([
      {
        functionName: "CodeDeployHook_pre",
        payload: { deploymentId: "d-FAKE00001", lifecycleEvent: "BeforeAllowTraffic", application: "orders-app", deploymentGroup: "orders-prod", functionName: "orders", alias: "live", currentVersion: "3", targetVersion: "4" },
      },
    ]);
  });

  it("no hook for the event: skipped, nothing invoked; a firing alarm stops it before any hook", async () => {
    const w = world();
    const p = await started(w, { hooks: {} });
    expect(await runHook(w.deps)({ deployment: p.deployment, lifecycleEvent: "AfterAllowTraffic" })).toEqual({ lifecycleEvent: "AfterAllowTraffic", hook: null, status: "Skipped" });
    w.cloudwatch.alarms.set("orders-errors", "ALARM");
    expect((await failure(runHook(w.deps)({ deployment: p.deployment, lifecycleEvent: "AfterAllowTraffic" }))).name).toBe("Deploy.AlarmTriggered");
    expect(w.lambda.invocations).toEqual([]);
  });

  it.each([
    [{ payload: '{"status":"Failed","reason":"smoke test: 500"}' }, "AfterAllowTraffic hook CodeDeployHook_post failed: smoke test: 500"],
    [{ functionError: "Unhandled", payload: '{"errorType":"TypeError","errorMessage":"boom"}' }, "threw TypeError: boom"],
    [{ payload: '{"status":"succeeded"}' }, 'returned {"status":"succeeded"}'],
    [{ payload: "<html>" }, "not JSON"],
  ])("answer %j -> Deploy.HookFailed (%s)", async (answer, says) => {
    const w = world();
    const p = await started(w);
    w.lambda.hookResults.set("CodeDeployHook_post", answer);
    const e = await failure(runHook(w.deps)({ deployment: p.deployment, lifecycleEvent: "AfterAllowTraffic" }));
    expect(e.name).toBe("Deploy.HookFailed");
    expect(e.message).toContain(says);
  });

  it("an unreadable alarm state: Deploy.Transient is retried by the ASL, others are Deploy.AlarmReadFailed, or ignored with ignorePollAlarmFailure", async () => {
    const w = world();
    const p = await started(w);
    const transient = Object.assign(new Error("throttled"), { name: "Deploy.Transient" });
    w.cloudwatch.failNext = [transient, new Error("AccessDenied")];
    expect((await failure(runHook(w.deps)({ deployment: p.deployment, lifecycleEvent: "BeforeAllowTraffic" }))).name).toBe("Deploy.Transient");
    expect((await failure(runHook(w.deps)({ deployment: p.deployment, lifecycleEvent: "BeforeAllowTraffic" }))).name).toBe("Deploy.AlarmReadFailed");
    w.cloudwatch.failNext = [new Error("AccessDenied")];
    const tolerant = { ...p.deployment, ignorePollAlarmFailure: true };
    expect(await runHook(w.deps)({ deployment: tolerant, lifecycleEvent: "BeforeAllowTraffic" })).toMatchObject({ status: "Succeeded" });
  });
});
