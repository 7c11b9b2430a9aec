// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is CloudFormation Fn::Sub syntax
import { describe, expect, it } from "vitest";
import { GIT_FETCH_BUILDSPEC, gitFetchRequest } from "../../../functions/domain/pipeline/execution/git-fetch.js";
import { type Pipeline, readPipelineValue } from "../../../functions/domain/pipeline/index.js";
import { gitFetchProject } from "../../../functions/domain/pipeline/stack/git-fetch-project.js";
import { readBuildspec } from "../../../local/account/codebuild/buildspec.js";
import { basePipeline, type Json, setPath } from "./base.js";

/**
 * The stack's git-fetch CodeBuild project (functions/domain/pipeline/stack/git-fetch-project.ts): there only when
 * a pipeline has a git source, with a role that can write exactly those pipelines' artifacts, pull exactly their
 * repositories and use exactly their connections. (check-cfn checks the packaged one against the resource spec.)
 */
const NAMES = { service: "stepdeploy", stage: "dev" };
const sub = (s: string) => ({ "Fn::Sub": s });

function pipelineWith(name: string, source: Json): Pipeline {
  const named = setPath(setPath(basePipeline(), "pipeline.name", name), "pipeline.stages[1].actions[1].configuration.CustomData", "release #{codepipeline.PipelineExecutionId}");
  const def = setPath(named, "pipeline.stages[0].actions[0]", { name: "Source", namespace: "SourceVariables", outputArtifacts: [{ name: "Src" }], ...(source as object) });
  const r = readPipelineValue(def);
  if (!r.valid) throw new Error(`invalid pipeline: ${JSON.stringify(r.errors)}`);
  return r.pipeline as Pipeline;
}
const codecommit = (repo: string) => ({ actionTypeId: { category: "Source", owner: "AWS", provider: "CodeCommit", version: "1" }, configuration: { RepositoryName: repo, BranchName: "main" } });
const connection = (arn: string) => ({ actionTypeId: { category: "Source", owner: "AWS", provider: "CodeStarSourceConnection", version: "1" }, configuration: { ConnectionArn: arn, FullRepositoryId: "octo/app", BranchName: "main" } });
const s3 = () => ({ actionTypeId: { category: "Source", owner: "AWS", provider: "ECR", version: "1" }, configuration: { RepositoryName: "app" } });

type Statement = { Sid: string; Action: string[]; Resource: unknown[] };
const statements = (role: unknown) => (role as { Properties: { Policies: { PolicyDocument: { Statement: Statement[] } }[] } }).Properties.Policies[0]?.PolicyDocument.Statement ?? [];

describe("the git-fetch project of the stack", () => {
  it("is not created when no pipeline has a git source", () => {
    expect(gitFetchProject([pipelineWith("app", s3())], NAMES)).toBeUndefined();
    expect(gitFetchProject([], NAMES)).toBeUndefined();
  });

  it("a project with no source or buildspec of its own, named as the pipelines' roles and the Lambdas expect", () => {
    const made = gitFetchProject([pipelineWith("app", codecommit("app"))], NAMES);
    expect(made?.project).toMatchObject({
      Type: "AWS::CodeBuild::Project",
      Properties: { Name: "stepdeploy-dev-git-fetch", ServiceRole: { "Fn::GetAtt": ["GitFetchProjectRole", "Arn"] }, Source: { Type: "NO_SOURCE" }, Artifacts: { Type: "NO_ARTIFACTS" } },
    });
    expect(made?.role).toMatchObject({ Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: "codebuild.amazonaws.com" } }] }, ManagedPolicyArns: [{ Ref: "NeverChangeStepDeploy" }] } });
  });

  it("its role: its own logs, the artifacts of the pipelines with git sources, their repositories and connections by the ARN's own prefix", () => {
    const old = "arn:aws:codestar-connections:eu-west-1:111122223333:connection/abc";
    const fresh = "arn:aws:codeconnections:eu-west-1:111122223333:connection/def";
    const made = gitFetchProject([pipelineWith("app", codecommit("app-repo")), pipelineWith("web", connection(old)), pipelineWith("api", connection(fresh)), pipelineWith("plain", s3()), pipelineWith("tmpl", connection("!Ref Conn"))], NAMES);
    const st = Object.fromEntries(statements(made?.role).map((s) => [s.Sid, s]));
    expect(Object.keys(st)).toEqual(["OwnLogs", "WriteSourceArtifacts", "PullRepositories", "UseCodeStarConnections", "UseConnections"]);
    expect(st["OwnLogs"]?.Resource).toEqual([sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/codebuild/stepdeploy-dev-git-fetch"), sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/codebuild/stepdeploy-dev-git-fetch:*")]);
    // The pipeline with only an S3 source gets no grant; the one with an intrinsic connection still gets its artifacts.
    expect(st["WriteSourceArtifacts"]).toMatchObject({ Action: ["s3:PutObject"], Resource: ["api", "app", "tmpl", "web"].map((p) => sub(`arn:\${AWS::Partition}:s3:::app-artifacts/${p}/*`)) });
    expect(st["PullRepositories"]).toMatchObject({ Action: ["codecommit:GitPull"], Resource: [sub("arn:${AWS::Partition}:codecommit:${AWS::Region}:${AWS::AccountId}:app-repo")] });
    expect(st["UseCodeStarConnections"]).toEqual({ Sid: "UseCodeStarConnections", Effect: "Allow", Action: ["codestar-connections:GetConnectionToken", "codestar-connections:GetConnection", "codestar-connections:UseConnection"], Resource: [old] });
    expect(st["UseConnections"]?.Resource).toEqual([fresh]);
    expect(JSON.stringify(made?.role)).not.toContain('"*"');
  });

  it("every fetch sends the buildspec (else CodeBuild would run the repository's own), which keeps .git only for a full clone", () => {
    const action = { actionTypeId: { category: "Source", owner: "AWS", provider: "CodeCommit", version: "1" }, configuration: { RepositoryName: "app", BranchName: "main" } } as const;
    const out = { name: "Src", bucket: "store", key: "app/Src/abc.zip" };
    const zip = gitFetchRequest("p", action as never, "eu-west-1", { commitId: "c0ffee", branch: "main" }, out);
    const clone = gitFetchRequest("p", { ...action, configuration: { ...action.configuration, OutputArtifactFormat: "CODEBUILD_CLONE_REF" } } as never, "eu-west-1", { commitId: "c0ffee", branch: "main" }, out);
    expect(zip.buildspec).toBe(GIT_FETCH_BUILDSPEC);
    expect([zip.environmentVariables, clone.environmentVariables].map((v) => v[0]?.value)).toEqual(["false", "true"]);
    const spec = readBuildspec(GIT_FETCH_BUILDSPEC);
    expect(spec.phases.build?.commands).toEqual(['if [ "$STEPDEPLOY_KEEP_GIT" != "true" ]; then rm -rf .git; fi']);
    expect(spec.artifacts?.files).toEqual(["**/*"]);
  });
});
