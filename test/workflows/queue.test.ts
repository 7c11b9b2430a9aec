import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { memoryIO } from "../../cli/io.js";
import { main } from "../../cli/main.js";
import { requestControl } from "../../functions/services/operator-control.js";
import { stopExecution } from "../../functions/adapters/sfn.js";
import { registry } from "../../functions/lib/registry.js";
import { PROJECT_ROOT } from "../../local/simulate/run-scenario.js";
import { openSimWorld, type SimWorld } from "../../local/simulate/world.js";

/**
 * `queue: true`: a second deployment on a busy group waits in the group's FIFO queue instead of
 * failing, and starts when the first one hands the lock over, from the alias as the first left it.
 * Both executions run at once on the local engine, on one simulated clock.
 */
const canary = JSON.parse(readFileSync(join(PROJECT_ROOT, "events", "scenarios", "canary-success.json"), "utf8"));
const account = { ...canary.account, functions: [{ name: "orders", versions: 5, aliases: { live: "3" } }] };
const GROUP = { application: "orders-app", deploymentGroup: "orders-prod" };
const first = { ...canary.input, deploymentId: "d-QUEUEAAA1" };
const second = { ...canary.input, deploymentId: "d-QUEUEBBB2", currentVersion: undefined, targetVersion: "5", queue: true };

let world: SimWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** Starts A and waits (wall time) until it holds the group's lock, so that the next start finds the group busy. */
async function startHolding(w: SimWorld, input: Record<string, unknown>) {
  const run = await w.startDeployment(input);
  for (let i = 0; i < 500 && (await registry().getLock(GROUP))?.holderDeploymentId !== input.deploymentId; i++) await new Promise((r) => setTimeout(r, 5));
  expect((await registry().getLock(GROUP))?.holderDeploymentId).toBe(input.deploymentId);
  return run;
}

const states = (w: SimWorld) => w.account.events.map((e) => `${(e.detail as { deploymentId: string }).deploymentId}:${e.detail.state}`);

describe("queue: true", () => {
  it("waits while the group is busy, then deploys from where the first deployment left the alias", async () => {
    world = await openSimWorld(account);
    const w = world;
    await w.within(async () => {
      const a = await startHolding(w, first);
      const b = await w.startDeployment(second);
      // Step by step: while A bakes, B is recorded and queued behind it, and traffic is A's alone.
      w.account.onAction("look", async () => {
        const rec = await registry().getDeployment("d-QUEUEBBB2");
        expect(rec).toMatchObject({ status: "Created", queued: true });
        expect((await registry().getLock(GROUP))?.holderDeploymentId).toBe("d-QUEUEAAA1");
        expect((await registry().listQueue(GROUP)).map((q) => q.deploymentId)).toEqual(["d-QUEUEBBB2"]);
        expect(w.account.getAlias("orders", "live")).toMatchObject({ functionVersion: "3", additionalVersionWeights: { "4": 0.1 } });
        // The operator sees it waiting.
        const text = memoryIO(process.env);
        expect(await main(["status", "d-QUEUEBBB2"], text)).toBe(0);
        expect(text.stdout).toContain("Created (waiting in the group's queue)");
        expect(text.stdout).toContain("orders:live  (the alias's version at start) -> v5");
        const json = memoryIO(process.env);
        expect(await main(["status", "d-QUEUEBBB2", "--json"], json)).toBe(0);
        expect(JSON.parse(json.stdout)).toMatchObject({ status: "Created", queued: true, executionStatus: "RUNNING" });
      });
      w.account.applyTimeline([{ atSeconds: 120, action: "look" }]);
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
      const rec = await registry().getDeployment("d-QUEUEBBB2");
      expect(rec).toMatchObject({ status: "Succeeded", target: { currentVersion: "4", targetVersion: "5" } });
      expect(await registry().getLock(GROUP)).toBeUndefined();
      expect(await registry().listQueue(GROUP)).toEqual([]);
    });
  });

  it("a stop while queued ends it without touching traffic or emitting an event", async () => {
    world = await openSimWorld(account);
    const w = world;
    await w.within(async () => {
      const a = await startHolding(w, first);
      const b = await w.startDeployment(second);
      w.account.onAction("stop-b", async () => {
        const r = await requestControl("d-QUEUEBBB2", "stop", "tester");
        expect(r).toMatchObject({ delivered: true, action: { send: "failure", error: "Deploy.Stopped" } });
      });
      w.account.applyTimeline([{ atSeconds: 60, action: "stop-b" }]);
      const [ra, rb] = await Promise.all([a.finished, b.finished]);
      expect(ra.status).toBe("SUCCEEDED");
      expect(rb).toMatchObject({ status: "FAILED", error: "Deploy.Stopped" });
      expect(await registry().getDeployment("d-QUEUEBBB2")).toMatchObject({ status: "Stopped", errorName: "Deploy.Stopped" });
      expect(states(w)).toEqual(["d-QUEUEAAA1:START", "d-QUEUEAAA1:SUCCESS"]);
      expect(w.account.getAlias("orders", "live").functionVersion).toBe("4");
      expect(await registry().getLock(GROUP)).toBeUndefined();
    });
  });

  it("a queued deployment whose currentVersion went stale is rejected after the wait, and passes the lock on", async () => {
    world = await openSimWorld(account);
    const w = world;
    await w.within(async () => {
      const a = await startHolding(w, first);
      const b = await w.startDeployment({ ...second, currentVersion: "3" });
      const third = await w.startDeployment({ ...second, deploymentId: "d-QUEUECCC3", targetVersion: "2" });
      const [ra, rb, rc] = await Promise.all([a.finished, b.finished, third.finished]);
      expect(ra.status).toBe("SUCCEEDED");
      expect(rb).toMatchObject({ status: "FAILED", error: "Deploy.VersionMismatch" });
      expect(rb.cause).toContain("is 3 but alias live points to version 4");
      expect(await registry().getDeployment("d-QUEUEBBB2")).toMatchObject({ status: "Failed", errorName: "Deploy.VersionMismatch" });
      // FIFO: C was behind B; B's rejection handed C the lock, and C deployed 4 -> 2.
      expect(rc.status).toBe("SUCCEEDED");
      expect(w.account.getAlias("orders", "live")).toMatchObject({ functionVersion: "2", additionalVersionWeights: {} });
      expect(states(w)).toEqual(["d-QUEUEAAA1:START", "d-QUEUEAAA1:SUCCESS", "d-QUEUECCC3:START", "d-QUEUECCC3:SUCCESS"]);
      expect(await registry().getLock(GROUP)).toBeUndefined();
    });
  });

  it("the first deployment aborted mid-bake: the janitor restores it and wakes the queued one", async () => {
    world = await openSimWorld(account);
    const w = world;
    await w.within(async () => {
      const a = await startHolding(w, first);
      const b = await w.startDeployment(second);
      w.account.onAction("abort-a", async () => {
        await stopExecution(a.executionArn, "Test.Aborted", "aborted mid-bake");
      });
      w.account.applyTimeline([{ atSeconds: 100, action: "abort-a" }]);
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

  it("polling bakes (Wait states) of two executions at once keep exact timings", async () => {
    world = await openSimWorld(account);
    const w = world;
    await w.within(async () => {
      // Two groups, two canaries started together, polling every 60 s and every 30 s.
      const a = await w.startDeployment({ ...first, alarmMonitoring: "polling", alarmPollSeconds: 60 });
      const b = await w.startDeployment({ ...first, deploymentId: "d-QUEUEBBB2", deploymentGroup: "orders-other", alarmMonitoring: "polling", alarmPollSeconds: 30 });
      const [ra, rb] = await Promise.all([a.finished, b.finished]);
      expect([ra.status, rb.status]).toEqual(["SUCCEEDED", "SUCCEEDED"]);
      const polls = (r: typeof ra) => r.trace.filter((t) => t.state === "WatchAlarms" && t.kind === "entered").map((t) => t.atSeconds);
      expect(polls(ra)).toEqual([60, 120, 180, 240]);
      expect(polls(rb)).toEqual([30, 60, 90, 120, 150, 180, 210, 240, 270]);
      expect(w.account.aliasHistory.filter((h) => h.additionalVersionWeights["4"] === undefined).map((h) => h.atSeconds)).toEqual([300, 300]);
    });
  });

  it("waiting behind a 48-hour canary keeps the queued execution's history small (hourly re-polls)", async () => {
    world = await openSimWorld(account);
    const w = world;
    await w.within(async () => {
      const a = await startHolding(w, { ...first, deploymentConfig: { steps: [{ weight: 10, bakeMinutes: 2880 }] } });
      const b = await w.startDeployment(second);
      const [ra, rb] = await Promise.all([a.finished, b.finished]);
      expect([ra.status, rb.status]).toEqual(["SUCCEEDED", "SUCCEEDED"]);
      // B starts the moment A hands over (172,800 s). It looked at the lock when it arrived, at each of
      // the 48 hourly timeouts (the last one at the hand-over's second), and once woken: 50 times.
      expect(w.account.aliasHistory.map((h) => h.atSeconds)).toEqual([0, 172800, 172800, 173100]);
      expect(rb.trace.filter((t) => t.state === "JoinQueue" && t.kind === "entered")).toHaveLength(50);
      expect(rb.stats.historyEvents).toBeLessThan(800);
    });
  });

  it("without queue, a busy group still fails fast (the default)", async () => {
    world = await openSimWorld(account);
    const w = world;
    await w.within(async () => {
      // B arrives at 60 s (a timeline action), while A bakes, and deploys another alias of the same group,
      // which no deployment splits: only the group's lock can stop it. Deterministic, whatever the load.
      w.account.lambda.createAlias(w.account.lambda.get("orders"), "canary", { functionVersion: "3", weights: {} }, "");
      const a = await startHolding(w, first);
      let b: Awaited<ReturnType<SimWorld["startDeployment"]>> | undefined;
      w.account.onAction("start-b", async () => {
        b = await w.startDeployment({ ...second, alias: "canary", queue: false });
      });
      w.account.applyTimeline([{ atSeconds: 60, action: "start-b" }]);
      const ra = await a.finished;
      if (!b) throw new Error("B was not started");
      const rb = await b.finished;
      expect(ra.status).toBe("SUCCEEDED");
      expect(rb).toMatchObject({ status: "FAILED", error: "Deploy.ConflictingDeployment" });
      expect(rb.cause).toContain("d-QUEUEAAA1");
    });
  });
});
