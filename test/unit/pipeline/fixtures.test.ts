import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readPipeline } from "../../../functions/domain/pipeline/index.js";

const DIR = fileURLToPath(new URL("../../fixtures/pipelines/", import.meta.url));
const read = (file: string) => readPipeline(readFileSync(`${DIR}${file}`, "utf8"));

describe("pipeline fixtures modelled on the user guide", () => {
  it.each(readdirSync(`${DIR}valid`))("valid/%s validates", (file) => {
    const r = read(`valid/${file}`);
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.pipeline?.stages.length).toBeGreaterThanOrEqual(2);
  });

  it("get-pipeline output: the shape is recognised, metadata ignored, runOrder and version read", () => {
    const r = read("valid/get-pipeline-s3-codedeploy.json");
    expect(r.shape).toBe("get-pipeline");
    expect(r.pipeline).toMatchObject({ name: "MyFirstPipeline", pipelineType: "V1", executionMode: "SUPERSEDED", version: 1 });
    expect(r.pipeline?.stages.map((s) => s.actions.map((a) => `${a.actionTypeId.provider}@${a.runOrder}`))).toEqual([["S3@1"], ["CodeDeploy@1"]]);
  });

  it("create-pipeline input: runOrder defaults to 1, configuration kept verbatim", () => {
    const r = read("valid/create-pipeline-codecommit-build-approve-deploy.json");
    expect(r.shape).toBe("create-pipeline");
    const build = r.pipeline?.stages[1];
    expect(build?.actions.map((a) => a.runOrder)).toEqual([1, 1]);
    expect(r.pipeline?.stages[2]?.actions[0]).toMatchObject({ timeoutInMinutes: 1440, inputArtifacts: [], outputArtifacts: [] });
  });

  it("CloudFormation short form: intrinsics stay unresolved with a warning each, booleans become strings, transitions are read", () => {
    const r = read("valid/cloudformation-s3-short-form.yml");
    expect(r.shape).toBe("cloudformation");
    expect(r.unresolved.map((u) => u.display)).toEqual([
      "!GetAtt CodePipelineServiceRole.Arn",
      "!Ref ArtifactStoreBucket",
      "!Ref SourceBucket",
      "!Ref SourceObjectKey",
      ["!Sub ", "$", "{AWS::StackName}-build"].join(""),
      "!Ref ApplicationName",
      "!Ref BetaFleet",
    ]);
    expect(r.unresolved[2]).toMatchObject({ path: "Resources.AppPipeline.Properties.Stages[0].Actions[0].Configuration.S3Bucket", intrinsic: { Ref: "SourceBucket" } });
    expect(r.warnings.filter((w) => w.message.includes("left unresolved"))).toHaveLength(7);
    const source = r.pipeline?.stages[0]?.actions[0];
    expect(source?.configuration["PollForSourceChanges"]).toBe("false");
    expect(source?.actionTypeId.version).toBe("1");
    expect(r.pipeline?.stages.map((s) => s.inboundTransition.enabled)).toEqual([true, true, false]);
    expect(r.pipeline?.stages[2]?.inboundTransition).toEqual({ enabled: false, reason: "Disabled until the fleet is ready" });
  });

  it("CloudFormation long form without Name: named after the logical id, with a warning", () => {
    const r = read("valid/cloudformation-long-form.json");
    expect(r.pipeline?.name).toBe("AppPipeline");
    expect(r.warnings[0]).toMatchObject({ path: "Resources.AppPipeline.Properties.Name" });
  });

  it("V2: type, mode, variables, triggers and failure handling", () => {
    const r = read("valid/v2-github-connection.yml");
    expect(r.pipeline).toMatchObject({ pipelineType: "V2", executionMode: "QUEUED", variables: [{ name: "Environment", defaultValue: "staging" }] });
    expect(r.pipeline?.triggers).toEqual([
      {
        providerType: "CodeStarSourceConnection",
        sourceActionName: "Checkout",
        push: [{ branches: { includes: ["main", "release/*"] }, filePaths: { excludes: ["docs/**"] } }],
        pullRequest: [{ events: ["OPEN", "UPDATED"], branches: { includes: ["main"] } }],
      },
    ]);
    expect(r.pipeline?.stages.map((s) => s.onFailure)).toEqual([{ result: "FAIL" }, { result: "RETRY", retryMode: "FAILED_ACTIONS" }, { result: "ROLLBACK" }]);
  });

  it("cross-region: artifactStores per region", () => {
    const r = read("valid/cross-region.json");
    expect(Object.keys(r.pipeline?.artifactStores ?? {})).toEqual(["us-east-1", "us-west-2"]);
  });

  it("GitHub v1 and template placeholders are warnings, not errors", () => {
    const r = read("valid/github-v1-masked-template.json");
    expect(r.warnings.map((w) => w.path)).toEqual([
      "pipeline.stages[0].actions[0].actionTypeId",
      "pipeline.stages[0].actions[0].configuration.OAuthToken",
      "pipeline.stages[1].actions[0].configuration.ProjectName",
      "pipeline.stages[2].actions[0].configuration.BucketName",
    ]);
  });

  it.each([
    ["invalid/broken-yaml.yml", "", /not valid YAML/],
    ["invalid/two-pipelines.yml", "Resources", /2 pipelines \(First, Second\)/],
    ["invalid/unknown-provider.json", "pipeline.stages[1].actions[0].actionTypeId.provider", /'DeviceFarm' is a CodePipeline Test provider that stepdeploy does not run; stepdeploy runs these Test providers: CodeBuild/],
    ["invalid/artifact-before-use.yml", "Resources.Pipeline.Properties.Stages[1].Actions[0].InputArtifacts[0].Name", /produced by Build.Build, which does not run before/],
  ])("%s is refused at %s", (file, path, message) => {
    const r = read(file);
    expect(r.valid).toBe(false);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.path).toBe(path);
    expect(r.errors[0]?.message).toMatch(message);
  });
});
