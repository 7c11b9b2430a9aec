// @long-running: started early from a fresh clone (vitest.config.ts, LongestFirst).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SimAccount } from "../../local/account/index.js";
import { ecsWorldOf } from "../../local/account/ecs/index.js";
import { elbv2WorldOf } from "../../local/account/elbv2/index.js";
import { SimClock } from "../../local/clock.js";
import { runInput } from "../../local/run/run-input.js";
import { RunRefused } from "../../local/run/run-modes.js";
import { WallClock } from "../../local/runtime/wall-clock.js";
import { PROJECT_ROOT } from "../../local/simulate/run-scenario.js";
import { withEndpoint } from "../support/endpoint.js";
import { loadEcsScenario } from "./ecs-support.js";
import { greenPercent } from "../support/routes.js";

/**
 * `stepdeploy run --endpoint` with an ECS input: the deploy-ecs workflow runs locally and talks HTTP only (the real
 * ELBv2, ECS, Lambda and EventBridge wire protocols) to an endpoint holding only the user's resources (load
 * balancer, listeners, target groups, cluster, service, task definitions, hooks). stepdeploy's own table and bus are
 * created by run. The endpoint's tasks start and pass health checks in real time, so run needs --real-time for ECS.
 */
const SCENARIO = loadEcsScenario("canary-success.json");
const input = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ ...JSON.parse(readFileSync(join(PROJECT_ROOT, "events/ecs/deploy-ecs.input.json"), "utf8")), ...extra });

/** The user's resources, served on 127.0.0.1, on `clock`; tasks start in 2 s and hooks answer at once. */
function userResources(clock: SimClock, alarmState: "OK" | "ALARM" = "OK"): SimAccount {
  const account = SCENARIO.account as { ecs: { clusters: { services: Record<string, unknown>[] }[] }; hooks: Record<string, unknown>[]; alarms: Record<string, unknown>[] };
  const ecs = { ...account.ecs, clusters: account.ecs.clusters.map((c) => ({ ...c, services: c.services.map((s) => ({ ...s, taskStartSeconds: 2 })) })) };
  return SimAccount.fromSetup(
    { ...SCENARIO.account, ecs, hooks: account.hooks.map((h) => ({ ...h, latencySeconds: 0 })), alarms: account.alarms.map((a) => ({ ...a, state: alarmState })) },
    { clock },
  );
}

/** The service's task sets at the endpoint, as `web:1 PRIMARY` (deleted ones, draining, left out). */
function taskSets(account: SimAccount): string[] {
  const ecs = ecsWorldOf(account);
  return ecs
    .taskSetsAt(ecs.service(ecs.cluster("prod"), "web"))
    .filter((t) => t.taskSet.status !== "DRAINING")
    .map((t) => `${t.taskSet.taskDefinition.family}:${t.taskSet.taskDefinition.revision} ${t.taskSet.status}`);
}


describe("stepdeploy run --endpoint with an ECS input", () => {
  it("without --real-time it is refused before anything is created, saying why and what to use", async () => {
    const account = userResources(new SimClock());
    await withEndpoint(account, async (endpoint, db) => {
      const refused = await runInput(input(), { endpoint, dynamoDbEndpoint: db.endpoint, env: {} }).catch((e) => e);
      expect(refused).toBeInstanceOf(RunRefused);
      expect(refused.problems).toEqual([{ field: "ecs", reason: expect.stringMatching(/take real time.*add --real-time, or try the deployment with `stepdeploy simulate`/) }]);
      expect(account.callCounts()).toEqual({});
    });
  });

  // The acceptance: a canary (here the shortest CodeDeploy allows, one minute) in real time, about 80 s.
  it("--real-time canary: the replacement comes up, takes 10% then 100% of production, becomes primary; the original is deleted", { timeout: 240_000 }, async () => {
    const account = userResources(new WallClock());
    await withEndpoint(account, async (endpoint, db) => {
      const wallStart = Date.now();
      const report = await runInput(input({ deploymentConfig: { steps: [{ weight: 10, bakeMinutes: 1 }] }, blueGreen: { terminationWaitMinutes: 0 } }), {
        endpoint,
        dynamoDbEndpoint: db.endpoint,
        realTime: true,
        env: {},
      });
      expect([report.status, report.error, report.cause]).toEqual(["SUCCEEDED", undefined, undefined]);
      expect(report.clock).toBe("real");
      expect(report.owned.map((o) => o.action)).toEqual(["created", "created"]);
      expect(report.finalRoutes).toEqual({ prodTrafficRoute: { "web-blue": 0, "web-green": 100 }, testTrafficRoute: { "web-blue": 0, "web-green": 100 } });
      const [canary, full] = report.timeline;
      expect([canary?.weight, full?.weight]).toEqual([10, 100]);
      expect(full!.atSeconds - canary!.atSeconds).toBeGreaterThanOrEqual(60);
      expect(report.events.map((e) => e.detail.state)).toEqual(["START", "SUCCESS"]);
      // The endpoint saw it all over HTTP: the replacement is the service's only task set, primary.
      expect(elbv2WorldOf(account).weightsAt("web:80")).toEqual({ "web-blue": 0, "web-green": 100 });
      expect(taskSets(account)).toEqual(["web:2 PRIMARY"]);
      expect(Date.parse(report.startedAt)).toBeGreaterThanOrEqual(wallStart);
      expect(Date.parse(report.endedAt) - Date.parse(report.startedAt)).toBeGreaterThanOrEqual(60_000);
    });
  });

  it("--real-time with the alarm already in ALARM: FAILED Deploy.AlarmTriggered, production on the original at 100, the replacement deleted", { timeout: 150_000 }, async () => {
    const account = userResources(new WallClock(), "ALARM");
    await withEndpoint(account, async (endpoint, db) => {
      const report = await runInput(input({ deploymentConfig: { steps: [{ weight: 10, bakeMinutes: 1 }] }, blueGreen: { terminationWaitMinutes: 0 } }), { endpoint, dynamoDbEndpoint: db.endpoint, realTime: true, env: {} });
      expect([report.status, report.error]).toEqual(["FAILED", "Deploy.AlarmTriggered"]);
      expect(report.cause).toContain("web-5xx");
      expect([greenPercent(report.finalRoutes?.prodTrafficRoute), greenPercent(report.finalRoutes?.testTrafficRoute)]).toEqual([0, 0]);
      expect(taskSets(account)).toEqual(["web:1 PRIMARY"]);
      expect(report.events.map((e) => e.detail.state)).toEqual(["START", "STOP"]);
    });
  });
});
