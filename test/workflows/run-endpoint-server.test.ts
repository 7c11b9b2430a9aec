import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { SimAccount } from "../../local/account/index.js";
import { ssmWorldOf } from "../../local/account/ssm/index.js";
import { SimClock } from "../../local/clock.js";
import { startS3rver } from "../../local/emulators/s3rver.js";
import { runInput } from "../../local/run/run-input.js";
import { RunRefused } from "../../local/run/run-modes.js";
import { WallClock } from "../../local/runtime/wall-clock.js";
import { buildBundle } from "../../local/simulate/release/bundle-dir.js";
import { PROJECT_ROOT } from "../../local/simulate/run-scenario.js";
import { withEndpoint } from "../support/endpoint.js";

/**
 * `stepdeploy run --endpoint --real-time` with a deploy-server input: the workflow and its batch children run locally
 * and talk HTTP only to an endpoint holding the user's instances (SSM managed nodes, tagged; one untagged that must
 * be left alone) and to S3 (s3rver) holding the bundle. stepdeploy's table and bus are created by run.
 */
const node = (n: number, tags: Record<string, string>) => ({ id: `i-0c00000000000000${n}`, tags, behaviour: { eventSeconds: 1 } });
const userResources = (clock: SimClock) => SimAccount.fromSetup({ ssm: { instances: [node(1, { app: "orders" }), node(2, { app: "orders" }), node(3, { app: "billing" })] } }, { clock });
const input = (revision: Record<string, unknown>) => ({
  deploymentId: "d-ENDPOINT1",
  application: "orders",
  deploymentGroup: "prod",
  target: { tags: { app: "orders" } },
  revision,
  deploymentConfig: "CodeDeployDefault.OneAtATime",
  pollSeconds: 2,
});

describe("stepdeploy run --endpoint with a deploy-server input", () => {
  it("without --real-time it is refused before anything is created, saying why", async () => {
    const account = userResources(new SimClock());
    await withEndpoint(account, async (endpoint, db) => {
      const refused = await runInput(input({ bucket: "b", key: "k.zip", bundleType: "zip" }), { endpoint, dynamoDbEndpoint: db.endpoint, env: {} }).catch((e) => e);
      expect(refused).toBeInstanceOf(RunRefused);
      expect(refused.problems).toEqual([{ field: "target", reason: expect.stringContaining("add --real-time") }]);
      expect(account.callCounts()).toEqual({});
    });
  });

  it("--real-time: the tagged instances get the revision one at a time, in order, and it ends SUCCEEDED with each instance's revision recorded", { timeout: 240_000 }, async () => {
    const account = userResources(new WallClock());
    const s3 = await startS3rver(["user-bundles"]);
    const saved = { ...process.env };
    try {
      process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
      process.env.AWS_ACCESS_KEY_ID = "S3RVER";
      process.env.AWS_SECRET_ACCESS_KEY = "S3RVER";
      process.env.AWS_REGION = "us-east-1";
      const body = await buildBundle(join(PROJECT_ROOT, "events", "server", "bundles", "orders-v1"), "zip");
      const put = await s3.client.send(new PutObjectCommand({ Bucket: "user-bundles", Key: "orders-v1.zip", Body: body }));
      await withEndpoint(account, async (endpoint, db) => {
        const report = await runInput(input({ bucket: "user-bundles", key: "orders-v1.zip", eTag: put.ETag, bundleType: "zip" }), { endpoint, dynamoDbEndpoint: db.endpoint, realTime: true, env: {} });
        expect([report.status, report.error, report.cause]).toEqual(["SUCCEEDED", undefined, undefined]);
        expect(report.events.map((e) => e.detail.state)).toEqual(["START", "SUCCESS"]);
        expect(report.events[1]?.detail).toMatchObject({ instances: { total: 2, succeeded: 2, failed: 0 } });
        const ssm = ssmWorldOf(account);
        // The endpoint saw one SendCommand per batch, in order, to the tagged instances only.
        expect([...ssm.commands.values()].map((c) => c.instanceIds)).toEqual([["i-0c000000000000001"], ["i-0c000000000000002"]]);
        expect(Object.fromEntries([...ssm.instances.keys()].map((id) => [id, ssm.revisionOf(id) ?? null]))).toEqual({
          "i-0c000000000000001": "d-ENDPOINT1",
          "i-0c000000000000002": "d-ENDPOINT1",
          "i-0c000000000000003": null,
        });
      });
    } finally {
      for (const k of ["AWS_ENDPOINT_URL_S3", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"]) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      await s3.close();
    }
  });
});
