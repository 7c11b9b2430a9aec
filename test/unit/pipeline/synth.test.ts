import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type Pipeline, readPipeline, readPipelineValue } from "../../../functions/domain/pipeline/index.js";
import { MAX_STATE_NAME, PIPELINE_FUNCTIONS, synthesize } from "../../../functions/domain/pipeline/synth/index.js";
import { basePipeline, setPath } from "./base.js";
import { allStates, aslErrors } from "./synth-support.js";

const DIR = fileURLToPath(new URL("../../fixtures/pipelines/valid/", import.meta.url));
const fixture = (file: string): Pipeline => readPipeline(readFileSync(`${DIR}${file}`, "utf8")).pipeline as Pipeline;
const base = (...edits: [string, unknown][]): Pipeline => {
  const p = basePipeline();
  for (const [path, value] of edits) setPath(p, path, value);
  const r = readPipelineValue(p);
  expect(r.errors).toEqual([]);
  return r.pipeline as Pipeline;
};

describe("synth: the compiled state machine", () => {
  it.each(readdirSync(DIR))("%s compiles to ASL that asl-validator accepts, every action in a state named after it", (file) => {
    const pipeline = fixture(file);
    const { definition, actionStates } = synthesize(pipeline);
    expect(aslErrors(definition)).toEqual([]);
    const states = allStates(definition);
    for (const stage of pipeline.stages) {
      for (const action of stage.actions) {
        const name = actionStates[stage.name]?.[action.name] as string;
        expect(name).toBe(`${stage.name}.${action.name}`);
        expect(states.has(name)).toBe(true);
      }
    }
    for (const name of states.keys()) expect(name.length).toBeLessThanOrEqual(MAX_STATE_NAME);
  });

  it("is deterministic: the same pipeline gives byte-identical JSON", () => {
    const pipeline = fixture("v2-github-connection.yml");
    const again = JSON.parse(JSON.stringify(pipeline)) as Pipeline;
    expect(JSON.stringify(synthesize(again).definition)).toBe(JSON.stringify(synthesize(pipeline).definition));
  });

  it("stages run in order, each entered through its lock and left through its release", () => {
    const { definition } = synthesize(base());
    const states = allStates(definition);
    expect(definition["StartAt"]).toBe("Start(pipeline)");
    expect(states.get("Entry(pipeline)")?.["Default"]).toBe("Source(enter)");
    expect(states.get("Source(leave)")?.["Next"]).toBe("Build(enter)");
    expect(states.get("Build(next?)")?.["Default"]).toBe("Deploy(enter)");
    expect(states.get("Deploy(leave)")?.["Next"]).toBe("Succeeded(pipeline)");
    expect(states.get("Build(enter)")).toMatchObject({ Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken", ResultPath: null });
  });

  it("runOrder groups run in ascending order; gaps in the numbering are fine", () => {
    const { definition } = synthesize(base(["pipeline.stages[1].actions[1].runOrder", 7]));
    const states = allStates(definition);
    expect(states.get("Build(enter)")?.["Next"]).toBe("Build.Build(start)");
    expect(states.get("Build.Build(ok)")?.["Next"]).toBe("Build.Approve(start)");
    expect(states.get("Build.Approve(ok)")?.["Next"]).toBe("Build(leave)");
  });

  it("the same runOrder runs in parallel: branches catch their own failure, siblings finish, then the stage fails", () => {
    const { definition } = synthesize(base(["pipeline.stages[1].actions[1].runOrder", 1]));
    const states = allStates(definition);
    const group = states.get("Build(runOrder-1)") as Record<string, unknown>;
    expect(group["Type"]).toBe("Parallel");
    expect((group["Branches"] as { StartAt: string }[]).map((b) => b.StartAt)).toEqual(["Build.Build(start)", "Build.Approve(start)"]);
    expect(group["ResultSelector"]).toEqual({ "failed.$": "States.ArrayContains($, true)" });
    expect(states.get("Build(runOrder-1-ok?)")).toMatchObject({ Choices: [{ Variable: "$.outcome.failed", BooleanEquals: true, Next: "Build(failed)" }], Default: "Build(leave)" });
    for (const [name, state] of states) {
      if (state.inParallel !== "Build(runOrder-1)" || state["Type"] !== "Task" || name.endsWith("(error)")) continue;
      expect(state["Catch"], name).toEqual([{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: name.replace(/(\(\w+\??\))?$/, "(error)") }]);
    }
    expect(states.get("Build.Build(error)")).toMatchObject({ OutputPath: "$.outcome.failed", End: true, ResultSelector: { failed: true } });
  });

  it.each([
    ["FAIL", undefined, []],
    ["RETRY", { retryMode: "ALL_ACTIONS" }, ["Deploy(on-failure)", "Deploy(retry)"]],
    ["ROLLBACK", undefined, ["Deploy(on-failure)", "Deploy(rollback)"]],
  ])("onFailure %s", (result, retryConfiguration, extra) => {
    const onFailure = retryConfiguration ? { result, retryConfiguration } : { result };
    const pipeline = base(["pipeline.pipelineType", "V2"], ["pipeline.stages[2].onFailure", onFailure]);
    const states = allStates(synthesize(pipeline).definition);
    const deployStates = [...states.keys()].filter((n) => n.startsWith("Deploy(") && !["Deploy(enter)", "Deploy(leave)", "Deploy(failed)"].includes(n));
    expect(deployStates.sort()).toEqual(extra);
    if (result === "RETRY") expect(states.get("Deploy(retry)")).toMatchObject({ Type: "Pass", ResultPath: "$.run.retry", Next: "Deploy(enter)" });
    if (result === "ROLLBACK") expect(states.get("Deploy(rollback)")).toMatchObject({ Resource: "arn:aws:states:::states:startExecution", Next: "Failed(pipeline)" });
    if (result === "FAIL") expect(states.get("Deploy(failed)")?.["Next"]).toBe("Failed(pipeline)");
  });

  it.each([
    ["CodeCommit source (fetched by CodeBuild)", "Source.Source", "codebuild:startBuild.sync"],
    ["S3 source", "Source.Source", "lambda:invoke"],
    ["CodeBuild", "Build.Build", "codebuild:startBuild.sync"],
    ["approval", "Build.Approve", "lambda:invoke.waitForTaskToken"],
    ["CodeDeploy", "Deploy.Deploy", "states:startExecution.sync:2"],
  ])("%s runs as %s", (_what, state, resource) => {
    const pipeline = base(["pipeline.stages[0].actions[0].actionTypeId.provider", "CodeCommit"], ["pipeline.stages[0].actions[0].configuration", { RepositoryName: "r", BranchName: "main" }], ["pipeline.stages[1].actions[1].configuration", {}]);
    const states = allStates(synthesize(_what === "S3 source" ? base() : pipeline).definition);
    expect(states.get(state)?.["Resource"]).toBe(`arn:aws:states:::${resource}`);
  });

  it("a git source's fetch build is pinned to a commit; only connection and GitHub sources pass source auth", () => {
    const codecommit = allStates(synthesize(fixture("create-pipeline-codecommit-build-approve-deploy.json")).definition).get("Source.Source");
    expect(codecommit?.["Parameters"]).toMatchObject({ "SourceVersion.$": "$.action.request.sourceVersion" });
    expect(codecommit?.["Parameters"]).not.toHaveProperty("SourceAuthOverride.$");
    const connection = allStates(synthesize(fixture("v2-github-connection.yml")).definition).get("Source.Checkout");
    expect(connection?.["Parameters"]).toMatchObject({ "SourceAuthOverride.$": "$.action.request.sourceAuth" });
    expect(connection?.["Parameters"]).not.toHaveProperty("SecondarySourcesOverride.$");
  });

  it("approvals time out after 7 days by default, or timeoutInMinutes", () => {
    expect(allStates(synthesize(base()).definition).get("Build.Approve")?.["TimeoutSeconds"]).toBe(604_800);
    expect(allStates(synthesize(base(["pipeline.stages[1].actions[1].timeoutInMinutes", 30])).definition).get("Build.Approve")?.["TimeoutSeconds"]).toBe(1800);
  });

  it("BatchEnabled builds run as a batch", () => {
    const states = allStates(synthesize(base(["pipeline.stages[1].actions[0].configuration.BatchEnabled", "true"])).definition);
    expect(states.get("Build.Build")).toMatchObject({ Resource: "arn:aws:states:::codebuild:startBuildBatch.sync", ResultSelector: { "buildBatch.$": "$.BuildBatch" } });
  });

  it("ECS, CloudFormation and Elastic Beanstalk are started, then polled at the interval the poll returns", () => {
    const states = allStates(synthesize(fixture("v2-github-connection.yml")).definition);
    expect(states.get("Deploy.Beanstalk")?.["Next"]).toBe("Deploy.Beanstalk(done?)");
    expect(states.get("Deploy.Beanstalk(wait)")).toEqual({ Type: "Wait", SecondsPath: "$.result.wait", Next: "Deploy.Beanstalk(poll)", inParallel: "Deploy(runOrder-3)" });
    expect(states.get("Deploy.Beanstalk(poll)")?.["Next"]).toBe("Deploy.Beanstalk(done?)");
  });

  it("the action as declared is compiled into every Lambda payload (no path, configuration verbatim)", () => {
    const start = allStates(synthesize(base()).definition).get("Deploy.Deploy(start)") as { Parameters: { Payload: { action: Record<string, unknown> } } };
    expect(start.Parameters.Payload.action).toEqual({
      stage: "Deploy",
      name: "Deploy",
      actionTypeId: { category: "Deploy", owner: "AWS", provider: "CodeDeploy", version: "1" },
      runOrder: 1,
      configuration: { ApplicationName: "app", DeploymentGroupName: "prod" },
      inputArtifacts: ["Built"],
      outputArtifacts: [],
    });
  });

  it("uses the resources it is given instead of the stack's references", () => {
    const functions = Object.fromEntries(PIPELINE_FUNCTIONS.map((f) => [f, `arn:aws:lambda:eu-west-1:111122223333:function:${f}`])) as never;
    const { definition } = synthesize(base(), { resources: { functions, deployStateMachine: "arn:aws:states:eu-west-1:111122223333:stateMachine:deploy" } });
    const states = allStates(definition);
    expect(states.get("Start(pipeline)")?.["Parameters"]).toMatchObject({ FunctionName: "arn:aws:lambda:eu-west-1:111122223333:function:pipelineStart" });
    expect(states.get("Deploy.Deploy")?.["Parameters"]).toMatchObject({ StateMachineArn: "arn:aws:states:eu-west-1:111122223333:stateMachine:deploy" });
    expect(JSON.stringify(definition)).not.toContain("Fn::GetAtt");
  });
});

describe("synth: state names", () => {
  it("shortens a long stage name so the action's name stays verbatim within 80 characters", () => {
    const stage = "S".repeat(100);
    const action = "DeployTheWholeThing";
    const { actionStates, definition, warnings } = synthesize(base(["pipeline.stages[2].name", stage], ["pipeline.stages[2].actions[0].name", action]));
    const name = actionStates[stage]?.[action] as string;
    expect(name).toContain(`.${action}`);
    expect(name.startsWith("SSSS")).toBe(true);
    expect(name.length).toBeLessThanOrEqual(80);
    for (const n of allStates(definition).keys()) expect(n.length).toBeLessThanOrEqual(80);
    expect(warnings).toEqual([]);
  });

  it("an action name too long to fit is cut with a hash, warned about, and still unique", () => {
    const long = (c: string) => `${c.repeat(90)}`;
    const { actionStates, definition, warnings } = synthesize(
      base(["pipeline.stages[1].actions[0].name", long("a")], ["pipeline.stages[1].actions[1].name", `${long("a")}b`], ["pipeline.stages[1].actions[1].runOrder", 1]),
    );
    const names = [actionStates["Build"]?.[long("a")], actionStates["Build"]?.[`${long("a")}b`]];
    expect(new Set(names).size).toBe(2);
    for (const n of names) expect((n as string).length).toBeLessThanOrEqual(80);
    expect(warnings.map((w) => w.path)).toEqual(["pipeline.stages[1].actions[0]", "pipeline.stages[1].actions[1]"]);
    expect(aslErrors(definition)).toEqual([]);
  });

  it("stage 'a.b' with action 'c' and stage 'a' with action 'b.c' get distinct states", () => {
    const { actionStates, definition } = synthesize(
      base(["pipeline.stages[1].name", "a"], ["pipeline.stages[1].actions[0].name", "b.c"], ["pipeline.stages[2].name", "a.b"], ["pipeline.stages[2].actions[0].name", "c"]),
    );
    expect(actionStates["a"]?.["b.c"]).toBe("a.b.c");
    expect(actionStates["a.b"]?.["c"]).toBe("a.b.c-2");
    expect(aslErrors(definition)).toEqual([]);
  });
});
