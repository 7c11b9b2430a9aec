import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SimAccount } from "../../local/account/index.js";
import { PROJECT_ROOT, simulateScenario } from "../../local/simulate/run-scenario.js";
import { loadScenario } from "../../local/simulate/scenario.js";

const scenario = (name: string) => loadScenario(join(PROJECT_ROOT, "events", "scenarios", `${name}.json`));

describe("deploy-lambda, step by step", () => {
  it("linear: at each shift the alias routing is exactly the planned fraction", async () => {
    const seen: { at: number; version: string; weights: Record<string, number> }[] = [];
    let account: SimAccount | undefined;
    await simulateScenario(scenario("linear-success"), {
      onStart: (ctx) => {
        account = ctx.account;
      },
      onLog: (e) => {
        if (e.kind !== "weight" || !account) return;
        const a = account.getAlias("orders", "live");
        seen.push({ at: e.atSeconds, version: a.functionVersion, weights: a.additionalVersionWeights });
      },
    });
    expect(seen).toHaveLength(10);
    seen.slice(0, 9).forEach((s, i) => {
      expect(s.at).toBe(i * 60);
      expect(s.version).toBe("3");
      expect(s.weights).toEqual({ "4": (i + 1) / 10 });
    });
    expect(seen[9]).toEqual({ at: 540, version: "4", weights: {} });
  });

  it("alarm polling: reads OK every 60 s until the 240 s poll sees ALARM, then the alias is back on 3", async () => {
    const report = await simulateScenario(scenario("alarm-mid-bake-polling"));
    const checks = report.log.filter((l) => l.kind === "alarm-check").map((l) => l.atSeconds);
    expect(checks).toEqual([0, 0, 0, 60, 120, 180, 240]);
    expect(report.timeline.at(-1)).toEqual({ atSeconds: 240, weight: 0 });
  });

  it("alarm events: no polling during the bake; the alarm at 240 s ends it within the same second", async () => {
    const report = await simulateScenario(scenario("alarm-mid-bake"));
    const checks = report.log.filter((l) => l.kind === "alarm-check").map((l) => l.atSeconds);
    expect(checks.every((t) => t === 0)).toBe(true);
    const restore = report.timeline.at(-1);
    expect(restore).toEqual({ atSeconds: 240, weight: 0 });
    expect(report.events.at(-1)?.detail).toMatchObject({ state: "STOP", rollback: true, error: "Deploy.AlarmTriggered", currentVersion: "3", targetVersion: "4" });
    expect(String(report.events.at(-1)?.detail.reason)).toContain("orders-errors");
  });

  it("hooks get the documented payload, before and after traffic", async () => {
    const report = await simulateScenario(scenario("canary-success"));
    expect(report.hooks.map((h) => [h.atSeconds, h.lifecycleEvent, h.outcome])).toEqual([
      [0, "BeforeAllowTraffic", expect.stringContaining("Succeeded")],
      [300, "AfterAllowTraffic", expect.stringContaining("Succeeded")],
    ]);
  });

  it("notifications carry CodeDeploy's fields plus the Lambda ones", async () => {
    const report = await simulateScenario(scenario("canary-success"));
    expect(report.events.map((e) => [e.source, e.detailType])).toEqual([
      ["stepdeploy", "StepDeploy Deployment State-change Notification"],
      ["stepdeploy", "StepDeploy Deployment State-change Notification"],
    ]);
    expect(report.events[1]?.detail).toEqual({
      application: "orders-app",
      deploymentGroup: "orders-prod",
      // CodeDeploy's group id: a UUID derived from the application and group names (docs/groups.md).
      instanceGroupId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      deploymentId: report.deploymentId,
      state: "SUCCESS",
      region: "us-east-1",
      config: "CodeDeployDefault.LambdaCanary10Percent5Minutes",
      functionName: "orders",
      alias: "live",
      currentVersion: "3",
      targetVersion: "4",
      reason: null,
      rollback: false,
    });
  });

  it("throttled UpdateAlias: the SDK's retries absorb three, the ShiftTraffic task's Retry the fourth, 2 s later", async () => {
    const report = await simulateScenario(scenario("update-alias-throttled"));
    expect(report.status).toBe("SUCCEEDED");
    // 4 throttled attempts, then the first step's write and the last step's.
    expect(report.stats.apiCalls["Lambda.UpdateAlias"]).toBe(6);
    expect(report.log.filter((l) => l.kind === "retry").map((l) => l.atSeconds)).toEqual([0, 0, 0, 2]);
    expect(report.timeline).toEqual([
      { atSeconds: 2, weight: 10 },
      { atSeconds: 302, weight: 100 },
    ]);
  });

  it("rollback disabled leaves the traffic where the failure found it, and says so", async () => {
    const s = scenario("alarm-mid-bake");
    s.input = { ...s.input, autoRollback: { enabled: false } };
    delete s.expect;
    const report = await simulateScenario(s);
    expect(report.error).toBe("Deploy.AlarmTriggered");
    expect(report.finalAlias).toEqual({ functionVersion: "3", additionalVersionWeights: { "4": 0.1 } });
    expect(report.events.at(-1)?.detail).toMatchObject({ state: "STOP", rollback: false });
  });
});
