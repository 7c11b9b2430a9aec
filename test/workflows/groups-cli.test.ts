import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";

/**
 * The acceptance of issue 10 part 1 as a user types it: a Lambda group declared in config/groups.local.yml, a
 * deployment started with `stepdeploy deploy --application --deployment-group --s3-location` against the simulated
 * account (events/groups/world.json), watched to success; and the groups files checked offline.
 */

describe("stepdeploy groups and deploy --application", () => {
  it("deploys the group's S3 revision on the simulated account and reports it as CodeDeploy would", async () => {
    const r = await cli(
      "deploy",
      "--application-name",
      "shop",
      "--deployment-group-name",
      "orders-live",
      "--s3-location",
      "bucket=orders-revisions,key=orders/release-42.zip,bundleType=zip",
      "--simulate",
      "events/groups/world.json",
      "--json",
    );
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.execution.status).toBe("SUCCEEDED");
    expect(report.aliasChanges.map((c: { functionVersion: string; additionalVersionWeights: object }) => [c.functionVersion, c.additionalVersionWeights])).toEqual([
      ["3", { "4": 0.1 }],
      ["4", {}],
    ]);
    expect(report.notifications.map((n: { message: string }) => JSON.parse(n.message).status)).toEqual(["InProgress", "Succeeded"]);
  });

  it("refuses a bad --s3-location or a missing revision before anything starts, naming the field", async () => {
    const bad = await cli("deploy", "--application", "shop", "--deployment-group", "orders-live", "--s3-location", "bucket=b,path=k", "--simulate", "events/groups/world.json");
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining("'path=k' is not one of bucket=, key=, bundleType=, version=, eTag=")]);
    const none = await cli("deploy", "--application", "shop", "--deployment-group", "orders-live", "--simulate", "events/groups/world.json");
    expect([none.code, none.stderr]).toEqual([2, expect.stringContaining("revision: give exactly one of s3")]);
  });

  it.each(["config/groups.local.yml", "config/groups.default.yml"])("groups validate %s: the shipped file is valid", async (file) => {
    const r = await cli("groups", "validate", file, "--json");
    expect([r.code, JSON.parse(r.stdout).valid]).toEqual([0, true]);
  });

  it("groups validate checks a stage's release sections with the stage's release sources file, as one list", async () => {
    const ok = await cli("groups", "validate", "config/groups.local.yml", "--json");
    expect(JSON.parse(ok.stdout).releases).toEqual({ releasesFile: "config/releases.local.json", fromFile: 2, fromGroups: 2 });
    // Copies of the local stage: the orders-beta group's release claims thumbnailer:live (the file's ECR source owns
    // it), then a prefix inside the file's orders-api/.
    const dir = mkdtempSync(join(tmpdir(), "groups-"));
    try {
      writeFileSync(join(dir, "releases.x.json"), readFileSync("config/releases.local.json", "utf8"));
      writeFileSync(join(dir, "groups.x.yml"), readFileSync("config/groups.local.yml", "utf8").replace("target: { functionName: orders, alias: beta }", "target: { functionName: thumbnailer, alias: live }"));
      const owned = await cli("groups", "validate", join(dir, "groups.x.yml"));
      expect([owned.code, owned.stderr]).toEqual([1, expect.stringContaining("applications.shop.deploymentGroups.orders-beta.release: thumbnailer:live is already a target of releases.x.json sources[1]")]);
      writeFileSync(join(dir, "groups.x.yml"), readFileSync("config/groups.local.yml", "utf8").replace("prefix: orders-beta/", "prefix: orders-api/v2/"));
      const overlap = await cli("groups", "validate", join(dir, "groups.x.yml"));
      expect([overlap.code, overlap.stderr]).toEqual([1, expect.stringContaining("applications.shop.deploymentGroups.orders-beta.release.s3.prefix: overlaps releases.x.json sources[0]")]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("groups list and show read the stage's file; an invalid file exits 1 with every problem", async () => {
    const list = await cli("groups", "list", "--stage", "local", "--json");
    expect(JSON.parse(list.stdout).map((g: { deploymentGroup: string }) => g.deploymentGroup)).toEqual(["orders-live", "orders-beta", "web-prod", "fleet", "web", "web-bg"]);
    const show = await cli("groups", "show", "shop/orders-live", "--stage", "local");
    expect(show.stdout).toMatch(/trigger +orders-deployments -> arn:aws:sns:us-east-1:123456789012:orders-deployments/);
    const invalid = await cli("groups", "validate", "events/groups/deploy-orders-live.input.json", "--json");
    expect([invalid.code, JSON.parse(invalid.stdout).problems[0]]).toEqual([1, { field: "applications", reason: "is required" }]);
  });
});
