import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";
import { groupId } from "../../functions/domain/groups/id.js";
import { parseInstallOutput } from "../../functions/domain/server-install/index.js";
import { ssmWorldOf } from "../../local/account/ssm/index.js";
import { buildBundle } from "../../local/simulate/release/bundle-dir.js";
import { openSimWorld, type SimWorld } from "../../local/simulate/world.js";

/**
 * Server (EC2/on-premises) group deployments end to end on the local engine: the real deploy-server.asl.json (and
 * its batch executions) started with `{application, deploymentGroup, revision}`, the group orders-fleet/fleet read
 * from config/groups.local.yml (HalfAtATime; instances by an EC2 tag, an on-premises KEY_ONLY tag and an Auto Scaling
 * group name), the archive read from s3rver and pinned to the ETag Start read.
 */
const WORLD = JSON.parse(readFileSync(fileURLToPath(new URL("../../events/groups/server-world.json", import.meta.url)), "utf8"));
const BUNDLE = (name: string) => fileURLToPath(new URL(`../../events/server/bundles/${name}`, import.meta.url));
const GROUP = ["i-0a000000000000001", "i-0a000000000000002", "mi-0a000000000000003"];

async function withWorld(fn: (world: SimWorld) => Promise<void>): Promise<void> {
  const world = await openSimWorld(WORLD.account, { s3Buckets: ["orders-bundles"] });
  try {
    await world.within(() => fn(world));
  } finally {
    await world.close();
  }
}

async function upload(world: SimWorld, bundle: string, key: string): Promise<string> {
  const out = await world.s3?.client.send(new PutObjectCommand({ Bucket: "orders-bundles", Key: key, Body: await buildBundle(BUNDLE(bundle), "zip") }));
  return String(out?.ETag).replace(/"/g, "");
}


describe("a deployment of a Server group's revision", () => {
  it("finds the group's instances by every filter, installs batch by batch with HalfAtATime, and a second revision stops the first", async () => {
    await withWorld(async (world) => {
      const ssm = ssmWorldOf(world.account);
      const eTag = await upload(world, "orders-v1", "orders/v1.zip");
      const first = await (await world.startDeployment({ application: "orders-fleet", deploymentGroup: "fleet", deploymentId: "d-SRVGROUP1", revision: { s3: { bucket: "orders-bundles", key: "orders/v1.zip", bundleType: "zip" } } }, "deploy-server")).finished;
      expect([first.status, first.error]).toEqual(["SUCCEEDED", undefined]);
      // HalfAtATime on 3 instances: at least 2 healthy, so one at a time, in id order; the billing instance is not the group's.
      const commands = [...ssm.commands.values()];
      expect(commands.map((c) => c.instanceIds)).toEqual(GROUP.map((id) => [id]));
      // Batch by batch: each instance's install starts only after the previous batch's ended.
      const runs = commands.map((c) => ssm.invocationsOf(c.commandId)[0]);
      for (let n = 1; n < runs.length; n++) expect(runs[n]?.startMs).toBeGreaterThanOrEqual(runs[n - 1]?.endMs ?? Number.POSITIVE_INFINITY);
      expect(GROUP.map((id) => ssm.revisionOf(id))).toEqual(["d-SRVGROUP1", "d-SRVGROUP1", "d-SRVGROUP1"]);
      expect(ssm.revisionOf("i-0a000000000000004")).toBeUndefined();
      // The script pins the download to the ETag Start read (the request gave none) and installs under the group's id.
      const script = String([...ssm.commands.values()][0]?.script ?? "");
      expect(script).toContain(eTag);
      expect(script).toContain(groupId("orders-fleet", "fleet"));
      const events = (id: string) => [...ssm.commands.values()].flatMap((c) => ssm.invocationsOf(c.commandId).filter((i) => i.instanceId === id)).map((i) => parseInstallOutput(i.output).map((e) => `${e.event}:${e.status}`));
      expect(events("mi-0a000000000000003")[0]?.slice(0, 2)).toEqual(["ApplicationStop:Skipped", "DownloadBundle:Succeeded"]);

      await upload(world, "orders-v2", "orders/v2.zip");
      const second = await (await world.startDeployment({ application: "orders-fleet", deploymentGroup: "fleet", deploymentId: "d-SRVGROUP2", revision: { s3: { bucket: "orders-bundles", key: "orders/v2.zip", bundleType: "zip" } } }, "deploy-server")).finished;
      expect([second.status, second.error]).toEqual(["SUCCEEDED", undefined]);
      expect(GROUP.map((id) => ssm.revisionOf(id))).toEqual(["d-SRVGROUP2", "d-SRVGROUP2", "d-SRVGROUP2"]);
      // The second deployment runs the first revision's ApplicationStop on each instance.
      expect(events("i-0a000000000000002")[1]?.[0]).toBe("ApplicationStop:Succeeded");
    });
  });

  it("refuses before any command: an appspec revision, a Lambda group on deploy-server, a Server group on deploy-lambda", async () => {
    await withWorld(async (world) => {
      const ssm = ssmWorldOf(world.account);
      const inline = await (await world.startDeployment({ application: "orders-fleet", deploymentGroup: "fleet", deploymentId: "d-SRVGROUP3", revision: { appSpecContent: "version: 0.0" } }, "deploy-server")).finished;
      expect([inline.status, inline.error]).toEqual(["FAILED", "Deploy.InvalidRevision"]);
      expect(inline.cause).toMatch(/revision.appSpecContent: is for Lambda and ECS groups; a Server revision is an archive in S3/);
      const lambda = await (await world.startDeployment({ application: "shop", deploymentGroup: "orders-live", deploymentId: "d-SRVGROUP4", revision: { targetVersion: "4" } }, "deploy-server")).finished;
      expect(lambda.cause).toMatch(/shop\/orders-live is a Lambda group: start the deploy-lambda state machine, not deploy-server/);
      const server = await (await world.startDeployment({ application: "orders-fleet", deploymentGroup: "fleet", deploymentId: "d-SRVGROUP5", revision: { s3: { bucket: "orders-bundles", key: "orders/v1.zip", bundleType: "zip" } } })).finished;
      expect(server.cause).toMatch(/orders-fleet\/fleet is a Server group: start the deploy-server state machine, not deploy-lambda/);
      expect(ssm.commands.size).toBe(0);
    });
  });

  it("stepdeploy deploy --application orders-fleet --deployment-group fleet --simulate picks deploy-server and prints each instance", async () => {
    const r = await cli("deploy", "--application", "orders-fleet", "--deployment-group", "fleet", "--s3-location", "bucket=orders-bundles,key=orders/v1.zip,bundleType=zip", "--simulate", "events/groups/server-world.json", "--json");
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect([report.machine, report.execution.status]).toEqual(["deploy-server", "SUCCEEDED"]);
    expect(report.commands).toEqual(GROUP.map((id) => [id]));
    const deploymentId = report.execution.output?.deployment?.deploymentId ?? report.instances[0].revision;
    expect(report.instances.map((i: { instanceId: string; revision: string | null }) => [i.instanceId, i.revision])).toEqual([
      ["i-0a000000000000001", deploymentId],
      ["i-0a000000000000002", deploymentId],
      ["i-0a000000000000004", null],
      ["mi-0a000000000000003", deploymentId],
    ]);
    const show = await cli("groups", "show", "orders-fleet/fleet", "--stage", "local");
    expect(show.stdout).toMatch(/target +tag app=orders or tag site or tag aws:autoscaling:groupName=orders-asg/);
  });

  it("deploy --target-instances: a BLUE_GREEN group's DISCOVER_EXISTING deployment installs on the named instances and moves the target group to them; an in-place group refuses it", async () => {
    const green = JSON.stringify({ tagFilters: [{ Key: "fleet", Value: "green", Type: "KEY_AND_VALUE" }] });
    const args = ["deploy", "--application", "scaling-web", "--deployment-group", "web-bg", "--s3-location", "bucket=web-bundles,key=web/v1.zip,bundleType=zip"];
    const r = await cli(...args, "--target-instances", green, "--simulate", "events/groups/server-blue-green-world.json", "--json");
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect([report.machine, report.execution.status]).toEqual(["deploy-server", "SUCCEEDED"]);
    // OneAtATime on the green pair, AllowTraffic on both, then BlockTraffic on the originals (then terminated: TERMINATE)
    const g = ["i-0c0000000000000c1", "i-0c0000000000000c2"];
    const b = ["i-0b0000000000000b1", "i-0b0000000000000b2"];
    expect(report.commands).toEqual([[g[0]], [g[1]], g, g, b, b]);
    const revisions = Object.fromEntries(report.instances.map((i: { instanceId: string; revision: string | null }) => [i.instanceId, i.revision]));
    expect([revisions["i-0b0000000000000b1"], revisions["i-0c0000000000000c1"] === null]).toEqual([null, false]);
    // without it, DISCOVER_EXISTING has no replacement fleet; with a bad one, the field is named; an in-place group refuses it
    const none = await cli(...args, "--simulate", "events/groups/server-blue-green-world.json", "--json");
    expect(JSON.parse(none.stdout).execution.cause).toContain("blueGreen.targetInstances");
    const bad = await cli(...args, "--target-instances", '{"tagFilters":[{"Value":"green"}]}', "--simulate", "events/groups/server-blue-green-world.json");
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining("targetInstances.tagFilters[0].Key")]);
    expect((await cli(...args, "--target-instances", "{fleet=green", "--simulate", "events/groups/server-blue-green-world.json")).stderr).toContain("--target-instances: not JSON");
    const inPlace = await cli("deploy", "--application", "orders-fleet", "--deployment-group", "fleet", "--s3-location", "bucket=orders-bundles,key=orders/v1.zip,bundleType=zip", "--target-instances", green, "--simulate", "events/groups/server-world.json", "--json");
    expect(JSON.parse(inPlace.stdout).execution.cause).toContain("targetInstances: is for a BLUE_GREEN Server group (CodeDeploy: InvalidTargetInstancesException)");
  });

  it("deploy a BLUE_GREEN group with a target group pair (targetGroupPairInfoList): the weighted reroute on its listener, in the steps of its trafficRoutingConfigName", async () => {
    const green = JSON.stringify({ tagFilters: [{ Key: "fleet", Value: "green", Type: "KEY_AND_VALUE" }] });
    const world = "events/groups/server-weighted-world.json";
    const r = await cli("deploy", "--application", "scaling-web", "--deployment-group", "web-weighted", "--s3-location", "bucket=web-bundles,key=web/v1.zip,bundleType=zip", "--target-instances", green, "--simulate", world, "--json");
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect([report.machine, report.execution.status]).toEqual(["deploy-server", "SUCCEEDED"]);
    // green joins at 0 (health-checked, no traffic), then CodeDeployDefault.ECSCanary10Percent5Minutes: 10%, 300 s later all
    const changes = report.routeChanges.map((c: { atSeconds: number; weights: Record<string, number> }) => [c.atSeconds, c.weights["web-w-green"]]);
    expect(changes.map(([, w]: [number, number]) => w)).toEqual([0, 10, 100]);
    expect(changes[2][0] - changes[1][0]).toBe(300);
    expect(report.routeChanges.every((c: { resource: string }) => c.resource === "web-w:80")).toBe(true);
    const g = ["i-0c0000000000000c1", "i-0c0000000000000c2"];
    const b = ["i-0b0000000000000b1", "i-0b0000000000000b2"];
    expect(report.commands).toEqual([[g[0]], [g[1]], g, g, b, b]);
  });
});
