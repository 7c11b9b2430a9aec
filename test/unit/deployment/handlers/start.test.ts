import { describe, expect, it } from "vitest";
import { createHandler as closeUnstarted } from "../../../../functions/handlers/closeUnstarted.js";
import { createHandler as finalize } from "../../../../functions/handlers/finalize.js";
import { createHandler as start } from "../../../../functions/handlers/start.js";
import { ALIAS_ARN, EXEC, failure, input, started, world } from "./helpers.js";

describe("Start: lock, check the account, record, answer the token", () => {
  it("a free target: InProgress, the alias ARN locked, the prepared deployment with the alias revision answers the token", async () => {
    const w = world();
    const p = await started(w);
    expect(p.deployment).toMatchObject({ deploymentId: "d-FAKE00001", lockKey: ALIAS_ARN, aliasArn: ALIAS_ARN, currentVersion: "3", targetVersion: "4", account: "123456789012", region: "us-east-1" });
    expect(p.deployment.target).toEqual({ kind: "lambda-alias", functionName: "orders", alias: "live", fromVersion: "3", toVersion: "4" });
    expect(p.plan.steps.map((s) => [s.weight, s.bakeSeconds])).toEqual([
      [10, 300],
      [100, 0],
    ]);
    expect(p.cursor).toEqual({ step: -1, weight: 0, bakeSeconds: 0, waitSeconds: 0, watcher: false, done: false, revision: (await w.lambda.getAlias("orders", "live")).revisionId });
    expect((p as unknown as { signal: unknown }).signal).toBeNull();
    expect(await w.deps.registry.getDeployment("d-FAKE00001")).toMatchObject({ status: "InProgress", lockKey: ALIAS_ARN, target: { currentVersion: "3", targetVersion: "4" } });
    expect((await w.deps.registry.getLock({ lockKey: ALIAS_ARN }))?.holderDeploymentId).toBe("d-FAKE00001");
    expect(w.lambda.writes).toEqual([]);
  });

  it.each([
    ["by name", "orders"],
    ["by partial ARN", "123456789012:function:orders"],
    ["by ARN", "arn:aws:lambda:us-east-1:123456789012:function:orders"],
  ])("another group deploying the same alias %s fails fast naming the holder; nothing changes", async (_label, functionName) => {
    const w = world();
    await started(w);
    const second = input({ deploymentId: "d-FAKE00002", application: "other-app", deploymentGroup: "Orders-Prod", functionName });
    const refused = await failure(start(w.deps)({ input: second, executionName: "d-FAKE00002", executionArn: EXEC("d-FAKE00002"), taskToken: "t2" }));
    expect(refused).toEqual({
      name: "Deploy.ConflictingDeployment",
      message: `A conflicting deployment (d-FAKE00001 of orders-app/orders-prod) is in progress on ${ALIAS_ARN}`,
    });
    expect(w.sfn.answerTo("t2")).toBeUndefined();
    // The workflow's CloseUnstarted then records it, and leaves the holder's lock alone.
    expect(await closeUnstarted(w.deps)({ input: second, executionName: "d-FAKE00002", failure: { Error: refused.name, Cause: refused.message } })).toEqual({ status: "Failed" });
    expect(await w.deps.registry.getDeployment("d-FAKE00002")).toMatchObject({ status: "Failed", errorName: "Deploy.ConflictingDeployment" });
    expect((await w.deps.registry.getLock({ lockKey: ALIAS_ARN }))?.holderDeploymentId).toBe("d-FAKE00001");
  });

  it("names are case-sensitive, as Lambda's: Orders:live is another target", async () => {
    const w = world();
    w.lambda.addFunction("Orders", 5, { live: "3" });
    await started(w);
    const other = await started(w, { deploymentId: "d-FAKE00002", functionName: "Orders" }, "t2");
    expect(other.deployment.lockKey).toBe("arn:aws:lambda:us-east-1:123456789012:function:Orders:live");
  });

  it("queue: true on a busy target waits (token stored, not answered); the holder's finalize hands the lock over and wakes it", async () => {
    const w = world();
    const first = await started(w);
    const event = { input: input({ deploymentId: "d-FAKE00002", targetVersion: "5", queue: true }), executionName: "d-FAKE00002", executionArn: EXEC("d-FAKE00002"), taskToken: "q1" };
    expect(await start(w.deps)(event)).toEqual({ waiting: true });
    expect(await w.deps.callbacks.getWaiting("d-FAKE00002")).toMatchObject({ kind: "queue", token: "q1" });
    expect(await w.deps.registry.getDeployment("d-FAKE00002")).toMatchObject({ status: "Created", queued: true });
    expect(w.sfn.answerTo("q1")).toBeUndefined();
    // A finished first deployment moved the alias to 4; its finalize hands the lock to the queued one.
    w.lambda.otherWriter("orders", "live", "4");
    await finalize(w.deps)({ deployment: first.deployment });
    expect(w.sfn.answerTo("q1")).toMatchObject({ ok: false, error: "Deploy.LockHandedOver" });
    expect((await w.deps.registry.getLock({ lockKey: ALIAS_ARN }))?.holderDeploymentId).toBe("d-FAKE00002");
    // The workflow runs Start again: it holds the lock now, prepares from what the alias is.
    await start(w.deps)({ ...event, taskToken: "q2" });
    expect(w.sfn.answerTo("q2")).toMatchObject({ ok: true, output: { deployment: { currentVersion: "4", targetVersion: "5" } } });
  });

  it("a stop while queued ends the wait with Deploy.Stopped; CloseUnstarted records Stopped", async () => {
    const w = world();
    await started(w);
    const event = { input: input({ deploymentId: "d-FAKE00002", queue: true }), executionName: "d-FAKE00002", executionArn: EXEC("d-FAKE00002"), taskToken: "q1" };
    await start(w.deps)(event);
    await w.deps.registry.requestControl("d-FAKE00002", { intent: "stop", by: "carol", rollback: true });
    const stopped = await failure(start(w.deps)({ ...event, taskToken: "q2" }));
    expect(stopped.name).toBe("Deploy.Stopped");
    await closeUnstarted(w.deps)({ input: event.input, executionName: "d-FAKE00002", failure: { Error: stopped.name, Cause: stopped.message } });
    expect(await w.deps.registry.getDeployment("d-FAKE00002")).toMatchObject({ status: "Stopped", errorName: "Deploy.Stopped" });
    expect(await w.deps.registry.listQueue({ lockKey: ALIAS_ARN })).toEqual([]);
  });

  it.each([
    [{ hooks: { beforeAllowTraffic: "my-pre-hook" } }, "hooks.beforeAllowTraffic: my-pre-hook does not match hookFunctionPattern 'CodeDeployHook_*'"],
    [{ hooks: { afterAllowTraffic: "orders" } }, "hooks.afterAllowTraffic: orders is the function being deployed"],
    [{ hooks: { afterAllowTraffic: "arn:aws:lambda:us-east-1:123456789012:function:orders" } }, "hooks.afterAllowTraffic: arn:aws:lambda:us-east-1:123456789012:function:orders is the function being deployed"],
    [{ hooks: { beforeAllowTraffic: "arn:aws:lambda:eu-west-1:123456789012:function:CodeDeployHook_pre" } }, "hooks.beforeAllowTraffic: arn:aws:lambda:eu-west-1:123456789012:function:CodeDeployHook_pre is outside this stack's account and region"],
    [{ description: 42 }, "description: must be a string, got number"],
  ])("refuses %j before anything is recorded or locked", async (overrides, says) => {
    const w = world();
    const refused = await failure(start(w.deps)({ input: input(overrides), executionName: "d-FAKE00001", executionArn: EXEC("d-FAKE00001"), taskToken: "t" }));
    expect(refused.name).toBe("Deploy.InvalidInput");
    expect(refused.message).toContain(says);
    expect(w.store.deployments.size).toBe(0);
    expect(w.store.locks.size).toBe(0);
  });

  it("a hook matching another hookFunctionPattern is accepted", async () => {
    const w = world({ hookFunctionPattern: "orders-hook-*" });
    w.lambda.addFunction("orders-hook-smoke", 1);
    const p = await started(w, { hooks: { beforeAllowTraffic: "orders-hook-smoke" } });
    expect(p.deployment.hooks.beforeAllowTraffic).toBe("orders-hook-smoke");
  });

  const none = () => undefined;
  it.each([
    ["an alias that splits traffic", {}, (w: ReturnType<typeof world>) => w.lambda.otherWriter("orders", "live", "3", { "2": 0.5 }), "Deploy.VersionMismatch", "alias: live already splits traffic"],
    ["a stale currentVersion", { currentVersion: "2" }, none, "Deploy.VersionMismatch", "currentVersion: is 2 but alias live points to version 3"],
    ["a missing target version", { targetVersion: "9" }, none, "Deploy.ResourceNotFound", "targetVersion: version 9 of orders does not exist"],
    ["a missing alarm", {}, (w: ReturnType<typeof world>) => w.cloudwatch.alarms.clear(), "Deploy.AlarmNotFound", "alarms[0]: alarm(s) not found in CloudWatch: orders-errors"],
  ])("after taking the lock, refuses %s (CloseUnstarted then hands the lock on)", async (_label, overrides, arrange, name, says) => {
    const w = world();
    arrange(w);
    const refused = await failure(start(w.deps)({ input: input(overrides), executionName: "d-FAKE00001", executionArn: EXEC("d-FAKE00001"), taskToken: "t" }));
    expect(refused.name).toBe(name);
    expect(refused.message).toContain(says);
    await closeUnstarted(w.deps)({ input: input(overrides), executionName: "d-FAKE00001", failure: { Error: refused.name, Cause: JSON.stringify({ errorType: refused.name, errorMessage: refused.message }) } });
    expect(await w.deps.registry.getDeployment("d-FAKE00001")).toMatchObject({ status: "Failed", errorName: name, reason: refused.message });
    expect(await w.deps.registry.getLock({ lockKey: ALIAS_ARN })).toBeUndefined();
  });
});
