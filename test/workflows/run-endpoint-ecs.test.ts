import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SimAccount } from "../../local/account/index.js";
import { elbv2WorldOf } from "../../local/account/elbv2/index.js";
import { SimClock } from "../../local/clock.js";
import { runInput } from "../../local/run/run-input.js";
import { RunRefused } from "../../local/run/run-modes.js";
import { WallClock } from "../../local/runtime/wall-clock.js";
import { PROJECT_ROOT } from "../../local/simulate/run-scenario.js";
import { withEndpoint } from "../support/endpoint.js";
import { loadEcsScenario } from "./ecs-support.js";

/**
 * `stepdeploy run --endpoint` with an ECS input: the deploy-ecs workflow runs locally and talks HTTP only (the real
 * ELBv2, ECS, Lambda and EventBridge wire protocols) to an endpoint holding only the user's resources (load
 * balancer, listeners, target groups, cluster, service, task definitions, hooks). stepdeploy's own table and bus are
 * created by run. The endpoint's tasks start and pass health checks in real time, so run needs --real-time for ECS.
 */
const SCENARIO = loadEcsScenario("canary-success.json");
const input = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ ...JSON.parse(readFileSync(join(PROJECT_ROOT, "events/ecs/deploy-ecs.input.json"), "utf8")), ...extra });

/** The user's resources, served on 127.0.0.1, on `clock`; tasks start in 2 s and hooks answer at once. */
function userResources(clock: SimClock): SimAccount {
  const account = SCENARIO.account as { ecs: { clusters: { services: Record<string, unknown>[] }[] }; hooks: Record<string, unknown>[] };
  const ecs = { ...account.ecs, clusters: account.ecs.clusters.map((c) => ({ ...c, services: c.services.map((s) => ({ ...s, taskStartSeconds: 2 })) })) };
  return SimAccount.fromSetup({ ...SCENARIO.account, ecs, hooks: account.hooks.map((h) => ({ ...h, latencySeconds: 0 })) }, { clock });
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

  it("--real-time: the replacement comes up, takes both listeners all at once, becomes primary; the original is deleted", { timeout: 150_000 }, async () => {
    const account = userResources(new WallClock());
    await withEndpoint(account, async (endpoint, db) => {
      const wallStart = Date.now();
      const report = await runInput(input({ deploymentConfig: "CodeDeployDefault.ECSAllAtOnce", blueGreen: { terminationWaitMinutes: 0 } }), { endpoint, dynamoDbEndpoint: db.endpoint, realTime: true, env: {} });
      expect([report.status, report.error, report.cause]).toEqual(["SUCCEEDED", undefined, undefined]);
      expect(report.clock).toBe("real");
      expect(report.owned.map((o) => o.action)).toEqual(["created", "created"]);
      expect(report.finalRoutes).toEqual({ prodTrafficRoute: { "web-blue": 0, "web-green": 100 }, testTrafficRoute: { "web-blue": 0, "web-green": 100 } });
      expect(report.timeline.map((t) => t.weight)).toEqual([100]);
      expect(report.events.map((e) => e.detail.state)).toEqual(["START", "SUCCESS"]);
      // The endpoint saw it all over HTTP: the replacement is the service's only task set.
      const elbv2 = elbv2WorldOf(account);
      expect(elbv2.weightsAt("web:80")).toEqual({ "web-blue": 0, "web-green": 100 });
      expect(account.callCounts()["ECS.CreateTaskSet"]).toBe(1);
      expect(account.callCounts()["ECS.UpdateServicePrimaryTaskSet"]).toBe(1);
      expect(account.callCounts()["ECS.DeleteTaskSet"]).toBe(1);
      expect(Date.parse(report.endedAt)).toBeLessThanOrEqual(Date.now());
      expect(Date.parse(report.startedAt)).toBeGreaterThanOrEqual(wallStart);
    });
  });
});
