import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { problemsOf as refused } from "../../support/problems.js";
import { bundleTypeOfKey, matchSource, parseReleaseSources, targetsOf } from "../../../functions/domain/release/index.js";

const releasesConfig = createRequire(import.meta.url)("../../../config/releases.cjs") as { forStage(stage: string): Record<string, unknown>; NO_SOURCE: string; NO_FUNCTION: string };
const local = JSON.parse(readFileSync(new URL("../../../config/releases.local.json", import.meta.url), "utf8")).sources as unknown[];

const problemsOf = (raw: unknown) => refused("Release.InvalidConfiguration", () => parseReleaseSources(raw));

describe("release sources", () => {
  it("parses every stage's configuration in config/", () => {
    for (const f of readdirSync(new URL("../../../config/", import.meta.url)).filter((n) => /^releases\..+\.json$/.test(n))) {
      const doc = JSON.parse(readFileSync(new URL(`../../../config/${f}`, import.meta.url), "utf8"));
      expect(() => parseReleaseSources(doc.sources), f).not.toThrow();
    }
    const [s3, ecr] = parseReleaseSources(local);
    expect(s3).toMatchObject({ name: "orders-api", platform: "lambda", codePackage: "function.zip", s3: { bucket: "orders-releases", prefix: "orders-api/" }, functions: [{ name: "orders", alias: "live" }] });
    expect(ecr).toMatchObject({ ecr: { repository: "media/thumbnailer", tag: "release" }, hooks: { beforeAllowTraffic: "CodeDeployHook_thumbnailer_preTraffic", afterAllowTraffic: null } });
    expect([s3, ecr].map((x) => x && targetsOf(x))).toEqual([[{ name: "orders", alias: "live" }], [{ name: "thumbnailer", alias: "live" }]]);
  });

  const fns = [{ name: "f", alias: "live" }];
  const ecsSource = { name: "web", platform: "ecs", application: "x", deploymentGroup: "g", ecr: { repository: "web" }, deployment: { ecs: { cluster: "prod", service: "web" } } };
  it.each([
    [[{ name: "a", application: "x", deploymentGroup: "g", s3: { bucket: "b1b" } }], "[0].functions: is required: the [{name, alias}] this source's uploads may deploy"],
    [[{ name: "a", application: "x", deploymentGroup: "g", s3: { bucket: "b1b" }, functions: [] }], "[0].functions: is required"],
    [[{ name: "a", application: "x", deploymentGroup: "g", s3: { bucket: "b1b" }, functions: ["orders"] }], "[0].functions[0]: must be an object {name, alias}"],
    [[{ name: "a", application: "x", deploymentGroup: "g", s3: { bucket: "b1b" }, functions: [{ name: "arn:aws:lambda:us-east-1:123456789012:function:f", alias: "live" }] }], "[0].functions[0].name: 'arn:aws:lambda:us-east-1:123456789012:function:f' must be a Lambda function name (1-64 of A-Z a-z 0-9 _ -; not an ARN)"],
    [[{ name: "a", application: "x", deploymentGroup: "g", s3: { bucket: "b1b" }, functions: [{ name: "f", alias: "42" }] }], "[0].functions[0].alias: '42' must be a Lambda alias name"],
    [[{ name: "a", application: "x", deploymentGroup: "g", s3: { bucket: "b1b" }, functions: [{ name: "f" }] }], "[0].functions[0].alias: is required"],
    [[{ name: "a", application: "x", deploymentGroup: "g", s3: { bucket: "b1b" }, functions: [{ name: "f", alias: "live", version: "3" }] }], "[0].functions[0].version: is not a target field (name, alias)"],
    [[{ name: "a", application: "x", deploymentGroup: "g", s3: { bucket: "b1b" }, functions: [...fns, ...fns] }], "[0]: f:live is already a target of [0]"],
    [
      [
        { name: "a", application: "x", deploymentGroup: "g", s3: { bucket: "b1b", prefix: "a/" }, functions: fns },
        { name: "b", application: "x", deploymentGroup: "g", ecr: { repository: "r" }, function: { name: "f", alias: "live" } },
      ],
      "[1]: f:live is already a target of [0]: a function and alias belong to one release source",
    ],
    [[{ name: "a", application: "x", deploymentGroup: "g", ecr: { repository: "r" }, function: { name: "f", alias: "live" }, functions: fns }], "[0].functions: is not an ECR release source field"],
    [[{ name: "a b", application: "x", deploymentGroup: "g", s3: { bucket: "b1b" } }], "[0].name: 'a b' must be 1-32"],
    [[{ name: "a", deploymentGroup: "g", s3: { bucket: "b1b" } }], "[0].application: is required"],
    [[{ name: "a", application: "x", deploymentGroup: "g" }], "[0]: give exactly one of s3"],
    [[{ name: "a", application: "x", deploymentGroup: "g", s3: { bucket: "Bad_Bucket" } }], "[0].s3.bucket: 'Bad_Bucket' is not a valid S3 bucket name"],
    [[{ name: "a", application: "x", deploymentGroup: "g", s3: { bucket: "b1b" }, codePackage: "../x.zip" }], "[0].codePackage: must be a relative path to a .zip"],
    [[{ name: "a", application: "x", deploymentGroup: "g", ecr: { repository: "r" } }], "[0].function: is required for an ECR source"],
    [[{ name: "a", application: "x", deploymentGroup: "g", platform: "ecs", s3: { bucket: "b1b" } }], "[0]: an ECS source is released by ECR pushes: give ecr {repository, tag}"],
    [[{ name: "a", application: "x", deploymentGroup: "g", platform: "fargate", s3: { bucket: "b1b" }, functions: fns }], "[0].platform: must be one of lambda, ecs, got 'fargate'"],
    [[{ name: "a", application: "x", deploymentGroup: "g", platform: "ecs", ecr: { repository: "web" }, deployment: {} }], "[0].deployment: needs ecs {cluster, service, targetGroups"],
    [[{ ...ecsSource, deployment: { ...ecsSource.deployment, revision: { taskDefinition: "web:2" } } }], "[0].deployment: takes no revision, application or deploymentGroup"],
    [[{ ...ecsSource, function: { name: "f", alias: "live" } }], "[0].function: is not an ECS release source field (ecr, deployment)"],
    [[ecsSource, { ...ecsSource, name: "web2", ecr: { repository: "web2" } }], "[1]: ECS service prod/web is already a target of [0]: a service belongs to one release source"],
    [[{ name: "a", application: "x", deploymentGroup: "g", s3: { bucket: "b1b" }, deployment: { deploymentConfg: "x" } }], "[0].deployment.deploymentConfg: is not a release deployment setting"],
    [
      [
        { name: "a", application: "x", deploymentGroup: "g", s3: { bucket: "b1b", prefix: "app/" }, functions: fns },
        { name: "b", application: "x", deploymentGroup: "g", s3: { bucket: "b1b", prefix: "app/v2/" }, functions: [{ name: "f2", alias: "live" }] },
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
    // orders-beta/ is the orders-beta deployment group's release section (config/groups.local.yml).
    expect(c.s3EventDetail).toEqual({ bucket: { name: ["orders-releases"] }, object: { key: [{ prefix: "orders-api/" }, { prefix: "orders-beta/" }] } });
    expect(c.ecrEventDetail).toEqual({ "action-type": ["PUSH"], result: ["SUCCESS"], "repository-name": ["media/thumbnailer", "web"], "image-tag": ["release"] });
    // The web-prod ECS group's release (config/groups.local.yml): the only service whose task definition a push may register again.
    expect(c.ecsServiceArns).toEqual([{ "Fn::Sub": `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:service/prod/web` }]);
    expect(c.bundleObjectArns).toEqual(["arn:aws:s3:::orders-releases/orders-api/*", "arn:aws:s3:::orders-releases/orders-beta/*"]);
    // Code may be uploaded and published only to the sources' own functions (and their versions).
    const fn = (name: string) => ({ "Fn::Sub": `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${name}` });
    expect(c.releaseFunctionArns).toEqual([fn("orders"), fn("orders:*"), fn("thumbnailer"), fn("thumbnailer:*")]);
    expect(JSON.parse(String(c.sourcesJson))).toEqual(local);
  });

  it("matches nothing for a stage without sources (names no bucket or repository can have)", () => {
    const c = releasesConfig.forStage("some-stage-without-a-file");
    expect(c.file).toBe("releases.default.json");
    expect(c.s3EventDetail).toEqual({ bucket: { name: [releasesConfig.NO_SOURCE] } });
    expect((c.ecrEventDetail as Record<string, unknown>)["repository-name"]).toEqual([releasesConfig.NO_SOURCE]);
    expect(JSON.stringify(c.releaseFunctionArns)).toContain(`function:${releasesConfig.NO_FUNCTION}`);
    expect(problemsOf([{ name: "a", application: "x", deploymentGroup: "g", s3: { bucket: releasesConfig.NO_SOURCE } }]).join()).toContain("not a valid S3 bucket name");
  });
});
