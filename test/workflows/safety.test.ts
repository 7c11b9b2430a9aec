import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { memoryIO } from "../../cli/io.js";
import { registry } from "../../functions/wiring.js";
import { PROJECT_ROOT } from "../../local/simulate/run-scenario.js";
import { openSimWorld, type SimWorld } from "../../local/simulate/world.js";

/** Lock, janitor and the operator CLI, against the simulated account and dynalite over HTTP. */
const canary = JSON.parse(readFileSync(join(PROJECT_ROOT, "events", "scenarios", "canary-success.json"), "utf8"));
let world: SimWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe("one deployment per traffic target", () => {
  it("two concurrent starts on one alias: one runs, the other is rejected naming it", async () => {
    world = await openSimWorld(canary.account);
    const w = world;
    await w.within(async () => {
      const [a, b] = await Promise.all([
        w.startDeployment({ ...canary.input, deploymentId: "d-AAAAAAAA1" }),
        w.startDeployment({ ...canary.input, deploymentId: "d-BBBBBBBB2" }),
      ]);
      const [ra, rb] = await Promise.all([a.finished, b.finished]);
      const results = [ra, rb].sort((x, y) => x.status.localeCompare(y.status));
      expect(results.map((r) => r.status)).toEqual(["FAILED", "SUCCEEDED"]);
      const rejected = results[0];
      expect(rejected?.error).toBe("Deploy.ConflictingDeployment");
      const winner = ra.status === "SUCCEEDED" ? "d-AAAAAAAA1" : "d-BBBBBBBB2";
      expect(rejected?.cause).toContain(winner);
      // One deployment shifted traffic; the other never emitted an event.
      expect(w.account.events.map((e) => e.detail.state)).toEqual(["START", "SUCCESS"]);
      expect(await registry().getLock({ lockKey: "arn:aws:lambda:us-east-1:123456789012:function:orders:live" })).toBeUndefined();
    });
  });
});

describe("operator CLI against the simulated account", () => {
  it("status, pause, resume, list and history work mid-deployment over HTTP", async () => {
    world = await openSimWorld(canary.account);
    const w = world;
    await w.within(async () => {
      const io = memoryIO(process.env);
      const outputs: Record<string, unknown> = {};
      w.account.onAction("inspect", async () => {
        const s = memoryIO(process.env);
        expect(await main(["status", "d-CCCCCCCC3", "--json"], s)).toBe(0);
        outputs.status = JSON.parse(s.stdout);
        const p = memoryIO(process.env);
        expect(await main(["pause", "d-CCCCCCCC3", "--json"], p)).toBe(0);
        outputs.pause = JSON.parse(p.stdout);
      });
      w.account.onAction("resume-cli", async () => {
        const r = memoryIO(process.env);
        expect(await main(["resume", "d-CCCCCCCC3"], r)).toBe(0);
        outputs.resume = r.stdout;
      });
      w.account.applyTimeline([
        { atSeconds: 60, action: "inspect" },
        { atSeconds: 600, action: "resume-cli" },
      ]);
      const run = await w.startDeployment({ ...canary.input, deploymentId: "d-CCCCCCCC3" });
      const report = await run.finished;
      expect(report.status).toBe("SUCCEEDED");
      expect(outputs.status).toMatchObject({ deploymentId: "d-CCCCCCCC3", status: "InProgress", weight: 10, step: 0, totalSteps: 2, executionStatus: "RUNNING" });
      expect(outputs.pause).toMatchObject({ intent: "pause", delivered: true, action: { send: "failure", error: "Deploy.PauseRequested" } });
      expect(outputs.resume).toContain("resume delivered");
      // Paused at 60 s with 240 s of bake left, resumed at 600 s: 100% at 840 s.
      expect(w.account.aliasHistory.map((h) => [h.atSeconds, h.functionVersion])).toEqual([
        [0, "3"],
        [840, "4"],
      ]);
      expect(await main(["list", "--json"], io)).toBe(0);
      expect(JSON.parse(io.stdout.trim().split("\n").at(-1) ?? "[]")[0]).toMatchObject({ deploymentId: "d-CCCCCCCC3", status: "Succeeded" });
      const h = memoryIO(process.env);
      expect(await main(["history", "--group", "orders-app/orders-prod", "--json"], h)).toBe(0);
      expect(JSON.parse(h.stdout)).toMatchObject({ lock: null, deployments: [{ deploymentId: "d-CCCCCCCC3" }] });
      const s = memoryIO(process.env);
      expect(await main(["status", "d-CCCCCCCC3"], s)).toBe(0);
      expect(s.stdout).toContain("Succeeded");
    });
  });

  it("watch exits non-zero when the deployment fails; stop rolls back", async () => {
    world = await openSimWorld(canary.account);
    const w = world;
    await w.within(async () => {
      w.account.onAction("stop-cli", async () => {
        const io = memoryIO(process.env);
        expect(await main(["stop", "d-DDDDDDDD4"], io)).toBe(0);
      });
      w.account.applyTimeline([{ atSeconds: 90, action: "stop-cli" }]);
      const run = await w.startDeployment({ ...canary.input, deploymentId: "d-DDDDDDDD4" });
      await run.finished;
      const io = memoryIO(process.env);
      expect(await main(["watch", "d-DDDDDDDD4", "--json", "--interval", "0.01"], io)).toBe(1);
      expect(JSON.parse(io.stdout).final).toMatchObject({ status: "Stopped", errorName: "Deploy.Stopped" });
      expect(w.account.getAlias("orders", "live")).toMatchObject({ functionVersion: "3", additionalVersionWeights: {} });
    });
  });
});
