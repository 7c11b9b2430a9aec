import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { memoryIO } from "../../cli/io.js";
import { main } from "../../cli/main.js";
import { requestControl } from "../../functions/services/operator-control.js";
import { stopExecution } from "../../functions/adapters/sfn.js";
import { registry } from "../../functions/wiring.js";
import type { ExecutionReport } from "../../local/runtime/runtime.js";
import { PROJECT_ROOT } from "../../local/simulate/run-scenario.js";
import { openSimWorld, type SimWorld } from "../../local/simulate/world.js";

/**
 * `queue: true`: a second deployment on a busy traffic target waits in the target's FIFO queue instead of
 * failing, and starts when the first one hands the lock over, from the alias as the first left it. The
 * executions run at once on the local engine, on one simulated clock; every step is placed in simulated time
 * (timeline actions), never by waiting on the wall clock.
 */
const canary = JSON.parse(readFileSync(join(PROJECT_ROOT, "events", "scenarios", "canary-success.json"), "utf8"));
const account = { ...canary.account, functions: [{ name: "orders", versions: 5, aliases: { live: "3", canary: "3" } }] };
const TARGET = { lockKey: "arn:aws:lambda:us-east-1:123456789012:function:orders:live" };
const first = { ...canary.input, deploymentId: "d-QUEUEAAA1" };
const second = { ...canary.input, deploymentId: "d-QUEUEBBB2", currentVersion: undefined, targetVersion: "5", queue: true };

let world: SimWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

type Run = { executionArn: string; finished: Promise<ExecutionReport> };
/** Starts a deployment at simulated second `atSeconds` (a timeline action): A bakes at 0, so at 1 it holds the lock. */
function startAt(w: SimWorld, atSeconds: number, input: Record<string, unknown>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const action = `start-${input.deploymentId}`;
    w.account.onAction(action, async () => {
      w.startDeployment(input).then(resolve, reject);
    });
    w.account.applyTimeline([{ atSeconds, action }]);
  });
}

const states = (w: SimWorld) => w.account.events.map((e) => `${(e.detail as { deploymentId: string }).deploymentId}:${e.detail.state}`);

describe("queue: true", () => {
  it("waits while the target is busy, then deploys from where the first deployment left the alias", async () => {
    world = await openSimWorld(account);
    const w = world;
    await w.within(async () => {
      const a = await w.startDeployment(first);
      const queued = startAt(w, 1, second);
      // Step by step: while A bakes, B is recorded and queued behind it, and traffic is A's alone.
      w.account.onAction("look", async () => {
        expect(await registry().getDeployment("d-QUEUEBBB2")).toMatchObject({ status: "Created", queued: true });
        expect((await registry().getLock(TARGET))?.holderDeploymentId).toBe("d-QUEUEAAA1");
        expect((await registry().listQueue(TARGET)).map((q) => q.deploymentId)).toEqual(["d-QUEUEBBB2"]);
        expect(w.account.getAlias("orders", "live")).toMatchObject({ functionVersion: "3", additionalVersionWeights: { "4": 0.1 } });
        // The operator sees it waiting.
        const text = memoryIO(process.env);
        expect(await main(["status", "d-QUEUEBBB2"], text)).toBe(0);
        expect(text.stdout).toContain("(waiting in the");
        expect(text.stdout).toContain("orders:live  (the alias's version at start) -> v5");
        const json = memoryIO(process.env);
        expect(await main(["status", "d-QUEUEBBB2", "--json"], json)).toBe(0);
        expect(JSON.parse(json.stdout)).toMatchObject({ status: "Created", queued: true, executionStatus: "RUNNING" });
      });
      w.account.applyTimeline([{ atSeconds: 120, action: "look" }]);
      const b = await queued;
      const [ra, rb] = await Promise.all([a.finished, b.finished]);
      expect([ra.status, rb.status]).toEqual(["SUCCEEDED", "SUCCEEDED"]);
      expect(states(w)).toEqual(["d-QUEUEAAA1:START", "d-QUEUEAAA1:SUCCESS", "d-QUEUEBBB2:START", "d-QUEUEBBB2:SUCCESS"]);
      // A: 10% at 0 s, 100% at 300 s. B starts when A hands over (300 s): 10% of v5 on top of v4, then 100% at 600 s.
      expect(w.account.aliasHistory.map((h) => [h.atSeconds, h.functionVersion, h.additionalVersionWeights])).toEqual([
        [0, "3", { "4": 0.1 }],
        [300, "4", {}],
        [300, "4", { "5": 0.1 }],
        [600, "5", {}],
      ]);
      expect(await registry().getDeployment("d-QUEUEBBB2")).toMatchObject({ status: "Succeeded", target: { currentVersion: "4", targetVersion: "5" } });
      expect(await registry().getLock(TARGET)).toBeUndefined();
      expect(await registry().listQueue(TARGET)).toEqual([]);
    });
  });

  it("a stop while queued ends it without touching traffic or emitting an event", async () => {
    world = await openSimWorld(account);
    const w = world;
    await w.within(async () => {
      const a = await w.startDeployment(first);
      const queued = startAt(w, 1, second);
      w.account.onAction("stop-b", async () => {
        const r = await requestControl("d-QUEUEBBB2", "stop", "tester");
        expect(r).toMatchObject({ delivered: true, action: { send: "failure", error: "Deploy.Stopped" } });
      });
      w.account.applyTimeline([{ atSeconds: 60, action: "stop-b" }]);
      const b = await queued;
      const [ra, rb] = await Promise.all([a.finished, b.finished]);
      expect(ra.status).toBe("SUCCEEDED");
      expect(rb).toMatchObject({ status: "FAILED", error: "Deploy.Stopped" });
      expect(await registry().getDeployment("d-QUEUEBBB2")).toMatchObject({ status: "Stopped", errorName: "Deploy.Stopped" });
      expect(states(w)).toEqual(["d-QUEUEAAA1:START", "d-QUEUEAAA1:SUCCESS"]);
      expect(w.account.getAlias("orders", "live").functionVersion).toBe("4");
      expect(await registry().getLock(TARGET)).toBeUndefined();
    });
  });

  it("a queued deployment whose currentVersion went stale is rejected after the wait, and passes the lock on", async () => {
    world = await openSimWorld(account);
    const w = world;
    await w.within(async () => {
      const a = await w.startDeployment(first);
      const b = startAt(w, 1, { ...second, currentVersion: "3" });
      const c = startAt(w, 2, { ...second, deploymentId: "d-QUEUECCC3", targetVersion: "2" });
      const [ra, rb, rc] = await Promise.all([a.finished, (await b).finished, (await c).finished]);
      expect(ra.status).toBe("SUCCEEDED");
      expect(rb).toMatchObject({ status: "FAILED", error: "Deploy.VersionMismatch" });
      expect(rb.cause).toContain("is 3 but alias live points to version 4");
      expect(await registry().getDeployment("d-QUEUEBBB2")).toMatchObject({ status: "Failed", errorName: "Deploy.VersionMismatch" });
      // FIFO: C was behind B; B's rejection handed C the lock, and C deployed 4 -> 2.
      expect(rc.status).toBe("SUCCEEDED");
      expect(w.account.getAlias("orders", "live")).toMatchObject({ functionVersion: "2", additionalVersionWeights: {} });
      expect(states(w)).toEqual(["d-QUEUEAAA1:START", "d-QUEUEAAA1:SUCCESS", "d-QUEUECCC3:START", "d-QUEUECCC3:SUCCESS"]);
      expect(await registry().getLock(TARGET)).toBeUndefined();
    });
  });

  it("the first deployment aborted mid-bake: the janitor restores it and wakes the queued one", async () => {
    world = await openSimWorld(account);
    const w = world;
    await w.within(async () => {
      const a = await w.startDeployment(first);
      const queued = startAt(w, 1, second);
      w.account.onAction("abort-a", async () => {
        await stopExecution(a.executionArn, "Test.Aborted", "aborted mid-bake");
      });
      w.account.applyTimeline([{ atSeconds: 100, action: "abort-a" }]);
      const b = await queued;
      const [ra, rb] = await Promise.all([a.finished, b.finished]);
      expect(ra.status).toBe("ABORTED");
      expect(rb.status).toBe("SUCCEEDED");
      expect(await registry().getDeployment("d-QUEUEAAA1")).toMatchObject({ status: "Stopped", errorName: "Deploy.ExecutionAborted" });
      // A back on 3 by the janitor, then B 3 -> 5.
      expect(await registry().getDeployment("d-QUEUEBBB2")).toMatchObject({ status: "Succeeded", target: { currentVersion: "3", targetVersion: "5" } });
      expect(w.account.getAlias("orders", "live")).toMatchObject({ functionVersion: "5", additionalVersionWeights: {} });
      expect(states(w)).toEqual(["d-QUEUEAAA1:START", "d-QUEUEAAA1:STOP", "d-QUEUEBBB2:START", "d-QUEUEBBB2:SUCCESS"]);
    });
  });

  it("polled bakes of two deployments at once (each its own bake watcher) keep exact timings", async () => {
    world = await openSimWorld(account);
    const w = world;
    await w.within(async () => {
      // Two aliases (two targets), two canaries started together, polling every 60 s and every 30 s.
      const a = await w.startDeployment({ ...first, alarmMonitoring: "polling", alarmPollSeconds: 60 });
      const b = await w.startDeployment({ ...first, deploymentId: "d-QUEUEBBB2", alias: "canary", alarmMonitoring: "polling", alarmPollSeconds: 30 });
      const [ra, rb] = await Promise.all([a.finished, b.finished]);
      expect([ra.status, rb.status]).toEqual(["SUCCEEDED", "SUCCEEDED"]);
      const checks = async (id: string) => {
        const watchers = w.account.sfn.executions.filter((e) => e.name.startsWith(`${id}-`));
        const reports = await Promise.all(watchers.map((e) => w.wired.finished(e.executionArn)));
        return reports.flatMap((r) => r.trace.filter((t) => t.state === "Check" && t.kind === "entered").map((t) => t.atSeconds));
      };
      expect(await checks("d-QUEUEAAA1")).toEqual([60, 120, 180, 240, 300]);
      expect(await checks("d-QUEUEBBB2")).toEqual([30, 60, 90, 120, 150, 180, 210, 240, 270, 300]);
      expect(w.account.aliasHistory.filter((h) => h.additionalVersionWeights["4"] === undefined).map((h) => h.atSeconds)).toEqual([300, 300]);
    });
  });

  it("waiting behind a 48-hour canary keeps the queued execution's history small (hourly re-checks)", async () => {
    world = await openSimWorld(account);
    const w = world;
    await w.within(async () => {
      const a = await w.startDeployment({ ...first, deploymentConfig: { steps: [{ weight: 10, bakeMinutes: 2880 }] } });
      const b = await startAt(w, 1, second);
      const [ra, rb] = await Promise.all([a.finished, b.finished]);
      expect([ra.status, rb.status]).toEqual(["SUCCEEDED", "SUCCEEDED"]);
      // B starts the moment A hands over (172,800 s). It looked at the lock when it arrived (1 s), at each of
      // the 47 hourly timeouts before the hand-over (3,601 s ... 169,201 s), and once woken: 49 times.
      expect(w.account.aliasHistory.map((h) => h.atSeconds)).toEqual([0, 172800, 172800, 173100]);
      expect(rb.trace.filter((t) => t.state === "Start" && t.kind === "entered")).toHaveLength(49);
      expect(rb.stats.historyEvents).toBeLessThan(800);
    });
  });

  it("without queue, a busy target fails fast naming the holder, whatever the group (the default)", async () => {
    world = await openSimWorld(account);
    const w = world;
    await w.within(async () => {
      // B arrives at 60 s from another application and group, for the same alias.
      const a = await w.startDeployment(first);
      const b = await startAt(w, 60, { ...second, application: "other-app", deploymentGroup: "Orders-Prod", queue: false });
      const [ra, rb] = await Promise.all([a.finished, b.finished]);
      expect(ra.status).toBe("SUCCEEDED");
      expect(rb).toMatchObject({ status: "FAILED", error: "Deploy.ConflictingDeployment" });
      expect(rb.cause).toContain("d-QUEUEAAA1 of orders-app/orders-prod");
      expect(await registry().getDeployment("d-QUEUEBBB2")).toMatchObject({ status: "Failed", errorName: "Deploy.ConflictingDeployment" });
      expect(states(w)).toEqual(["d-QUEUEAAA1:START", "d-QUEUEAAA1:SUCCESS"]);
    });
  });
});
