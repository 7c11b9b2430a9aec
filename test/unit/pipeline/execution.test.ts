import { describe, expect, it } from "vitest";
import {
  actionEvent,
  approvalMessage,
  artifactKey,
  codeBuildRequest,
  decideStageFailure,
  deploymentInput,
  exportedVariables,
  gitFetchRequest,
  gitSourceVariables,
  jobId,
  lambdaJobEvent,
  outputArtifact,
  parseImageDefinitions,
  pipelineEvent,
  planCloudFormation,
  readInvokeOutcome,
  stackParameters,
  stageEvent,
  storeFor,
  withImages,
} from "../../../functions/domain/pipeline/execution/index.js";
import { resolveConfiguration, UnresolvedVariableError } from "../../../functions/domain/pipeline/index.js";

const ctx = { pipeline: "myPipeline", executionId: "12345678-1234-5678-abcd-12345678abcd", version: 3, attempt: 1, region: "us-west-2", account: "123456789012" };
const job = { pipeline: "myPipeline", executionId: ctx.executionId, stage: "Deploy", action: "Deploy", attempt: 1 };

describe("events: CodePipeline's detail fields, source stepdeploy", () => {
  it("pipeline STARTED carries the trigger", () => {
    const e = pipelineEvent(ctx, "STARTED", { trigger: { type: "StartPipelineExecution", detail: "arn:aws:sts::123456789012:assumed-role/Admin/me" } });
    expect(e).toMatchObject({ Source: "stepdeploy", DetailType: "CodePipeline Pipeline Execution State Change", Resources: ["arn:aws:codepipeline:us-west-2:123456789012:myPipeline"] });
    expect(JSON.parse(e.Detail)).toEqual({
      pipeline: "myPipeline",
      "execution-id": ctx.executionId,
      version: 3,
      "pipeline-execution-attempt": 1,
      state: "STARTED",
      "execution-trigger": { "trigger-type": "StartPipelineExecution", "trigger-detail": "arn:aws:sts::123456789012:assumed-role/Admin/me" },
    });
  });

  it("stage and action events", () => {
    expect(JSON.parse(stageEvent(ctx, "Prod", "FAILED").Detail)).toMatchObject({ stage: "Prod", state: "FAILED" });
    const a = actionEvent(ctx, "FAILED", {
      stage: "Source",
      action: "Source",
      type: { owner: "AWS", category: "Source", provider: "CodeCommit", version: "1" },
      outputArtifacts: [{ name: "SourceArtifact", s3location: { bucket: "b", key: "myPipeline/SourceArti/K" } }],
      result: { "external-execution-id": "d-1", "external-execution-summary": "Deployment d-1 failed", "error-code": "JobFailed" },
    });
    expect(a.DetailType).toBe("CodePipeline Action Execution State Change");
    expect(JSON.parse(a.Detail)).toMatchObject({ action: "Source", region: "us-west-2", type: { provider: "CodeCommit" }, "output-artifacts": [{ name: "SourceArtifact" }], "execution-result": { "error-code": "JobFailed" } });
  });
});

describe("artifacts: CodePipeline's layout", () => {
  it("<pipeline cut to 20>/<artifact cut to 10>/<key>, stable per action attempt", () => {
    const key = artifactKey("a-pipeline-with-a-long-name", "SourceArtifact", { executionId: "e", stage: "S", action: "A", attempt: 1 });
    expect(key).toMatch(/^a-pipeline-with-a-lo\/SourceArti\/[0-9A-F]{7}$/);
    expect(artifactKey("a-pipeline-with-a-long-name", "SourceArtifact", { executionId: "e", stage: "S", action: "A", attempt: 1 })).toBe(key);
    expect(artifactKey("a-pipeline-with-a-long-name", "SourceArtifact", { executionId: "e2", stage: "S", action: "A", attempt: 1 })).not.toBe(key);
  });

  it("a cross-region action uses its region's store", () => {
    const stores = { artifactStores: { "us-east-1": { type: "S3" as const, location: "east" }, "us-west-2": { type: "S3" as const, location: "west" } } };
    expect(storeFor(stores, "us-west-2", "us-east-1").location).toBe("west");
    expect(storeFor(stores, undefined, "us-east-1").location).toBe("east");
  });
});

describe("CodeBuild", () => {
  const src = outputArtifact({ type: "S3", location: "bucket" }, "app", "Source", { executionId: "e", stage: "Source", action: "Src", attempt: 1 });
  const tpl = outputArtifact({ type: "S3", location: "bucket" }, "app", "Templates", { executionId: "e", stage: "Source", action: "Tpl", attempt: 1 });
  const out = outputArtifact({ type: "S3", location: "bucket" }, "app", "Built", { executionId: "e", stage: "Build", action: "B", attempt: 1 });
  const extra = outputArtifact({ type: "S3", location: "bucket" }, "app", "Reports", { executionId: "e", stage: "Build", action: "B", attempt: 1 });

  it("inputs become the primary and secondary sources, outputs the primary and secondary artifacts", () => {
    const r = codeBuildRequest({ ProjectName: "build", PrimarySource: "Templates", EnvironmentVariables: '[{"name":"STAGE","value":"prod"},{"name":"TOKEN","value":"/ci/token","type":"PARAMETER_STORE"}]' }, [src, tpl], [out, extra]);
    expect(r).toMatchObject({ projectName: "build", sourceType: "S3", sourceLocation: `bucket/${tpl.key}` });
    expect(r.secondarySources).toEqual([{ type: "S3", location: `bucket/${src.key}`, sourceIdentifier: "Source" }]);
    expect(r.artifacts).toMatchObject({ type: "S3", location: "bucket", path: "app/Built", packaging: "ZIP" });
    expect(r.secondaryArtifacts[0]).toMatchObject({ artifactIdentifier: "Reports", path: "app/Reports" });
    expect(r.environmentVariables).toEqual([{ name: "STAGE", value: "prod", type: "PLAINTEXT" }, { name: "TOKEN", value: "/ci/token", type: "PARAMETER_STORE" }]);
    expect(codeBuildRequest({ ProjectName: "t" }, [src], []).artifacts).toEqual({ type: "NO_ARTIFACTS" });
  });

  it("exported variables from the .sync result (PascalCase) or the SDK (camelCase)", () => {
    expect(exportedVariables({ ExportedEnvironmentVariables: [{ Name: "IMAGE_TAG", Value: "1.2.3" }] })).toEqual({ IMAGE_TAG: "1.2.3" });
    expect(exportedVariables({ exportedEnvironmentVariables: [{ name: "A", value: "" }] })).toEqual({ A: "" });
    expect(exportedVariables(undefined)).toEqual({});
  });
});

describe("variables at run time", () => {
  it("#{Namespace.Var}, #{codepipeline.PipelineExecutionId} and #{variables.name} resolve; a missing one is a named error", () => {
    const scope = { codepipeline: { PipelineExecutionId: "e-1" }, variables: { Env: "prod" }, BuildVariables: { IMAGE_TAG: "1.2" } };
    expect(resolveConfiguration({ StackName: "web-#{variables.Env}", Tag: "#{BuildVariables.IMAGE_TAG}@#{codepipeline.PipelineExecutionId}" }, scope)).toEqual({ StackName: "web-prod", Tag: "1.2@e-1" });
    expect(() => resolveConfiguration({ X: "#{BuildVariables.NOPE}" }, scope)).toThrow(UnresolvedVariableError);
    try {
      resolveConfiguration({ X: "#{Other.V}" }, scope);
    } catch (e) {
      expect((e as Error).name).toBe("Pipeline.UnresolvedVariable");
    }
  });
});

describe("jobs: what other providers receive", () => {
  it("job ids are stable UUIDs per action attempt", () => {
    expect(jobId(job)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(jobId(job)).toBe(jobId({ ...job }));
    expect(jobId({ ...job, attempt: 2 })).not.toBe(jobId(job));
  });

  it("Invoke Lambda gets a CodePipeline.job event", () => {
    const e = lambdaJobEvent(job, "123456789012", { FunctionName: "smoke", UserParameters: "{\"env\":\"prod\"}" }, [{ name: "Site", bucket: "b", key: "k" }], []) as { "CodePipeline.job": { data: { inputArtifacts: unknown[] } } };
    expect(e["CodePipeline.job"]).toMatchObject({ accountId: "123456789012", data: { actionConfiguration: { configuration: { FunctionName: "smoke", UserParameters: "{\"env\":\"prod\"}" } }, outputArtifacts: [] } });
    expect(e["CodePipeline.job"].data.inputArtifacts).toEqual([{ name: "Site", revision: null, location: { type: "S3", s3Location: { bucketName: "b", objectKey: "k" } } }]);
  });

  it.each([
    [undefined, { status: "Succeeded", variables: {} }],
    ["done", { status: "Succeeded", variables: {} }],
    [{ status: "Failed", message: "smoke test failed" }, { status: "Failed", message: "smoke test failed" }],
    [{ status: "FAILED" }, { status: "Failed", message: "the function reported failure" }],
    [{ outputVariables: { URL: "https://x", N: 3 }, summary: "ok" }, { status: "Succeeded", variables: { URL: "https://x", N: "3" }, summary: "ok" }],
  ])("the function's answer %j", (payload, outcome) => {
    expect(readInvokeOutcome(payload)).toEqual(outcome);
  });

  it("the approval message has CodePipeline's shape", () => {
    const m = approvalMessage({ ...job, stage: "Approve", action: "Review" }, "us-east-2", { CustomData: "look", ExternalEntityLink: "http://example.com" }, new Date("2016-07-07T20:22:00Z"));
    expect(m).toMatchObject({ region: "us-east-2", consoleLink: "https://console.aws.amazon.com/codepipeline/home?region=us-east-2#/view/myPipeline", approval: { pipelineName: "myPipeline", stageName: "Approve", actionName: "Review", expires: "2016-07-07T20:22Z", externalEntityLink: "http://example.com", customData: "look" } });
    expect((m["approval"] as { approvalReviewLink: string }).approvalReviewLink).toMatch(/#\/view\/myPipeline\/Approve\/Review\/approve\/[0-9a-f-]{36}$/);
  });

  it("a CodeDeploy action deploys the named group with the input artifact as an S3 revision", () => {
    const d = deploymentInput(job, { ApplicationName: "app", DeploymentGroupName: "prod" }, { name: "Built", bucket: "b", key: "myPipeline/Built/ABC" });
    expect(d.name).toMatch(/^d-[0-9A-F]{9}$/);
    expect(JSON.parse(d.input)).toMatchObject({ application: "app", deploymentGroup: "prod", revision: { s3: { bucket: "b", key: "myPipeline/Built/ABC", bundleType: "zip" } } });
  });

  it("with DeploymentInput, a CodeDeploy action runs that deploy-lambda input under its application and group (no revision field)", () => {
    const given = JSON.stringify({ functionName: "orders", alias: "live", targetVersion: "7", deploymentConfig: "CodeDeployDefault.LambdaCanary10Percent5Minutes" });
    const d = deploymentInput(job, { ApplicationName: "app", DeploymentGroupName: "prod", DeploymentInput: given }, { name: "Built", bucket: "b", key: "k" });
    const input = JSON.parse(d.input);
    expect(input).toEqual({ ...JSON.parse(given), application: "app", deploymentGroup: "prod", description: expect.stringContaining(job.executionId) });
    expect(() => deploymentInput(job, { ApplicationName: "a", DeploymentGroupName: "g", DeploymentInput: "{targetVersion: #{B.V}}" }, { name: "x", bucket: "b", key: "k" })).toThrow(/DeploymentInput is not JSON after its variables were resolved/);
  });
});

describe("stage failure decisions", () => {
  const base = { mode: "SUPERSEDED" as const, stageIndex: 2, retriesSoFar: 0, isRollback: false };
  it.each([
    ["FAIL", { onFailure: { result: "FAIL" as const } }, "FAIL"],
    ["RETRY, first failure", { onFailure: { result: "RETRY" as const, retryMode: "ALL_ACTIONS" as const } }, "RETRY"],
    ["RETRY, after the automatic retry", { onFailure: { result: "RETRY" as const }, retriesSoFar: 1 }, "FAIL"],
    ["ROLLBACK with an earlier success", { onFailure: { result: "ROLLBACK" as const }, lastSucceeded: "e-0" }, "ROLLBACK"],
    ["ROLLBACK without one", { onFailure: { result: "ROLLBACK" as const } }, "FAIL"],
    ["ROLLBACK of a rollback", { onFailure: { result: "ROLLBACK" as const }, lastSucceeded: "e-0", isRollback: true }, "FAIL"],
    ["ROLLBACK in PARALLEL", { onFailure: { result: "ROLLBACK" as const }, lastSucceeded: "e-0", mode: "PARALLEL" as const }, "FAIL"],
  ])("%s", (_what, input, next) => {
    const d = decideStageFailure({ ...base, ...input });
    expect(d.next).toBe(next);
    if (d.next === "RETRY") expect(d.retryMode).toBe("ALL_ACTIONS");
    if (d.next === "ROLLBACK") expect(d.targetPipelineExecutionId).toBe("e-0");
  });
});

describe("CloudFormation action modes", () => {
  it.each([
    ["CREATE_UPDATE", undefined, false, ["CreateStack"]],
    ["CREATE_UPDATE", "UPDATE_COMPLETE", false, ["UpdateStack"]],
    ["CREATE_UPDATE", "ROLLBACK_COMPLETE", false, "cannot be updated"],
    ["REPLACE_ON_FAILURE", "ROLLBACK_COMPLETE", false, ["DeleteStack", "CreateStack"]],
    ["REPLACE_ON_FAILURE", "CREATE_COMPLETE", false, ["UpdateStack"]],
    ["DELETE_ONLY", undefined, false, []],
    ["DELETE_ONLY", "CREATE_COMPLETE", false, ["DeleteStack"]],
    ["CHANGE_SET_REPLACE", undefined, false, ["CreateChangeSet:CREATE"]],
    ["CHANGE_SET_REPLACE", "UPDATE_COMPLETE", true, ["DeleteChangeSet", "CreateChangeSet:UPDATE"]],
    ["CHANGE_SET_EXECUTE", "UPDATE_COMPLETE", true, ["ExecuteChangeSet"]],
    ["CHANGE_SET_EXECUTE", "UPDATE_COMPLETE", false, "does not exist"],
    ["CREATE_UPDATE", "UPDATE_IN_PROGRESS", false, "wait until"],
  ] as const)("%s on a stack %s (change set exists: %s)", (mode, status, changeSet, expected) => {
    const plan = planCloudFormation(mode, status, changeSet);
    if (typeof expected === "string") {
      expect(plan.ok).toBe(false);
      if (!plan.ok) expect(plan.reason).toContain(expected);
    } else {
      expect(plan.ok && plan.steps.map((s) => ("changeSetType" in s ? `${s.call}:${s.changeSetType}` : s.call))).toEqual(expected);
    }
  });

  it("ParameterOverrides win over TemplateConfiguration", () => {
    expect(stackParameters('{"Parameters":{"Stage":"beta","Size":2}}', '{"Stage":"prod"}')).toEqual({ Stage: "prod", Size: "2" });
  });
});

describe("ECS imagedefinitions.json", () => {
  it("replaces the named containers' images", () => {
    const images = parseImageDefinitions('[{"name":"web","imageUri":"repo/web@sha256:abc"}]');
    expect(withImages([{ name: "web", image: "repo/web:old" }, { name: "sidecar", image: "envoy" }], images)).toEqual([{ name: "web", image: "repo/web@sha256:abc" }, { name: "sidecar", image: "envoy" }]);
    expect(() => withImages([{ name: "api" }], images)).toThrow(/names container 'web'/);
  });

  it.each(["", "{}", "[]", '[{"name":"web"}]', "x".repeat(102_401)])("refuses %#", (text) => {
    expect(() => parseImageDefinitions(text)).toThrow();
  });
});

describe("git sources: fetched by the stack's CodeBuild project at the pinned commit", () => {
  const out = { name: "Src", bucket: "art", key: "app/Src/ABCDEF1" };
  const revision = { commitId: "8cf40f2", branch: "main", message: "Added LICENSE.txt", authorDate: "2026-11-01T00:00:00Z" };
  const action = (provider: string, configuration: Record<string, string>) => ({ actionTypeId: { category: "Source" as const, owner: (provider === "GitHub" ? "ThirdParty" : "AWS") as "AWS" | "ThirdParty", provider, version: "1" }, configuration });

  it.each([
    ["CodeCommit", { RepositoryName: "repo", BranchName: "main" }, undefined, "CODECOMMIT", "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/repo", undefined],
    ["CodeStarSourceConnection", { ConnectionArn: "arn:conn", FullRepositoryId: "org/web", BranchName: "main" }, "GitHub", "GITHUB", "https://github.com/org/web.git", { type: "CODECONNECTIONS", resource: "arn:conn" }],
    ["CodeStarSourceConnection", { ConnectionArn: "arn:conn", FullRepositoryId: "org/web", BranchName: "main" }, "GitLab", "GITLAB", "https://gitlab.com/org/web.git", { type: "CODECONNECTIONS", resource: "arn:conn" }],
    ["GitHub", { Owner: "o", Repo: "r", Branch: "main", OAuthToken: "t" }, undefined, "GITHUB", "https://github.com/o/r.git", { type: "OAUTH" }],
  ] as const)("%s (%s)", (provider, configuration, host, type, url, auth) => {
    const r = gitFetchRequest("svc-dev-git-fetch", action(provider, configuration), "eu-west-1", revision, out, host);
    expect(r).toMatchObject({ projectName: "svc-dev-git-fetch", sourceType: type, sourceLocation: url, sourceVersion: "8cf40f2", artifacts: { location: "art", path: "app/Src", name: "ABCDEF1", packaging: "ZIP" } });
    expect(r.sourceAuth).toEqual(auth);
  });

  it("emits the provider's source variables", () => {
    expect(gitSourceVariables(action("CodeCommit", { RepositoryName: "repo" }), revision)).toEqual({ CommitId: "8cf40f2", BranchName: "main", CommitMessage: "Added LICENSE.txt", AuthorDate: "2026-11-01T00:00:00Z", CommitterDate: "2026-11-01T00:00:00Z", RepositoryName: "repo" });
    expect(gitSourceVariables(action("CodeStarSourceConnection", { ConnectionArn: "arn:conn", FullRepositoryId: "org/web" }), revision)).toMatchObject({ ConnectionArn: "arn:conn", FullRepositoryName: "org/web" });
  });
});
