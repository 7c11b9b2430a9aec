import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAppSpec } from "../../../functions/domain/appspec/index.js";
import type { ValidationErrors } from "../../../functions/domain/errors.js";
import { type EcrReleaseSource, parseReleaseSources, planFromBundle, planFromImage, releaseFillsIn, type S3ReleaseSource, type TargetPolicy } from "../../../functions/domain/release/index.js";

const local = JSON.parse(readFileSync(new URL("../../../config/releases.local.json", import.meta.url), "utf8")).sources as unknown[];
const [s3Source, ecrSource] = parseReleaseSources(local) as [S3ReleaseSource, EcrReleaseSource];
const POLICY: TargetPolicy = { hookFunctionPattern: "CodeDeployHook_*", ownFunctionPrefix: "stepdeploy-", region: "us-east-1", accountId: "123456789012" };

const APPSPEC = (props: string, hooks = "Hooks:\n  - BeforeAllowTraffic: CodeDeployHook_pre\n") =>
  parseAppSpec(`version: 0.0\nResources:\n  - fn:\n      Type: AWS::Lambda::Function\n      Properties:\n${props}${hooks}`, { platform: "lambda", versionsOptional: true, allowPlaceholders: releaseFillsIn });
const props = (lines: Record<string, string>) => Object.entries(lines).map(([k, v]) => `        ${k}: ${v}\n`).join("");
const file = (path: string) => ({ path, type: "file" as const, size: 1 });

const refusal = (fn: () => unknown): { name: string; message: string } => {
  try {
    fn();
  } catch (e) {
    return { name: (e as ValidationErrors).name, message: (e as ValidationErrors).message };
  }
  throw new Error("expected a refusal");
};

describe("release plans from a bundle", () => {
  it.each([
    ["code package, placeholder target", { Name: "orders", Alias: "live", CurrentVersion: "3", TargetVersion: "<TARGET_VERSION>" }, ["function.zip"], { publish: { kind: "zip", codePackage: "function.zip" }, targetVersion: null, currentVersion: "3" }, /publishing function.zip/],
    ["code package, no versions at all", { Name: "orders", Alias: "live" }, ["function.zip"], { targetVersion: null, currentVersion: null }, /CurrentVersion absent: the alias's current version is used/],
    ["code package beats a numeric target", { Name: "orders", Alias: "live", CurrentVersion: "3", TargetVersion: "4" }, ["function.zip"], { targetVersion: null }, /appspec.s TargetVersion 4 is replaced by the version published from function.zip/],
    ["no code package, numeric target", { Name: "orders", Alias: "live", CurrentVersion: "3", TargetVersion: "4" }, ["README.md"], { publish: null, targetVersion: "4", currentVersion: "3" }, undefined],
  ])("%s", (_what, p, files, expected, note) => {
    const plan = planFromBundle(s3Source, APPSPEC(props(p)), files.map(file), POLICY);
    expect(plan).toMatchObject({ functionName: "orders", alias: "live", hooks: { beforeAllowTraffic: "CodeDeployHook_pre", afterAllowTraffic: null }, ...expected });
    expect(plan.fields).toMatchObject({ alias: "appspec Resources[0].fn.Properties.Alias", hooks: { beforeAllowTraffic: "appspec Hooks[0].BeforeAllowTraffic" } });
    if (note) expect(plan.notes.join("\n")).toMatch(note);
  });

  // The attack of issue 8 item 1: an upload under orders-api/ whose appspec names another function.
  it.each([
    ["another function", { Name: "billing", Alias: "live" }, "Release.TargetNotAllowed", /Name: names billing:live, which release source 'orders-api' may not deploy \(it may deploy orders:live/],
    ["another alias of its function", { Name: "orders", Alias: "canary" }, "Release.TargetNotAllowed", /names orders:canary/],
    ["its function in another letter case", { Name: "Orders", Alias: "live" }, "Release.TargetNotAllowed", /names Orders:live.*case-sensitive/],
    ["its function by ARN", { Name: "arn:aws:lambda:us-east-1:123456789012:function:orders", Alias: "live" }, "Release.TargetNotAllowed", /names arn:aws:lambda:us-east-1:123456789012:function:orders:live/],
    ["stepdeploy's own function", { Name: "stepdeploy-prod-prepare", Alias: "live" }, "Release.TargetNotAllowed", /one of stepdeploy's own functions \(stepdeploy-\*\)/],
  ])("refuses an appspec naming %s, before reading anything else", (_what, p, name, message) => {
    const r = refusal(() => planFromBundle(s3Source, APPSPEC(props({ ...p, TargetVersion: "<T>" })), [file("function.zip")], POLICY));
    expect(r.name).toBe(name);
    expect(r.message).toMatch(message);
  });

  it.each([
    ["outside hookFunctionPattern", "  - AfterAllowTraffic: myPostHook\n", /Hooks\[0\]\.AfterAllowTraffic: myPostHook does not match hookFunctionPattern 'CodeDeployHook_\*'/],
    ["the target itself", "  - BeforeAllowTraffic: orders\n", /is the target function orders itself/],
    ["the target itself, qualified", "  - BeforeAllowTraffic: orders:live\n", /is the target function orders itself/],
    ["stepdeploy's own", "  - BeforeAllowTraffic: stepdeploy-prod-runHook\n", /stepdeploy-prod-runHook is one of stepdeploy's own functions/],
    ["in another account", "  - BeforeAllowTraffic: arn:aws:lambda:us-east-1:999999999999:function:CodeDeployHook_x\n", /is in account 999999999999/],
    ["in another region", "  - BeforeAllowTraffic: arn:aws:lambda:eu-west-1:123456789012:function:CodeDeployHook_x\n", /is in region eu-west-1/],
  ])("refuses a hook %s (Release.HookNotAllowed), naming the appspec field", (_what, hooks, message) => {
    const r = refusal(() => planFromBundle(s3Source, APPSPEC(props({ Name: "orders", Alias: "live", TargetVersion: "<T>" }), `Hooks:\n${hooks}`), [file("function.zip")], POLICY));
    expect(r.name).toBe("Release.HookNotAllowed");
    expect(r.message).toMatch(message);
  });

  it("accepts hooks that match the pattern by name, partial ARN or ARN of this account and region", () => {
    const hooks = "Hooks:\n  - BeforeAllowTraffic: 123456789012:function:CodeDeployHook_a\n  - AfterAllowTraffic: arn:aws:lambda:us-east-1:123456789012:function:CodeDeployHook_b:live\n";
    const plan = planFromBundle(s3Source, APPSPEC(props({ Name: "orders", Alias: "live", TargetVersion: "<T>" }), hooks), [file("function.zip")], POLICY);
    expect(plan.hooks).toEqual({ beforeAllowTraffic: "123456789012:function:CodeDeployHook_a", afterAllowTraffic: "arn:aws:lambda:us-east-1:123456789012:function:CodeDeployHook_b:live" });
  });

  it("uses the source's hooks (a group's defaults) where the appspec names none, and checks them like the appspec's", () => {
    const withDefaults = { ...s3Source, hooks: { beforeAllowTraffic: "CodeDeployHook_group_pre", afterAllowTraffic: "CodeDeployHook_group_post" } };
    const plan = planFromBundle(withDefaults, APPSPEC(props({ Name: "orders", Alias: "live", TargetVersion: "<T>" })), [file("function.zip")], POLICY);
    // The appspec's BeforeAllowTraffic replaces the default; AfterAllowTraffic keeps it.
    expect(plan.hooks).toEqual({ beforeAllowTraffic: "CodeDeployHook_pre", afterAllowTraffic: "CodeDeployHook_group_post" });
    expect(plan.fields.hooks).toEqual({ beforeAllowTraffic: "appspec Hooks[0].BeforeAllowTraffic", afterAllowTraffic: "orders-api.hooks.afterAllowTraffic" });
    const bad = { ...s3Source, hooks: { beforeAllowTraffic: null, afterAllowTraffic: "myPostHook" } };
    const r = refusal(() => planFromBundle(bad, APPSPEC(props({ Name: "orders", Alias: "live", TargetVersion: "<T>" })), [file("function.zip")], POLICY));
    expect(r.name).toBe("Release.HookNotAllowed");
    expect(r.message).toMatch(/orders-api\.hooks\.afterAllowTraffic: myPostHook does not match hookFunctionPattern/);
  });

  it("refuses a bundle with nothing to deploy, naming the field", () => {
    const r = refusal(() => planFromBundle(s3Source, APPSPEC(props({ Name: "orders", Alias: "live", TargetVersion: "<T>" })), [], POLICY));
    expect(r.name).toBe("Release.NothingToPublish");
    expect(r.message).toMatch(/TargetVersion: is the placeholder <T> and the bundle has no function.zip to publish/);
  });

  it("refuses another platform's appspec and an invalid one with its errors and lines", () => {
    const server = parseAppSpec("version: 0.0\nos: linux\nfiles:\n  - source: /\n    destination: /srv\n");
    expect(() => planFromBundle(s3Source, server, [], POLICY)).toThrow(/is a server AppSpec/);
    const bad = APPSPEC(props({ Name: "orders", Alias: "live", TargetVersion: "$LATEST" }));
    expect(() => planFromBundle(s3Source, bad, [], POLICY)).toThrow(/TargetVersion.*line 8.*\$LATEST cannot be deployed/);
  });
});

describe("release plans from an image push", () => {
  const digest = `sha256:${"9f".repeat(32)}`;

  it("updates by digest, with the digest's hex as the expected CodeSha256", () => {
    const plan = planFromImage(ecrSource, { kind: "ecr", repository: "media/thumbnailer", digest, tag: "release", region: "eu-west-1", account: "210987654321" }, POLICY);
    expect(plan.publish).toEqual({ kind: "image", imageUri: `210987654321.dkr.ecr.eu-west-1.amazonaws.com/media/thumbnailer@${digest}`, codeSha256: "9f".repeat(32) });
    expect(plan).toMatchObject({ functionName: "thumbnailer", alias: "live", hooks: { beforeAllowTraffic: "CodeDeployHook_thumbnailer_preTraffic" } });
  });

  it("refuses a configured hook the stack may not invoke, naming the source's field", () => {
    const source = { ...ecrSource, hooks: { beforeAllowTraffic: null, afterAllowTraffic: "thumbnailer-smoke" } };
    const r = refusal(() => planFromImage(source, { kind: "ecr", repository: "media/thumbnailer", digest }, POLICY));
    expect(r).toEqual({ name: "Release.HookNotAllowed", message: expect.stringMatching(/^thumbnailer\.hooks\.afterAllowTraffic: thumbnailer-smoke does not match hookFunctionPattern/) });
  });
});
