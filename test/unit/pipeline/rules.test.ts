import { describe, expect, it } from "vitest";
import { readPipelineValue } from "../../../functions/domain/pipeline/index.js";
import { basePipeline, type Json, setPath } from "./base.js";

const S = "pipeline.stages";
const action = (stage: number, i: number) => `${S}[${stage}].actions[${i}]`;

function mutate(...edits: [string, unknown][]): Json {
  const p = basePipeline();
  for (const [path, value] of edits) setPath(p, path, value);
  return p;
}

describe("pipeline rules: one broken rule, exactly one error at its path", () => {
  it("the base pipeline is valid with no warnings", () => {
    const r = readPipelineValue(basePipeline());
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  it.each<[string, [string, unknown][], string, RegExp]>([
    ["runOrder 0", [[`${action(1, 0)}.runOrder`, 0]], `${action(1, 0)}.runOrder`, /from 1 to 999, got 0/],
    ["runOrder 1000", [[`${action(1, 0)}.runOrder`, 1000]], `${action(1, 0)}.runOrder`, /from 1 to 999/],
    ["fractional runOrder", [[`${action(1, 0)}.runOrder`, 1.5]], `${action(1, 0)}.runOrder`, /whole number/],
    ["runOrder as a string in the API shape", [[`${action(1, 0)}.runOrder`, "2"]], `${action(1, 0)}.runOrder`, /whole number/],
    ["one stage", [[`${S}[2]`, undefined], [`${S}[1]`, undefined]], S, /at least 2/],
    ["duplicate stage name", [[`${S}[2].name`, "Build"]], `${S}[2].name`, /already used by stages\[1\]/],
    ["duplicate action name", [[`${action(1, 1)}.name`, "Build"]], `${action(1, 1)}.name`, /already used by actions\[0\]/],
    ["stage name with a space", [[`${S}[1].name`, "Build it"]], `${S}[1].name`, /A-Z a-z 0-9 \. @ - _/],
    ["action name of 101 characters", [[`${action(2, 0)}.name`, "a".repeat(101)]], `${action(2, 0)}.name`, /at most 100/],
    ["missing pipeline name", [["pipeline.name", undefined]], "pipeline.name", /is required/],
    ["bad role ARN", [["pipeline.roleArn", "pipeline-role"]], "pipeline.roleArn", /IAM role ARN/],
    ["no artifact store", [["pipeline.artifactStore", undefined]], "pipeline.artifactStore", /is required/],
    ["both artifact stores", [["pipeline.artifactStores", { "us-east-1": { type: "S3", location: "x-bucket" } }]], "pipeline.artifactStores", /not both/],
    ["bad bucket name", [["pipeline.artifactStore.location", "Bad_Bucket"]], "pipeline.artifactStore.location", /S3 bucket name/],
    ["approval with an input artifact", [[`${action(1, 1)}.inputArtifacts`, [{ name: "Src" }]]], `${action(1, 1)}.inputArtifacts`, /Manual Approval action takes exactly 0 input artifacts, got 1/],
    ["approval with an output artifact", [[`${action(1, 1)}.outputArtifacts`, [{ name: "Out" }]]], `${action(1, 1)}.outputArtifacts`, /exactly 0 output artifacts/],
    ["CodeDeploy without input", [[`${action(2, 0)}.inputArtifacts`, []]], `${action(2, 0)}.inputArtifacts`, /exactly 1 input artifact, got 0/],
    ["CodeDeploy DeploymentInput not JSON", [[`${action(2, 0)}.configuration.DeploymentInput`, "{functionName"]], `${action(2, 0)}.configuration.DeploymentInput`, /must be a JSON object/],
    ["CodeDeploy DeploymentInput a list", [[`${action(2, 0)}.configuration.DeploymentInput`, "[]"]], `${action(2, 0)}.configuration.DeploymentInput`, /must be a JSON object/],
    ["CodeDeploy DeploymentInput naming the group", [[`${action(2, 0)}.configuration.DeploymentInput`, '{"application":"x"}']], `${action(2, 0)}.configuration.DeploymentInput.application`, /comes from ApplicationName/],
    ["duplicate output artifact", [[`${action(1, 0)}.outputArtifacts`, [{ name: "Src" }]], [`${action(2, 0)}.inputArtifacts`, [{ name: "Src" }]]], `${action(1, 0)}.outputArtifacts[0].name`, /already produced by Source.Source/],
    ["input never produced", [[`${action(2, 0)}.inputArtifacts`, [{ name: "Nope" }]]], `${action(2, 0)}.inputArtifacts[0].name`, /no action produces artifact 'Nope'/],
    ["input from a parallel sibling", [[`${action(1, 1)}.runOrder`, 1], [`${action(1, 1)}.actionTypeId`, { category: "Test", owner: "AWS", provider: "CodeBuild", version: "1" }], [`${action(1, 1)}.inputArtifacts`, [{ name: "Built" }]], [`${action(1, 1)}.configuration`, { ProjectName: "t" }]], `${action(1, 1)}.inputArtifacts[0].name`, /does not run before/],
    ["bad artifact name", [[`${action(1, 0)}.outputArtifacts`, [{ name: "Built" }, { name: "Built.zip" }]]], `${action(1, 0)}.outputArtifacts[1].name`, /A-Z a-z 0-9 _ -/],
    ["source action in a later stage", [[`${S}[2].actions[1]`, { name: "Src2", actionTypeId: { category: "Source", owner: "AWS", provider: "ECR", version: "1" }, configuration: { RepositoryName: "r" }, outputArtifacts: [{ name: "Img" }] }]], `${action(2, 1)}.actionTypeId.category`, /only the first stage/],
    ["build action in the first stage", [[`${S}[0].actions[1]`, { name: "B", actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" }, configuration: { ProjectName: "p" }, inputArtifacts: [{ name: "Src" }], runOrder: 2 }]], `${action(0, 1)}.actionTypeId.category`, /first stage holds source actions only/],
    ["unknown provider", [[`${action(1, 0)}.actionTypeId.provider`, "Gradle"]], `${action(1, 0)}.actionTypeId.provider`, /unknown provider 'Gradle' for category Build; stepdeploy runs these Build providers: CodeBuild/],
    ["provider of another category", [[`${action(2, 0)}.actionTypeId.provider`, "CodeBuild"]], `${action(2, 0)}.actionTypeId.provider`, /not a Deploy provider \(it is a Build\/Test provider\)/],
    ["wrong owner", [[`${action(1, 0)}.actionTypeId.owner`, "ThirdParty"]], `${action(1, 0)}.actionTypeId.owner`, /owned by AWS/],
    ["wrong version", [[`${action(1, 0)}.actionTypeId.version`, "2"]], `${action(1, 0)}.actionTypeId.version`, /only valid version is "1"/],
    ["unknown category", [[`${action(1, 0)}.actionTypeId.category`, "Compile"]], `${action(1, 0)}.actionTypeId.category`, /not one of Source, Build/],
    ["missing required configuration", [[`${action(2, 0)}.configuration.DeploymentGroupName`, undefined]], `${action(2, 0)}.configuration.DeploymentGroupName`, /required for a CodeDeploy Deploy action/],
    ["configuration value over 1000 characters", [[`${action(1, 0)}.configuration.ProjectName`, "p".repeat(1001)]], `${action(1, 0)}.configuration.ProjectName`, /at most 1000/],
    ["configuration value as a boolean in the API shape", [[`${action(0, 0)}.configuration.PollForSourceChanges`, false]], `${action(0, 0)}.configuration.PollForSourceChanges`, /must be a string, got a boolean \(write "false"\)/],
    ["approval timeout under 5 minutes", [[`${action(1, 1)}.timeoutInMinutes`, 4]], `${action(1, 1)}.timeoutInMinutes`, /from 5 to 86400/],
    ["approval timeout over 60 days", [[`${action(1, 1)}.timeoutInMinutes`, 86401]], `${action(1, 1)}.timeoutInMinutes`, /from 5 to 86400/],
    ["duplicate namespace", [[`${action(1, 0)}.namespace`, "SourceVariables"]], `${action(1, 0)}.namespace`, /already used by Source.Source/],
    ["reserved namespace", [[`${action(1, 0)}.namespace`, "codepipeline"]], `${action(1, 0)}.namespace`, /reserved/],
    ["reference to an unknown namespace", [[`${action(1, 1)}.configuration.CustomData`, "#{Nope.X}"]], `${action(1, 1)}.configuration.CustomData`, /no action has namespace 'Nope'/],
    ["reference to a later action's namespace", [[`${action(1, 0)}.configuration.ProjectName`, "#{BuildVariables.X}"]], `${action(1, 0)}.configuration.ProjectName`, /does not run before/],
    ["reference to a variable the provider does not emit", [[`${action(1, 1)}.configuration.CustomData`, "#{SourceVariables.CommitId}"]], `${action(1, 1)}.configuration.CustomData`, /emits ETag, VersionId/],
    ["undeclared pipeline variable", [[`${action(1, 1)}.configuration.CustomData`, "#{variables.Env}"]], `${action(1, 1)}.configuration.CustomData`, /no pipeline variable 'Env'/],
    ["unknown codepipeline variable", [[`${action(1, 1)}.configuration.CustomData`, "#{codepipeline.Nope}"]], `${action(1, 1)}.configuration.CustomData`, /provides PipelineExecutionId/],
    ["unknown field", [[`${action(1, 0)}.runorder`, 2]], `${action(1, 0)}.runorder`, /did you mean 'runOrder'/],
    ["cross-region source action", [[`${action(0, 0)}.region`, "us-west-2"]], `${action(0, 0)}.region`, /cannot be cross-region/],
    ["cross-region action without artifactStores", [[`${action(2, 0)}.region`, "us-west-2"]], `${action(2, 0)}.region`, /needs artifactStores/],
    ["executionMode not in the enum", [["pipeline.executionMode", "LATEST"]], "pipeline.executionMode", /not one of SUPERSEDED, QUEUED, PARALLEL/],
    ["QUEUED on a V1 pipeline", [["pipeline.pipelineType", "V1"], ["pipeline.executionMode", "QUEUED"]], "pipeline.executionMode", /needs pipelineType V2/],
    ["rollback in PARALLEL mode", [["pipeline.pipelineType", "V2"], ["pipeline.executionMode", "PARALLEL"], [`${S}[2].onFailure`, { result: "ROLLBACK" }]], `${S}[2].onFailure.result`, /not available in PARALLEL/],
    ["rollback of the source stage", [["pipeline.pipelineType", "V2"], [`${S}[0].onFailure`, { result: "ROLLBACK" }]], `${S}[0].onFailure.result`, /source stage cannot be rolled back/],
    ["retryConfiguration without RETRY", [["pipeline.pipelineType", "V2"], [`${S}[2].onFailure`, { result: "FAIL", retryConfiguration: { retryMode: "ALL_ACTIONS" } }]], `${S}[2].onFailure.retryConfiguration`, /only allowed with result RETRY/],
    ["SKIP on failure", [["pipeline.pipelineType", "V2"], [`${S}[2].onFailure`, { result: "SKIP" }]], `${S}[2].onFailure.result`, /SKIP is not supported/],
    ["stage conditions", [[`${S}[2].beforeEntry`, { conditions: [] }]], `${S}[2].beforeEntry`, /not run by stepdeploy/],
    ["duplicate pipeline variable", [["pipeline.pipelineType", "V2"], ["pipeline.variables", [{ name: "Env", defaultValue: "a" }, { name: "Env" }]]], "pipeline.variables[1].name", /declared twice/],
    ["trigger on an S3 source", [["pipeline.pipelineType", "V2"], ["pipeline.triggers", [{ providerType: "CodeStarSourceConnection", gitConfiguration: { sourceActionName: "Source", push: [{ branches: { includes: ["main"] } }] } }]]], "pipeline.triggers[0].gitConfiguration.sourceActionName", /CodeStarSourceConnection sources only/],
    ["too many trigger globs", [["pipeline.pipelineType", "V2"], [`${action(0, 0)}.actionTypeId.provider`, "CodeStarSourceConnection"], [`${action(0, 0)}.configuration`, { ConnectionArn: "arn:aws:codestar-connections:us-east-1:1:connection/x", FullRepositoryId: "o/r", BranchName: "main" }], [`${action(1, 1)}.configuration`, {}], ["pipeline.triggers", [{ providerType: "CodeStarSourceConnection", gitConfiguration: { sourceActionName: "Source", push: [{ branches: { includes: ["a", "b", "c", "d", "e", "f", "g", "h", "i"] } }] } }]]], "pipeline.triggers[0].gitConfiguration.push[0].branches.includes", /at most 8/],
    ["CloudFormation without a ChangeSetName", [[`${S}[2].actions[0]`, { name: "Exec", actionTypeId: { category: "Deploy", owner: "AWS", provider: "CloudFormation", version: "1" }, configuration: { ActionMode: "CHANGE_SET_EXECUTE", StackName: "s" } }]], `${action(2, 0)}.configuration.ChangeSetName`, /required with ActionMode CHANGE_SET_EXECUTE/],
    ["CloudFormation TemplatePath from an artifact it does not take", [[`${S}[2].actions[0]`, { name: "Cfn", actionTypeId: { category: "Deploy", owner: "AWS", provider: "CloudFormation", version: "1" }, configuration: { ActionMode: "CREATE_UPDATE", StackName: "s", TemplatePath: "Src::t.yml", RoleArn: "arn:aws:iam::1:role/r" }, inputArtifacts: [{ name: "Built" }] }]], `${action(2, 0)}.configuration.TemplatePath`, /names artifact 'Src', which is not one of the action's input artifacts \(Built\)/],
    ["CloudFormation mode unknown", [[`${S}[2].actions[0]`, { name: "Cfn", actionTypeId: { category: "Deploy", owner: "AWS", provider: "CloudFormation", version: "1" }, configuration: { ActionMode: "UPSERT", StackName: "s" } }]], `${action(2, 0)}.configuration.ActionMode`, /not one of CREATE_UPDATE/],
    ["S3 deploy without Extract", [[`${action(2, 0)}.actionTypeId.provider`, "S3"], [`${action(2, 0)}.configuration`, { BucketName: "site" }]], `${action(2, 0)}.configuration.Extract`, /required for a S3 Deploy action/],
    ["CodeBuild EnvironmentVariables not JSON", [[`${action(1, 0)}.configuration.EnvironmentVariables`, "A=1"]], `${action(1, 0)}.configuration.EnvironmentVariables`, /JSON list/],
    ["commands on a CodeBuild action", [[`${action(1, 0)}.commands`, ["make"]]], `${action(1, 0)}.commands`, /Commands \(Compute\) action only/],
  ])("%s", (_what, edits, path, message) => {
    const r = readPipelineValue(mutate(...edits));
    expect(r.errors, JSON.stringify(r.errors)).toHaveLength(1);
    expect(r.errors[0]?.path).toBe(path);
    expect(r.errors[0]?.message).toMatch(message);
    expect(r.valid).toBe(false);
  });
});

describe("pipeline warnings", () => {
  it.each<[string, [string, unknown][], string, RegExp]>([
    ["V2 features without pipelineType", [["pipeline.executionMode", "QUEUED"]], "pipeline.pipelineType", /absent, so V1 by default, but executionMode QUEUED makes it a V2 pipeline/],
    ["unknown configuration key", [[`${action(1, 0)}.configuration.Image`, "x"]], `${action(1, 0)}.configuration.Image`, /not a configuration key of CodeBuild/],
    ["mustache placeholder", [[`${action(2, 0)}.configuration.ApplicationName`, "{{ APP }}"]], `${action(2, 0)}.configuration.ApplicationName`, /placeholder \{\{ APP \}\}/],
    ["percent placeholder", [["pipeline.artifactStore.location", "%ARTIFACT_BUCKET%"]], "pipeline.artifactStore.location", /placeholder %ARTIFACT_BUCKET%/],
    ["blockers", [[`${S}[1].blockers`, [{ name: "b", type: "Schedule" }]]], `${S}[1].blockers`, /reserved for future use/],
  ])("%s", (_what, edits, path, message) => {
    const r = readPipelineValue(mutate(...edits));
    const at = r.warnings.filter((w) => w.path === path);
    expect(at, JSON.stringify(r.warnings)).toHaveLength(1);
    expect(at[0]?.message).toMatch(message);
  });

  it("a V2 feature without pipelineType makes the pipeline V2", () => {
    expect(readPipelineValue(mutate(["pipeline.executionMode", "PARALLEL"])).pipeline?.pipelineType).toBe("V2");
  });
});
