import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { parseDeployLambdaInput } from "../../../functions/domain/deployment/input.js";
import { parseAppSpec } from "../../../functions/domain/appspec/index.js";
import type { ValidationErrors } from "../../../functions/domain/errors.js";
import { bundleTypeOfKey, deploymentInputOf, matchSource, parseReleaseSources, planFromBundle, planFromImage, type S3ReleaseSource, type EcrReleaseSource } from "../../../functions/domain/release/index.js";

const releasesConfig = createRequire(import.meta.url)("../../../config/releases.cjs") as { forStage(stage: string): Record<string, unknown>; NO_SOURCE: string };
const local = JSON.parse(readFileSync(new URL("../../../config/releases.local.json", import.meta.url), "utf8")).sources as unknown[];

const problemsOf = (raw: unknown) => {
  try {
    parseReleaseSources(raw);
    return [];
  } catch (e) {
    expect((e as Error).name).toBe("Release.InvalidConfiguration");
    return (e as ValidationErrors).problems.map((p) => `${p.field}: ${p.reason}`);
  }
};

describe("release sources", () => {
  it("parses every stage's configuration in config/", () => {
    for (const f of readdirSync(new URL("../../../config/", import.meta.url)).filter((n) => /^releases\..+\.json$/.test(n))) {
      const doc = JSON.parse(readFileSync(new URL(`../../../config/${f}`, import.meta.url), "utf8"));
      expect(() => parseReleaseSources(doc.sources), f).not.toThrow();
    }
    const [s3, ecr] = parseReleaseSources(local);
    expect(s3).toMatchObject({ name: "orders-api", platform: "lambda", codePackage: "function.zip", s3: { bucket: "orders-releases", prefix: "orders-api/" } });
    expect(ecr).toMatchObject({ ecr: { repository: "media/thumbnailer", tag: "release" }, hooks: { beforeAllowTraffic: "CodeDeployHook_thumbnailer_preTraffic", afterAllowTraffic: null } });
  });

  it.each([
    [[{ name: "a b", application: "x", deploymentGroup: "g", s3: { bucket: "b1b" } }], "[0].name: 'a b' must be 1-32"],
    [[{ name: "a", deploymentGroup: "g", s3: { bucket: "b1b" } }], "[0].application: is required"],
    [[{ name: "a", application: "x", deploymentGroup: "g" }], "[0]: give exactly one of s3"],
    [[{ name: "a", application: "x", deploymentGroup: "g", s3: { bucket: "Bad_Bucket" } }], "[0].s3.bucket: 'Bad_Bucket' is not a valid S3 bucket name"],
    [[{ name: "a", application: "x", deploymentGroup: "g", s3: { bucket: "b1b" }, codePackage: "../x.zip" }], "[0].codePackage: must be a relative path to a .zip"],
    [[{ name: "a", application: "x", deploymentGroup: "g", ecr: { repository: "r" } }], "[0].function: is required for an ECR source"],
    [[{ name: "a", application: "x", deploymentGroup: "g", platform: "ecs", s3: { bucket: "b1b" } }], "[0].platform: ECS releases are not supported yet"],
    [[{ name: "a", application: "x", deploymentGroup: "g", s3: { bucket: "b1b" }, deployment: { deploymentConfg: "x" } }], "[0].deployment.deploymentConfg: is not a release deployment setting"],
    [
      [
        { name: "a", application: "x", deploymentGroup: "g", s3: { bucket: "b1b", prefix: "app/" } },
        { name: "b", application: "x", deploymentGroup: "g", s3: { bucket: "b1b", prefix: "app/v2/" } },
      ],
      "[1].s3.prefix: overlaps [0]",
    ],
    [
      [
        { name: "a", application: "x", deploymentGroup: "g", ecr: { repository: "r", tag: "" }, function: { name: "f", alias: "l" } },
        { name: "a", application: "x", deploymentGroup: "g", ecr: { repository: "r", tag: "v1" }, function: { name: "f", alias: "l" } },
      ],
      "[1].ecr.tag: overlaps [0]",
    ],
    ["{not json", "RELEASE_SOURCES: not JSON"],
  ])("rejects %j naming the field", (raw, problem) => {
    expect(problemsOf(raw).join("\n")).toContain(problem);
  });

  it("matches S3 uploads by bucket and prefix, with a bundle extension; ECR pushes by repository and tag", () => {
    const sources = parseReleaseSources(local);
    const s3 = (key: string, bucket = "orders-releases") => matchSource(sources, { kind: "s3", form: "eventbridge", bucket, key });
    expect(s3("orders-api/r.tar.gz")).toMatchObject({ source: { name: "orders-api" }, bundleType: "tgz" });
    expect(s3("orders-api/r.txt")).toEqual({ ignored: expect.stringMatching(/is not a bundle/) });
    expect(s3("other/r.zip")).toEqual({ ignored: expect.stringMatching(/no release source for s3:\/\/orders-releases\/other\/r.zip/) });
    expect(s3("orders-api/r.zip", "elsewhere")).toHaveProperty("ignored");
    const ecr = (tag?: string) => matchSource(sources, { kind: "ecr", repository: "media/thumbnailer", digest: `sha256:${"0".repeat(64)}`, tag });
    expect(ecr("release")).toMatchObject({ source: { name: "thumbnailer" } });
    expect(ecr("latest")).toHaveProperty("ignored");
    expect(ecr(undefined)).toHaveProperty("ignored");
  });

  it.each([
    ["a.zip", "zip"],
    ["a.ZIP", "zip"],
    ["a.tar", "tar"],
    ["a.tgz", "tgz"],
    ["a.tar.gz", "tgz"],
    ["appspec.yml", "YAML"],
    ["appspec.yaml", "YAML"],
    ["appspec.json", "JSON"],
    ["a.gz", undefined],
  ])("bundle type of %s is %s", (key, type) => {
    expect(bundleTypeOfKey(key)).toBe(type);
  });
});

describe("config/releases.cjs (what serverless.yml derives from a stage's sources)", () => {
  it("narrows the rules and grants to the local stage's buckets, prefixes, repositories and tags", () => {
    const c = releasesConfig.forStage("local");
    expect(c.s3EventDetail).toEqual({ bucket: { name: ["orders-releases"] }, object: { key: [{ prefix: "orders-api/" }] } });
    expect(c.ecrEventDetail).toEqual({ "action-type": ["PUSH"], result: ["SUCCESS"], "repository-name": ["media/thumbnailer"], "image-tag": ["release"] });
    expect(c.bundleObjectArns).toEqual(["arn:aws:s3:::orders-releases/orders-api/*"]);
    expect(JSON.parse(String(c.sourcesJson))).toEqual(local);
  });

  it("matches nothing for a stage without sources (names no bucket or repository can have)", () => {
    const c = releasesConfig.forStage("some-stage-without-a-file");
    expect(c.file).toBe("releases.default.json");
    expect(c.s3EventDetail).toEqual({ bucket: { name: [releasesConfig.NO_SOURCE] } });
    expect((c.ecrEventDetail as Record<string, unknown>)["repository-name"]).toEqual([releasesConfig.NO_SOURCE]);
    expect(problemsOf([{ name: "a", application: "x", deploymentGroup: "g", s3: { bucket: releasesConfig.NO_SOURCE } }]).join()).toContain("not a valid S3 bucket name");
  });
});

const APPSPEC = (props: string, hooks = "Hooks:\n  - BeforeAllowTraffic: pre\n") =>
  parseAppSpec(`version: 0.0\nResources:\n  - fn:\n      Type: AWS::Lambda::Function\n      Properties:\n${props}${hooks}`, { platform: "lambda", versionsOptional: true });
const props = (lines: Record<string, string>) => Object.entries(lines).map(([k, v]) => `        ${k}: ${v}\n`).join("");
const file = (path: string) => ({ path, type: "file" as const, size: 1 });

describe("release plans", () => {
  const [s3Source, ecrSource] = parseReleaseSources(local) as [S3ReleaseSource, EcrReleaseSource];

  it.each([
    ["code package, placeholder target", { Name: "orders", Alias: "live", CurrentVersion: "3", TargetVersion: "<TARGET_VERSION>" }, ["function.zip"], { publish: { kind: "zip", codePackage: "function.zip" }, targetVersion: null, currentVersion: "3" }, /publishing function.zip/],
    ["code package, no versions at all", { Name: "orders", Alias: "live" }, ["function.zip"], { targetVersion: null, currentVersion: null }, /CurrentVersion absent: the alias's current version is used/],
    ["code package beats a numeric target", { Name: "orders", Alias: "live", CurrentVersion: "3", TargetVersion: "4" }, ["function.zip"], { targetVersion: null }, /appspec.s TargetVersion 4 is replaced by the version published from function.zip/],
    ["no code package, numeric target", { Name: "orders", Alias: "live", CurrentVersion: "3", TargetVersion: "4" }, ["README.md"], { publish: null, targetVersion: "4", currentVersion: "3" }, undefined],
  ])("%s", (_what, p, files, expected, note) => {
    const plan = planFromBundle(s3Source, APPSPEC(props(p)), files.map(file));
    expect(plan).toMatchObject({ functionName: "orders", alias: "live", hooks: { beforeAllowTraffic: "pre", afterAllowTraffic: null }, ...expected });
    if (note) expect(plan.notes.join("\n")).toMatch(note);
  });

  it("refuses a bundle with nothing to deploy, naming the field", () => {
    const e = (() => {
      try {
        planFromBundle(s3Source, APPSPEC(props({ Name: "orders", Alias: "live", TargetVersion: "<T>" })), []);
      } catch (err) {
        return err as ValidationErrors;
      }
    })();
    expect(e?.name).toBe("Release.NothingToPublish");
    expect(e?.message).toMatch(/TargetVersion: is the placeholder <T> and the bundle has no function.zip to publish/);
  });

  it("refuses another platform's appspec and an invalid one with its errors and lines", () => {
    const server = parseAppSpec("version: 0.0\nos: linux\nfiles:\n  - source: /\n    destination: /srv\n");
    expect(() => planFromBundle(s3Source, server, [])).toThrow(/is a server AppSpec/);
    const bad = APPSPEC(props({ Name: "orders", Alias: "live", TargetVersion: "$LATEST" }));
    expect(() => planFromBundle(s3Source, bad, [])).toThrow(/TargetVersion.*line 8.*\$LATEST cannot be deployed/);
  });

  it("plans an ECR push as an update by digest with the digest's hex as the expected CodeSha256", () => {
    const digest = `sha256:${"9f".repeat(32)}`;
    const plan = planFromImage(ecrSource, { kind: "ecr", repository: "media/thumbnailer", digest, tag: "release", region: "eu-west-1", account: "210987654321" }, { region: "us-east-1", accountId: "123456789012" });
    expect(plan.publish).toEqual({ kind: "image", imageUri: `210987654321.dkr.ecr.eu-west-1.amazonaws.com/media/thumbnailer@${digest}`, codeSha256: "9f".repeat(32) });
    expect(plan).toMatchObject({ functionName: "thumbnailer", alias: "live", hooks: { beforeAllowTraffic: "CodeDeployHook_thumbnailer_preTraffic" } });
  });

  it("builds deploy-lambda inputs that the deployment's own validation accepts", () => {
    for (const [source, plan] of [
      [s3Source, planFromBundle(s3Source, APPSPEC(props({ Name: "orders", Alias: "live", TargetVersion: "<T>" })), [file("function.zip")])],
      [ecrSource, planFromImage(ecrSource, { kind: "ecr", repository: "media/thumbnailer", digest: `sha256:${"1".repeat(64)}` }, { region: "us-east-1", accountId: "123456789012" })],
    ] as const) {
      const input = deploymentInputOf(source, plan, { current: "3", target: "5" }, { deploymentId: "d-ABCDEFGH1", releaseName: "r-1", trigger: "s3://x/y" });
      const parsed = parseDeployLambdaInput(input);
      expect(parsed).toMatchObject({ deploymentId: "d-ABCDEFGH1", application: source.application, deploymentGroup: source.deploymentGroup, currentVersion: "3", targetVersion: "5", deploymentConfig: source.deployment.deploymentConfig });
    }
  });
});
