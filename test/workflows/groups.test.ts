import { PutObjectCommand } from "@aws-sdk/client-s3";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { groupId } from "../../functions/domain/groups/id.js";
import { snsWorldOf } from "../../local/account/sns/index.js";
import { buildBundle } from "../../local/simulate/release/bundle-dir.js";
import { openSimWorld, type SimWorld } from "../../local/simulate/world.js";

/**
 * Group deployments end to end on the local engine: the real deploy-lambda.asl.json started with
 * `{application, deploymentGroup, revision}` (what `stepdeploy deploy --application ... --s3-location ...` sends),
 * the group read from config/groups.local.yml (DEPLOYMENT_GROUPS of the local stage), the revision bundle read from
 * s3rver pinned to its ETag, the alias moved in the simulated account.
 */
const BUNDLES = (name: string) => fileURLToPath(new URL(`../../events/bundles/${name}`, import.meta.url));
const ACCOUNT = {
  functions: [{ name: "orders", versions: 4, aliases: { live: "3", beta: "3" } }],
  hooks: [
    { name: "CodeDeployHook_orders_preTraffic", results: [{ status: "Succeeded" }] },
    { name: "CodeDeployHook_orders_postTraffic", results: [{ status: "Succeeded" }] },
  ],
  alarms: [{ name: "orders-errors", state: "OK" }],
  topics: ["orders-deployments"],
};

async function withWorld(fn: (world: SimWorld) => Promise<void>): Promise<void> {
  const world = await openSimWorld(ACCOUNT, { s3Buckets: ["orders-revisions"] });
  try {
    await world.within(() => fn(world));
  } finally {
    await world.close();
  }
}

async function upload(world: SimWorld, bundle: string, key: string): Promise<string> {
  const out = await world.s3?.client.send(new PutObjectCommand({ Bucket: "orders-revisions", Key: key, Body: await buildBundle(BUNDLES(bundle), "zip") }));
  return String(out?.ETag).replace(/"/g, "");
}

describe("a deployment of a group's revision", () => {
  it("an S3 bundle deploys the appspec's versions with the group's canary, hooks and alarms, and says so in CodeDeploy's terms", async () => {
    await withWorld(async (world) => {
      const { account } = world;
      const eTag = await upload(world, "orders-api-no-code", "orders/release-42.zip");
      expect(account.getAlias("orders", "live")).toMatchObject({ functionVersion: "3" });
      const run = await world.startDeployment({
        application: "shop",
        deploymentGroup: "orders-live",
        deploymentId: "d-GROUP0001",
        revision: { s3: { bucket: "orders-revisions", key: "orders/release-42.zip", bundleType: "zip", eTag } },
      });
      const report = await run.finished;
      expect([report.status, report.error]).toEqual(["SUCCEEDED", undefined]);
      // The group's canary (10% for 5 minutes), then 100% on the appspec's TargetVersion.
      const weights = account.aliasHistory.filter((h) => h.alias === "live").map((h) => [h.atSeconds, h.functionVersion, h.additionalVersionWeights]);
      expect(weights[0]).toEqual([expect.any(Number), "3", { "4": 0.1 }]);
      expect(weights.at(-1)).toEqual([expect.any(Number), "4", {}]);
      expect((weights.at(-1)?.[0] as number) - (weights[0]?.[0] as number)).toBeGreaterThanOrEqual(300);
      expect(account.getAlias("orders", "beta")).toMatchObject({ functionVersion: "3" });
      // The appspec's BeforeAllowTraffic and the group's AfterAllowTraffic default both ran.
      expect(account.hookInvocations.map((h) => h.functionName)).toEqual(["CodeDeployHook_orders_preTraffic", "CodeDeployHook_orders_postTraffic"]);
      const events = account.events.filter((e) => e.source === "stepdeploy");
      expect(events.map((e) => e.detail.state)).toEqual(["START", "SUCCESS"]);
      for (const e of events) {
        expect(e.detail).toMatchObject({ application: "shop", deploymentGroup: "orders-live", deploymentId: "d-GROUP0001", instanceGroupId: groupId("shop", "orders-live"), region: "us-east-1" });
        expect(e.resources).toEqual([
          "arn:aws:lambda:us-east-1:123456789012:function:orders:live",
          "arn:aws:codedeploy:us-east-1:123456789012:application:shop",
          "arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:shop/orders-live",
        ]);
      }
      // The group's trigger got CodeDeploy's DeploymentStart and DeploymentSuccess notifications, in its message shape.
      await account.settled();
      const sent = snsWorldOf(account).published;
      expect(sent.map((m) => [m.topicArn, m.subject])).toEqual([
        ["arn:aws:sns:us-east-1:123456789012:orders-deployments", "INPROGRESS: stepdeploy d-GROUP0001 DeploymentStart shop/orders-live"],
        ["arn:aws:sns:us-east-1:123456789012:orders-deployments", "SUCCEEDED: stepdeploy d-GROUP0001 DeploymentSuccess shop/orders-live"],
      ]);
      const success = JSON.parse(sent[1]?.message ?? "{}");
      expect(success).toMatchObject({
        region: "us-east-1",
        accountId: "123456789012",
        eventTriggerName: "orders-deployments",
        applicationName: "shop",
        deploymentGroupName: "orders-live",
        deploymentId: "d-GROUP0001",
        status: "Succeeded",
        deploymentOverview: { Succeeded: "1", Failed: "0", InProgress: "0", Pending: "0", Skipped: "0" },
      });
      expect(Number(success.completeTime) - Number(success.createTime)).toBeGreaterThanOrEqual(300);
    });
  });

  it("a revision that names another alias than the group's is refused before anything changes", async () => {
    await withWorld(async (world) => {
      const { account } = world;
      const run = await world.startDeployment({
        application: "shop",
        deploymentGroup: "orders-beta",
        revision: { appSpecContent: { version: 0.0, Resources: [{ fn: { Type: "AWS::Lambda::Function", Properties: { Name: "orders", Alias: "live", CurrentVersion: "3", TargetVersion: "4" } } }] } },
      });
      const report = await run.finished;
      expect([report.status, report.error]).toEqual(["FAILED", "Deploy.InvalidRevision"]);
      expect(report.cause).toMatch(/Alias: is 'live'; group shop\/orders-beta deploys alias beta/);
      expect(account.calls.filter((c) => c.operation === "UpdateAlias")).toEqual([]);
      expect(account.events.filter((e) => e.source === "stepdeploy")).toEqual([]);
    });
  });

  it("an unknown group is named with the groups that exist; a target version revision deploys the group's custom config", async () => {
    await withWorld(async (world) => {
      const { account } = world;
      const missing = await (await world.startDeployment({ application: "shop", deploymentGroup: "orders-qa", deploymentId: "d-GROUP0002", revision: { targetVersion: "4" } })).finished;
      expect([missing.status, missing.error]).toEqual(["FAILED", "Deploy.DeploymentGroupNotFound"]);
      expect(missing.cause).toMatch(/deployment group 'orders-qa' does not exist in application 'shop' \(orders-live, orders-beta\)/);
      const beta = await (await world.startDeployment({ application: "shop", deploymentGroup: "orders-beta", deploymentId: "d-GROUP0003", revision: { targetVersion: "4", currentVersion: "3" } })).finished;
      expect([beta.status, beta.error]).toEqual(["SUCCEEDED", undefined]);
      // Canary25Percent2Minutes from the file's deploymentConfigs: 25% for two minutes, then all.
      const weights = account.aliasHistory.filter((h) => h.alias === "beta").map((h) => [h.atSeconds, h.additionalVersionWeights]);
      expect(weights.map((w) => w[1])).toEqual([{ "4": 0.25 }, {}]);
      expect((weights[1]?.[0] as number) - (weights[0]?.[0] as number)).toBe(120);
      expect(account.getAlias("orders", "live")).toMatchObject({ functionVersion: "3" });
    });
  });
});
