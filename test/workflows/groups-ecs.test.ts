import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";
import { groupId } from "../../functions/domain/groups/id.js";
import { elbv2WorldOf } from "../../local/account/elbv2/index.js";
import { buildBundle } from "../../local/simulate/release/bundle-dir.js";
import { openSimWorld, type SimWorld } from "../../local/simulate/world.js";
import { taskSetsOf } from "./ecs-support.js";

/**
 * ECS group deployments end to end on the local engine: the real deploy-ecs.asl.json started with
 * `{application, deploymentGroup, revision}`, the group web-app/web-prod read from config/groups.local.yml
 * (ECSCanary10Percent5Minutes, test listener, 5-minute termination wait, the group's AfterAllowTestTraffic hook and
 * alarm), the AppSpec read from s3rver as a YAML revision (its BeforeAllowTraffic hook beside the group's).
 */
const WORLD = JSON.parse(readFileSync(fileURLToPath(new URL("../../events/groups/ecs-world.json", import.meta.url)), "utf8"));
const APPSPEC = fileURLToPath(new URL("../../events/bundles/web-v2", import.meta.url));

async function withWorld(fn: (world: SimWorld) => Promise<void>, timeline: unknown[] = []): Promise<void> {
  const world = await openSimWorld(WORLD.account, { s3Buckets: ["web-revisions"], timeline });
  try {
    await world.within(() => fn(world));
  } finally {
    await world.close();
  }
}

/** What the world looks like each time a route changes: second, production and test weights on web-green, task sets. */
function watchSteps(world: SimWorld): { at: number; prod: number; test: number; taskSets: string[] }[] {
  const elbv2 = elbv2WorldOf(world.account);
  const steps: { at: number; prod: number; test: number; taskSets: string[] }[] = [];
  let seen = elbv2.forwardHistory.length;
  world.clock.onAdvance(() => {
    if (elbv2.forwardHistory.length === seen) return;
    seen = elbv2.forwardHistory.length;
    steps.push({
      at: world.clock.elapsedSeconds(),
      prod: elbv2.weightsAt("web:80")?.["web-green"] ?? 0,
      test: elbv2.weightsAt("web:8080")?.["web-green"] ?? 0,
      taskSets: taskSetsOf(world).map((t) => `${t.taskDefinition} ${t.status}`),
    });
  });
  return steps;
}


describe("a deployment of an ECS group's revision", () => {
  it("an S3 AppSpec runs deploy-ecs with the group's service, routes, canary, waits, hooks and alarm, moving the world step by step", async () => {
    await withWorld(async (world) => {
      const { account } = world;
      const elbv2 = elbv2WorldOf(account);
      await world.s3?.client.send(new PutObjectCommand({ Bucket: "web-revisions", Key: "web/appspec-v2.yaml", Body: await buildBundle(APPSPEC, "YAML") }));
      expect(taskSetsOf(world)).toEqual([{ status: "PRIMARY", taskDefinition: "web:1" }]);
      const steps = watchSteps(world);
      const run = await world.startDeployment(
        { application: "web-app", deploymentGroup: "web-prod", deploymentId: "d-ECSGROUP1", revision: { s3: { bucket: "web-revisions", key: "web/appspec-v2.yaml", bundleType: "YAML" } } },
        "deploy-ecs",
      );
      const report = await run.finished;
      // Each step as the world saw it: green joins production at 0 as the replacement is created, takes the test
      // listener, 10% of production for five minutes, then all of it; the original is kept through the termination wait.
      expect(steps.map(({ prod, test, taskSets }) => ({ prod, test, taskSets }))).toEqual([
        { prod: 0, test: 0, taskSets: ["web:1 PRIMARY", "web:2 ACTIVE"] },
        { prod: 0, test: 100, taskSets: ["web:1 PRIMARY", "web:2 ACTIVE"] },
        { prod: 10, test: 100, taskSets: ["web:1 PRIMARY", "web:2 ACTIVE"] },
        { prod: 100, test: 100, taskSets: ["web:1 PRIMARY", "web:2 ACTIVE"] },
      ]);
      expect((steps[3]?.at ?? 0) - (steps[2]?.at ?? 0)).toBeGreaterThanOrEqual(300);
      // The group's AfterAllowTestTraffic hook and the AppSpec's BeforeAllowTraffic.
      expect(account.hookInvocations.map((h) => h.functionName)).toEqual(["CodeDeployHook_web_testTraffic", "CodeDeployHook_web_beforeTraffic"]);
      expect([report.status, report.error]).toEqual(["SUCCEEDED", undefined]);
      expect(elbv2.weightsAt("web:80")).toEqual({ "web-blue": 0, "web-green": 100 });
      expect(taskSetsOf(world)).toEqual([{ status: "PRIMARY", taskDefinition: "web:2" }]);
      const events = account.events.filter((e) => e.source === "stepdeploy");
      expect(events.map((e) => e.detail.state)).toEqual(["START", "SUCCESS"]);
      for (const e of events) expect(e.detail).toMatchObject({ application: "web-app", deploymentGroup: "web-prod", deploymentId: "d-ECSGROUP1", instanceGroupId: groupId("web-app", "web-prod") });
    });
  });

  it("the group's alarm rolls the group deployment back: production on blue at 100, the replacement deleted", async () => {
    // web-5xx fires during the canary's bake (production at 10% from about 55 s to 355 s).
    await withWorld(
      async (world) => {
        const elbv2 = elbv2WorldOf(world.account);
        const steps = watchSteps(world);
        const appSpecContent = { version: 0.0, Resources: [{ TargetService: { Type: "AWS::ECS::Service", Properties: { TaskDefinition: "web:2", LoadBalancerInfo: { ContainerName: "web", ContainerPort: 80 } } } }] };
        const run = await world.startDeployment({ application: "web-app", deploymentGroup: "web-prod", deploymentId: "d-ECSGROUP2", revision: { appSpecContent } }, "deploy-ecs");
        const report = await run.finished;
        expect([report.status, report.error]).toEqual(["FAILED", "Deploy.AlarmTriggered"]);
        expect(steps.map((s) => s.prod)).toEqual([0, 0, 10]);
        // Rolled back within the second the alarm fired: both listeners to blue at 100.
        const canary = elbv2.forwardHistory.findIndex((c) => c.resource === "web:80" && c.weights["web-green"] === 10);
        const rollback = elbv2.forwardHistory.slice(canary + 1);
        expect(rollback.map((c) => [c.resource, c.atSeconds])).toEqual([
          ["web:80", 200],
          ["web:8080", 200],
        ]);
        expect(elbv2.weightsAt("web:80")).toEqual({ "web-blue": 100, "web-green": 0 });
        expect(elbv2.weightsAt("web:8080")).toEqual({ "web-blue": 100, "web-green": 0 });
        expect(taskSetsOf(world)).toEqual([{ status: "PRIMARY", taskDefinition: "web:1" }]);
      },
      [{ atSeconds: 200, alarm: "web-5xx", state: "ALARM", reason: "Threshold Crossed" }],
    );
  });

  it("refuses before anything moves: an ECS group on deploy-lambda, a Lambda group on deploy-ecs", async () => {
    await withWorld(async (world) => {
      const revision = { appSpecContent: "version: 0.0" };
      const onLambda = await (await world.startDeployment({ application: "web-app", deploymentGroup: "web-prod", deploymentId: "d-ECSGROUP3", revision })).finished;
      expect([onLambda.status, onLambda.error]).toEqual(["FAILED", "Deploy.InvalidInput"]);
      expect(onLambda.cause).toMatch(/web-app\/web-prod is an ECS group: start the deploy-ecs state machine, not deploy-lambda/);
      const onEcs = await (await world.startDeployment({ application: "shop", deploymentGroup: "orders-live", deploymentId: "d-ECSGROUP4", revision: { targetVersion: "4" } }, "deploy-ecs")).finished;
      expect(onEcs.cause).toMatch(/shop\/orders-live is a Lambda group: start the deploy-lambda state machine, not deploy-ecs/);
      expect(elbv2WorldOf(world.account).forwardHistory.filter((c) => c.operation !== "setup")).toEqual([]);
      expect(world.account.events.filter((e) => e.source === "stepdeploy")).toEqual([]);
    });
  });

  it("takes the AppSpec from a zip bundle as well as from the file (the same hardened reader as Lambda bundles)", async () => {
    const r = await cli("deploy", "--application", "web-app", "--deployment-group", "web-prod", "--s3-location", "bucket=web-revisions,key=web/revision-v2.zip,bundleType=zip", "--simulate", "events/groups/ecs-world.json", "--json");
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect([report.machine, report.execution.status]).toEqual(["deploy-ecs", "SUCCEEDED"]);
    expect(report.taskSets).toEqual([{ status: "PRIMARY", taskDefinition: "web:2" }]);
  });

  it("stepdeploy deploy --application web-app --deployment-group web-prod --simulate picks deploy-ecs from the group and prints the listener weights", async () => {
    const r = await cli("deploy", "--application", "web-app", "--deployment-group", "web-prod", "--s3-location", "bucket=web-revisions,key=web/appspec-v2.yaml,bundleType=YAML", "--simulate", "events/groups/ecs-world.json", "--json");
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect([report.machine, report.execution.status]).toEqual(["deploy-ecs", "SUCCEEDED"]);
    expect(report.routeChanges.filter((c: { resource: string }) => c.resource === "web:80").map((c: { weights: Record<string, number> }) => c.weights["web-green"])).toEqual([0, 10, 100]);
    expect(report.taskSets).toEqual([{ status: "PRIMARY", taskDefinition: "web:2" }]);
    const show = await cli("groups", "show", "web-app/web-prod", "--stage", "local");
    expect(show.stdout).toMatch(/compute platform +ECS \(state machine deploy-ecs\)/);
    expect(show.stdout).toMatch(/termination wait +5 min/);
  });
});
