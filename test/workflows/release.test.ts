import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseTriggerEvent } from "../../functions/domain/release/index.js";
import { handler as dispatch } from "../../functions/handlers/dispatchRelease.js";
import { loadReleaseScenario } from "../../local/simulate/release/scenario.js";
import { simulateRelease } from "../../local/simulate/release/run-release.js";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { buildBundle } from "../../local/simulate/release/bundle-dir.js";
import { openSimWorld } from "../../local/simulate/world.js";

/**
 * Releases end to end on the local engine: the simulated S3 upload (s3rver) or ECR push, the
 * account's event through the EventBridge rules of serverless.yml, dispatchRelease, the real
 * release.asl.json, UpdateFunctionCode/PublishVersion against the simulated Lambda, and the nested
 * deploy-lambda execution (startExecution.sync:2).
 */
const DIR = fileURLToPath(new URL("../../events/releases/", import.meta.url));
// world*.json are the accounts the scenarios start from.
const scenarios = readdirSync(DIR).filter((f) => f.endsWith(".json") && !f.startsWith("world"));

describe("release scenarios (events/releases)", () => {
  it.each(scenarios)("%s meets its expectation", async (file) => {
    const report = await simulateRelease(loadReleaseScenario(`${DIR}${file}`));
    expect(report.expectationFailures).toEqual([]);
  });

  it("an S3 upload with a code package publishes exactly that code and finishes a canary", async () => {
    const lines: string[] = [];
    const r = await simulateRelease(loadReleaseScenario(`${DIR}s3-canary.json`), { onLine: (l) => lines.push(l) });
    expect(lines[0]).toMatch(/^uploaded s3:\/\/orders-releases\/orders-api\/release-42.zip \(\d+ bytes, etag [0-9a-f]{32}\)/);
    const release = r.releases[0];
    const out = release?.output as { outcome: string; deployment: Record<string, unknown>; notes: string[]; deploymentExecutionArn: string };
    expect(out.outcome).toBe("DEPLOYED");
    expect(out.deployment).toMatchObject({ functionName: "orders", alias: "live", currentVersion: "3", targetVersion: "5", deploymentConfig: "CodeDeployDefault.LambdaCanary10Percent5Minutes", alarms: ["orders-errors"] });
    expect(out.notes.join()).toMatch(/TargetVersion <TARGET_VERSION> \(a placeholder\): publishing function.zip/);
    expect(out.deploymentExecutionArn).toMatch(/:execution:stepdeploy-local-deploy-lambda:d-[A-Z0-9]{9}$/);
    expect(r.deployments).toEqual([{ name: out.deploymentExecutionArn.split(":").at(-1), status: "SUCCEEDED", error: undefined }]);
    // The canary's 5-minute bake ran on the simulated clock: the whole release took 5 minutes and a few seconds.
    expect(r.stats.simulatedSeconds).toBeGreaterThanOrEqual(300);
    expect(r.stats.simulatedSeconds).toBeLessThan(320);
  });

  it("an upload under a deployment group's release prefix deploys to the group's target with the group's settings", async () => {
    const r = await simulateRelease(loadReleaseScenario(`${DIR}s3-group-release.json`));
    const out = r.releases[0]?.output as { outcome: string; deployment: Record<string, unknown> };
    expect(r.dispatch).toEqual([expect.stringMatching(/orders-beta\/release-7.zip.*: a release of source orders-beta$/)]);
    expect(out.outcome).toBe("DEPLOYED");
    // config/groups.local.yml, group shop/orders-beta: its custom config, no alarms, its hooks (none), its names.
    expect(out.deployment).toMatchObject({
      application: "shop",
      deploymentGroup: "orders-beta",
      functionName: "orders",
      alias: "beta",
      currentVersion: "4",
      targetVersion: "5",
      deploymentConfig: { trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedCanary: { canaryPercentage: 25, canaryInterval: 2 } } },
      alarms: [],
      hooks: { beforeAllowTraffic: null, afterAllowTraffic: null },
    });
    expect(r.finalAlias).toMatchObject({ functionName: "orders", alias: "beta", functionVersion: "5", additionalVersionWeights: {} });
    // 25% for 2 minutes, then 100%: the group's config, not the release default (all at once).
    expect(r.stats.simulatedSeconds).toBeGreaterThanOrEqual(120);
    expect(r.stats.simulatedSeconds).toBeLessThan(135);
  });

  it("an ECR push to an ECS source registers one revision pinned by digest and deploys it blue/green with the source's settings", async () => {
    const r = await simulateRelease(loadReleaseScenario(`${DIR}ecr-push-ecs.json`));
    const out = r.releases[0]?.output as { outcome: string; deployment: Record<string, unknown>; notes: string[]; deploymentExecutionArn: string };
    expect(out.outcome).toBe("DEPLOYED");
    expect(out.deployment).toMatchObject({ application: "web-app", deploymentGroup: "web-prod", deploymentConfig: "CodeDeployDefault.ECSCanary10Percent5Minutes", revision: { taskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3" } });
    expect(out.notes.join("\n")).toMatch(/web of arn:aws:ecs:us-east-1:123456789012:task-definition\/web:1 pinned by digest\nregistered arn:aws:ecs:us-east-1:123456789012:task-definition\/web:3$/);
    expect(out.deploymentExecutionArn).toMatch(/:execution:stepdeploy-local-deploy-ecs:d-[A-Z0-9]{9}$/);
    expect(r.deployments.map((d) => d.status)).toEqual(["SUCCEEDED"]);
    // Production and test traffic on the replacement, which is the service's only task set: the pinned revision.
    expect(r.finalRoutes).toEqual({ "web:80": { "web-blue": 0, "web-green": 100 }, "web:8080": { "web-blue": 0, "web-green": 100 } });
    expect(r.taskSets).toEqual([{ status: "PRIMARY", taskDefinition: "web:3" }]);
    expect(r.updatedFunctions).toEqual([]);
    // 10% for 5 minutes, 100%, then the 5-minute termination wait; the hooks and the task starts take the rest.
    expect(r.stats.simulatedSeconds).toBeGreaterThanOrEqual(600);
  });

  // Issue 8 item 1, as measured before this check existed: this upload published billing v3 and moved
  // billing:live to it. Now the plan refuses it; the world is asserted after each step.
  it("an upload whose appspec names a function the source does not own changes nothing and says why on the bus", async () => {
    const { s3: _bucket, ecr: _repository, ...account } = JSON.parse(readFileSync(`${DIR}world.json`, "utf8"));
    const world = await openSimWorld(account, { s3Buckets: ["orders-releases"] });
    try {
      await world.within(async () => {
        const { account } = world;
        const body = await buildBundle(fileURLToPath(new URL("../../events/bundles/orders-api-targets-billing", import.meta.url)), "zip");
        const put = await world.s3?.client.send(new PutObjectCommand({ Bucket: "orders-releases", Key: "orders-api/r.zip", Body: body }));
        const billing = () => ({ alias: account.getAlias("billing", "live"), code: account.lambda.get("billing").latest.code.sha256 });
        const before = billing();
        account.eventbridge.emit({ source: "aws.s3", detailType: "Object Created", detail: { bucket: { name: "orders-releases" }, object: { key: "orders-api/r.zip", etag: String(put?.ETag).replace(/"/g, ""), sequencer: "01" } }, resources: [] });
        await account.settled();
        const [release] = account.executions;
        const report = await world.wired.finished(release?.executionArn ?? "");
        expect([report.status, report.error]).toEqual(["FAILED", "Release.TargetNotAllowed"]);
        expect(report.cause).toMatch(/names billing:live, which release source 'orders-api' may not deploy \(it may deploy orders:live/);
        expect(account.calls.filter((c) => ["UpdateFunctionCode", "PublishVersion", "UpdateAlias", "GetAlias"].includes(c.operation))).toEqual([]);
        expect(billing()).toEqual(before);
        expect(account.executions.filter((e) => e.stateMachineName.endsWith("-deploy-lambda"))).toEqual([]);
        expect(account.events.map((e) => [e.detailType, e.detail])).toEqual([
          [
            "StepDeploy Release State-change Notification",
            expect.objectContaining({ state: "REFUSED", releaseId: release?.name, source: "orders-api", error: "Release.TargetNotAllowed", cause: expect.stringContaining("billing:live") }),
          ],
        ]);
      });
    } finally {
      await world.close();
    }
  });

  it("a duplicate delivery starts nothing new; a second upload of the same key is a new release", async () => {
    const world = await openSimWorld({ functions: [{ name: "orders", versions: 4, aliases: { live: "3" } }] });
    try {
      await world.within(async () => {
        const event = { source: "aws.s3", "detail-type": "Object Created", detail: { bucket: { name: "orders-releases" }, object: { key: "orders-api/r.zip", etag: "e1", sequencer: "01" } } };
        const first = await dispatch(event);
        expect(first.started).toHaveLength(1);
        expect(first.duplicates).toEqual([]);
        const again = await dispatch(event);
        expect(again.started).toEqual([]);
        expect(again.duplicates.map((d) => d.executionArn)).toEqual(first.started.map((s) => s.executionArn));
        const releases = () => world.account.executions.filter((e) => e.stateMachineName.endsWith("-release"));
        expect(releases()).toHaveLength(1);
        const next = await dispatch({ ...event, detail: { ...event.detail, object: { ...event.detail.object, etag: "e2", sequencer: "02" } } });
        expect(next.started).toHaveLength(1);
        expect(releases()).toHaveLength(2);
        // Both fail (the objects are not in S3), and the world is told why; nothing was deployed.
        for (const e of releases()) expect((await world.wired.finished(e.executionArn)).error).toBe("Deploy.ResourceNotFound");
        expect(world.account.getAlias("orders", "live").functionVersion).toBe("3");
      });
    } finally {
      await world.close();
    }
  });

  it("events that match no source are ignored and logged, never failed", async () => {
    const world = await openSimWorld({});
    try {
      await world.within(async () => {
        const failedPush = await import("../../events/triggers/ecr-push-failure.json", { with: { type: "json" } });
        expect(parseTriggerEvent(failedPush.default).triggers).toEqual([]);
        const r = await dispatch(failedPush.default);
        expect(r).toEqual({ started: [], duplicates: [], ignored: [expect.stringMatching(/ended FAILURE/)] });
        const other = await dispatch({ source: "aws.s3", "detail-type": "Object Created", detail: { bucket: { name: "someone-elses" }, object: { key: "x.zip" } } });
        expect(other.ignored).toEqual(["no release source for s3://someone-elses/x.zip"]);
        expect(world.account.executions).toHaveLength(0);
      });
    } finally {
      await world.close();
    }
  });

  it("a bad release configuration fails the dispatcher loudly, naming the field", async () => {
    const saved = process.env.RELEASE_SOURCES;
    process.env.RELEASE_SOURCES = JSON.stringify([{ name: "x", application: "a", deploymentGroup: "g", s3: { bucket: "B" } }]);
    try {
      await expect(dispatch({ source: "aws.s3" })).rejects.toMatchObject({ name: "Release.InvalidConfiguration", message: expect.stringContaining("[0].s3.bucket") });
    } finally {
      process.env.RELEASE_SOURCES = saved;
    }
  });
});

describe("stepdeploy simulate with releases", () => {
  it("runs a bare trigger event against the default release world and exits 0 when the release succeeds", async () => {
    const { memoryIO } = await import("../../cli/io.js");
    const { main } = await import("../../cli/main.js");
    const io = memoryIO();
    const code = await main(["simulate", fileURLToPath(new URL("../../events/triggers/ecr-push-success.json", import.meta.url))], io);
    const text = io.stdout;
    expect(code).toBe(0);
    expect(text).toMatch(/docker push 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/media\/thumbnailer:release/);
    expect(text).toMatch(/release {3}thumbnailer-[0-9a-f]{40}: SUCCEEDED \(DEPLOYED\)/);
    expect(text).toMatch(/alias {5}thumbnailer:live FunctionVersion 2/);
  });

  it("--json reports a failed push as nothing started, exit 1", async () => {
    const { memoryIO } = await import("../../cli/io.js");
    const { main } = await import("../../cli/main.js");
    const io = memoryIO();
    const code = await main(["simulate", "--json", fileURLToPath(new URL("../../events/triggers/ecr-push-failure.json", import.meta.url))], io);
    expect(code).toBe(1);
    const report = JSON.parse(io.stdout);
    expect(report).toMatchObject({ releases: [], deployments: [], publishedVersions: [] });
  });
});

describe("npm start (stepdeploy demo)", () => {
  it("runs the alarm rollback, the linear success, the twice-delivered S3 release and the demo pipeline, each meeting its expectation", async () => {
    const { memoryIO } = await import("../../cli/io.js");
    const { main } = await import("../../cli/main.js");
    const io = memoryIO();
    expect(await main(["demo"], io)).toBe(0);
    expect(io.stdout.match(/expect {4}met/g)).toHaveLength(3);
    expect(io.stdout).toMatch(/== alarm-mid-bake/);
    expect(io.stdout).toMatch(/delivery 2: 1 execution\(s\) in the account/);
    expect(io.stdout).toMatch(/published v5/);
    // The pipeline: the real buildspec ran and exported its version, the approval came from the timeline, the canary deployed.
    expect(io.stdout).toMatch(/== pipeline demo \(pipelines\/demo\.yml\)/);
    expect(io.stdout).toMatch(/build demo-app-build:\S+ SUCCEEDED, \d+ ms of commands, exported APP_VERSION=1\.0\.\d+/);
    expect(io.stdout).toMatch(/60 s {2}-- approve Approve\.Release/);
    expect(io.stdout).toMatch(/360 s {2}#1 pipeline SUCCEEDED/);
    expect(io.stdout).toMatch(/expectations: all held/);
  });
});
