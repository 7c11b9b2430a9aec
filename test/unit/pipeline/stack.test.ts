// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is CloudFormation Fn::Sub syntax
import { describe, expect, it } from "vitest";
import { type Pipeline, readPipelineValue } from "../../../functions/domain/pipeline/index.js";
import { definitionString, pipelineLogicalId, pipelineStackPart, stateMachineName } from "../../../functions/domain/pipeline/stack/stack.js";
import { pipelineTriggers, triggerPatterns } from "../../../functions/domain/pipeline/stack/triggers.js";
import { basePipeline, type Json, setPath } from "./base.js";

/**
 * The stack compiler (functions/domain/pipeline/stack) as `osls package` runs it for each file of pipelines/,
 * called directly: the state machine resource, its least-privilege role and the triggers, per pipeline.
 * (test/unit/pipeline/template.test.ts checks the packaged template of the real pipelines/ as a whole.)
 */
function pipelineOf(definition: Json): Pipeline {
  const r = readPipelineValue(definition);
  if (!r.valid) throw new Error(`invalid pipeline: ${JSON.stringify(r.errors)}`);
  return r.pipeline as Pipeline;
}

type Statement = { Sid: string; Action: string[]; Resource: unknown[] };
const statementsOf = (part: ReturnType<typeof pipelineStackPart>): Statement[] =>
  ((part.role as { Properties: { Policies: { PolicyDocument: { Statement: Statement[] } }[] } }).Properties.Policies[0]?.PolicyDocument.Statement ?? []) as Statement[];
const sids = (part: ReturnType<typeof pipelineStackPart>) => statementsOf(part).map((s) => s.Sid);
const statement = (part: ReturnType<typeof pipelineStackPart>, sid: string) => statementsOf(part).find((s) => s.Sid === sid);
const arn = (s: string) => ({ "Fn::Sub": `arn:\${AWS::Partition}:${s}` });
const NAMES = { service: "stepdeploy", stage: "dev" };

describe("the stack's share of one pipeline", () => {
  const part = pipelineStackPart(pipelineOf(basePipeline()), NAMES);

  it("a STANDARD state machine named for the service and stage, with its own role, and what the janitor needs", () => {
    expect([part.stateMachineName, part.logicalId, part.roleLogicalId]).toEqual(["stepdeploy-dev-pipeline-app", "PipelineAppStateMachine", "PipelineAppStateMachineRole"]);
    expect(part.stateMachine).toMatchObject({
      Type: "AWS::StepFunctions::StateMachine",
      DependsOn: ["PipelineAppStateMachineRole"],
      Properties: { StateMachineName: "stepdeploy-dev-pipeline-app", StateMachineType: "STANDARD", RoleArn: { "Fn::GetAtt": ["PipelineAppStateMachineRole", "Arn"] } },
    });
    expect([part.stages, part.executionMode]).toEqual([["Source", "Build", "Deploy"], "SUPERSEDED"]);
    expect(part.role).toMatchObject({ Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: "states.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } } }] } } });
  });

  it("the role: only the pipeline functions its graph names, the build project its action names, the deployment machine; no rollback start without a ROLLBACK stage", () => {
    expect(sids(part)).toEqual(["InvokePipelineFunctions", "RunBuilds", "SyncBuildRule", "StartDeployments", "FollowDeployments", "SyncExecutionRule"]);
    const functions = (statement(part, "InvokePipelineFunctions")?.Resource ?? []).filter((r) => JSON.stringify(r).includes("GetAtt")).map((r) => (r as { "Fn::GetAtt": string[] })["Fn::GetAtt"][0]);
    expect(functions.length).toBeGreaterThan(0);
    expect(functions.every((f) => /^Pipeline[A-Za-z]+LambdaFunction$/.test(String(f)))).toBe(true);
    expect(statement(part, "RunBuilds")).toEqual({ Sid: "RunBuilds", Effect: "Allow", Action: ["codebuild:StartBuild", "codebuild:StopBuild", "codebuild:BatchGetBuilds"], Resource: [arn("codebuild:${AWS::Region}:${AWS::AccountId}:project/app-build")] });
    expect(statement(part, "SyncBuildRule")?.Resource).toEqual([arn("events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForCodeBuildStartBuildRule")]);
    expect(statement(part, "StartDeployments")?.Resource).toEqual([{ Ref: "DeployLambdaStateMachine" }]);
    expect(statement(part, "FollowDeployments")?.Resource).toEqual([arn("states:${AWS::Region}:${AWS::AccountId}:execution:stepdeploy-dev-deploy-lambda:*")]);
  });

  it("the definition as DefinitionString: intrinsics become Fn::Sub variables, CodePipeline's #{...} stays, a literal ${ is escaped", () => {
    const [text, vars] = (part.stateMachine as { Properties: { DefinitionString: { "Fn::Sub": [string, Record<string, unknown>] } } }).Properties.DefinitionString["Fn::Sub"];
    expect(text).toContain("#{SourceVariables.VersionId}");
    const names = [...text.matchAll(/\$\{([^!}][^}]*)\}/g)].map((m) => m[1] as string);
    expect(new Set(names)).toEqual(new Set(Object.keys(vars)));
    expect(JSON.parse(text.replace(/\$\{[^!}][^}]*\}/g, "x")).States).toBeTypeOf("object");
  });

  it("one trigger, for the S3 source of the first stage", () => {
    expect(part.triggers).toEqual([{ pipeline: "app", stateMachine: "stepdeploy-dev-pipeline-app", action: "Source", s3: { bucket: "app-sources", key: "app.zip" } }]);
  });
});

describe("what a pipeline's actions add to its role", () => {
  const withActions = (stage: Json[], over: (p: Json) => Json = (p) => p) => {
    const p = over(basePipeline());
    (p.pipeline as { stages: Json[] }).stages.splice(1, 1, { name: "Work", actions: stage });
    return pipelineStackPart(pipelineOf(p), NAMES);
  };

  it("batch builds get the batch calls and their rule; an Invoke action's function (and its versions) may be invoked; a ROLLBACK stage may start this same machine by name", () => {
    const part = withActions(
      [
        { name: "Build", actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" }, configuration: { ProjectName: "app-build", BatchEnabled: "true" }, inputArtifacts: [{ name: "Src" }], outputArtifacts: [{ name: "Built" }] },
        { name: "Notify", actionTypeId: { category: "Invoke", owner: "AWS", provider: "Lambda", version: "1" }, configuration: { FunctionName: "notify" }, runOrder: 2 },
      ],
      (p) => setPath(p, "pipeline.stages[2].onFailure", { result: "ROLLBACK" }),
    );
    expect(statement(part, "RunBuilds")?.Action).toEqual(["codebuild:StartBuild", "codebuild:StopBuild", "codebuild:BatchGetBuilds", "codebuild:StartBuildBatch", "codebuild:StopBuildBatch", "codebuild:BatchGetBuildBatches"]);
    expect(statement(part, "SyncBuildRule")?.Resource).toHaveLength(2);
    expect(statement(part, "InvokeActionFunctions")?.Resource).toEqual([arn("lambda:${AWS::Region}:${AWS::AccountId}:function:notify"), arn("lambda:${AWS::Region}:${AWS::AccountId}:function:notify:*")]);
    expect(statement(part, "StartRollbackExecutions")?.Resource).toEqual([arn("states:${AWS::Region}:${AWS::AccountId}:stateMachine:stepdeploy-dev-pipeline-app")]);
  });

  it("a project or function named by a CloudFormation intrinsic is not granted (it cannot be resolved at package time); without a build or deployment there is no such statement", () => {
    const part = withActions(
      [
        { name: "Build", actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" }, configuration: { ProjectName: "!Ref BuildProject" }, inputArtifacts: [{ name: "Src" }], outputArtifacts: [{ name: "Built" }] },
        { name: "Notify", actionTypeId: { category: "Invoke", owner: "AWS", provider: "Lambda", version: "1" }, configuration: { FunctionName: "!Ref Notifier" }, runOrder: 2 },
      ],
      (p) => setPath(p, "pipeline.stages[2]", undefined),
    );
    expect(sids(part)).toEqual(["InvokePipelineFunctions"]);
  });

  it("a git source is fetched by the stack's git-fetch project", () => {
    const part = withActions([{ name: "Build", actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" }, configuration: { ProjectName: "app-build" }, inputArtifacts: [{ name: "Src" }], outputArtifacts: [{ name: "Built" }] }], (p) =>
      setPath(p, "pipeline.stages[0].actions[0]", { name: "Source", actionTypeId: { category: "Source", owner: "AWS", provider: "CodeCommit", version: "1" }, configuration: { RepositoryName: "app", BranchName: "main" }, outputArtifacts: [{ name: "Src" }] }),
    );
    expect(statement(part, "RunBuilds")?.Resource).toEqual([arn("codebuild:${AWS::Region}:${AWS::AccountId}:project/app-build"), arn("codebuild:${AWS::Region}:${AWS::AccountId}:project/stepdeploy-dev-git-fetch")]);
    expect(part.triggers).toEqual([{ pipeline: "app", stateMachine: "stepdeploy-dev-pipeline-app", action: "Source", codecommit: { repository: "app", branch: "main" } }]);
  });
});

describe("names", () => {
  it.each([
    ["app", "App"],
    ["orders", "Orders"],
    ["my-app_2", "Myapp2"],
  ])("logical id of %s starts %s, alphanumeric, with a hash when characters were dropped", (name, prefix) => {
    const id = pipelineLogicalId(name);
    expect(id.startsWith(prefix)).toBe(true);
    expect(id).toMatch(/^[A-Za-z0-9]+$/);
    expect(id.length).toBe(name === prefix.toLowerCase() ? name.length : prefix.length + 6);
  });

  it("two names that differ only in dropped characters get different logical ids", () => {
    expect(pipelineLogicalId("my-app")).not.toBe(pipelineLogicalId("my_app"));
  });

  it("state machine names are cut to Step Functions' 80 characters with a hash, and stay distinct", () => {
    const long = (c: string) => `${"p".repeat(80)}${c}`;
    const [a, b] = [stateMachineName("stepdeploy", "dev", long("a")), stateMachineName("stepdeploy", "dev", long("b"))];
    expect([a.length, b.length]).toEqual([80, 80]);
    expect(a).not.toBe(b);
    expect(stateMachineName("stepdeploy", "dev", "app")).toBe("stepdeploy-dev-pipeline-app");
  });
});

describe("definitionString", () => {
  it("replaces each distinct Ref/GetAtt once, escapes literal ${ and keeps everything else", () => {
    const fn = { "Fn::GetAtt": ["PipelineRunActionLambdaFunction", "Arn"] };
    const out = definitionString({ A: { Resource: fn, Parameters: { "x.$": "States.Format('${literal}')" } }, B: { Resource: fn, Machine: { Ref: "DeployLambdaStateMachine" } } });
    const [text, vars] = out["Fn::Sub"] as [string, Record<string, unknown>];
    expect(vars).toEqual({ r0: fn, r1: { Ref: "DeployLambdaStateMachine" } });
    expect(JSON.parse(text)).toEqual({ A: { Resource: "${r0}", Parameters: { "x.$": "States.Format('${!literal}')" } }, B: { Resource: "${r0}", Machine: "${r1}" } });
  });
});

describe("trigger patterns", () => {
  const triggers = [
    { pipeline: "a", stateMachine: "m-a", action: "Upload", s3: { bucket: "src", key: "a.zip" } },
    { pipeline: "b", stateMachine: "m-b", action: "Upload", s3: { bucket: "src", key: "b.zip" } },
    { pipeline: "c", stateMachine: "m-c", action: "Image", ecr: { repository: "api", tag: "latest" } },
  ];

  it("one rule per kind of source, each value once; a filter that matches nothing for a kind nobody watches", () => {
    const p = triggerPatterns(triggers);
    expect(p.s3).toEqual({ source: ["aws.s3"], "detail-type": ["Object Created"], detail: { bucket: { name: ["src"] }, object: { key: ["a.zip", "b.zip"] } } });
    expect(p.ecr).toEqual({ source: ["aws.ecr"], "detail-type": ["ECR Image Action"], detail: { "action-type": ["PUSH"], result: ["SUCCESS"], "repository-name": ["api"], "image-tag": ["latest"] } });
    expect(p.codecommit.detail).toEqual({ event: ["referenceCreated", "referenceUpdated"], referenceType: ["branch"], repositoryName: ["-no-pipeline-source-"] });
  });

  it("an ECR source without a tag watches latest; a source named by an intrinsic starts nothing", () => {
    const p = basePipeline();
    setPath(p, "pipeline.stages[0].actions", [
      { name: "Image", actionTypeId: { category: "Source", owner: "AWS", provider: "ECR", version: "1" }, configuration: { RepositoryName: "api" }, outputArtifacts: [{ name: "Src" }] },
      { name: "Upload", actionTypeId: { category: "Source", owner: "AWS", provider: "S3", version: "1" }, configuration: { S3Bucket: "!Ref SourceBucket", S3ObjectKey: "app.zip" }, outputArtifacts: [{ name: "Other" }], namespace: "SourceVariables" },
    ]);
    expect(pipelineTriggers(pipelineOf(p), "m")).toEqual([{ pipeline: "app", stateMachine: "m", action: "Image", ecr: { repository: "api", tag: "latest" } }]);
  });
});
