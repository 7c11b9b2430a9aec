import { beforeEach, describe, expect, it } from "vitest";
import { type Pipeline, readPipelineValue } from "../../../functions/domain/pipeline/index.js";
import { staticAction } from "../../../functions/domain/pipeline/synth/action.js";
import { type DeclaredAction, endAction, startAction } from "../../../functions/services/pipeline/actions.js";
import type { DeclaredPipeline, DeclaredStage, PipelineDeps, Run } from "../../../functions/services/pipeline/context.js";
import { beginExecution, finishExecution } from "../../../functions/services/pipeline/executions.js";
import { abandonExecution, answerApproval, awaitApproval, setTransition } from "../../../functions/services/pipeline/operators.js";
import { enterStage, failStage, leaveStage } from "../../../functions/services/pipeline/stages.js";
import { pipelineState } from "../../../functions/services/pipeline/state.js";
import { FakePipelineEvents } from "../../support/fakes/pipeline-events.js";
import { FakePipelineRegistry } from "../../support/fakes/pipeline-registry.js";
import { FakeTaskAnswers } from "../../support/fakes/pipeline-tasks.js";
import { basePipeline, setPath } from "./base.js";

/**
 * The pipeline services on in-memory fakes of their ports, called in the order the compiled workflow
 * calls them, moving the world between calls and asserting after each: the registry, the answered
 * task tokens and the CodePipeline-shaped events.
 */
function pipelineWith(...edits: [string, unknown][]): Pipeline {
  const p = basePipeline();
  for (const [path, value] of edits) setPath(p, path, value);
  const r = readPipelineValue(p);
  expect(r.errors).toEqual([]);
  return r.pipeline as Pipeline;
}

function declared(p: Pipeline): DeclaredPipeline {
  return { name: p.name, pipelineType: p.pipelineType, executionMode: p.executionMode, version: p.version, stages: p.stages.map((s) => s.name), variables: p.variables, ...(p.artifactStore && { artifactStore: p.artifactStore }) };
}

function stageOf(p: Pipeline, name: string): DeclaredStage {
  const index = p.stages.findIndex((s) => s.name === name);
  const s = p.stages[index] as Pipeline["stages"][number];
  return { name: s.name, index, onFailure: s.onFailure, inboundTransition: s.inboundTransition, actions: s.actions.map((a) => a.name) };
}

function actionOf(p: Pipeline, stage: string, action: string): DeclaredAction {
  const s = p.stages.find((x) => x.name === stage) as Pipeline["stages"][number];
  return staticAction(s, s.actions.find((a) => a.name === action) as never) as DeclaredAction;
}

let registry: FakePipelineRegistry;
let events: FakePipelineEvents;
let tasks: FakeTaskAnswers;
let deps: PipelineDeps;
let now = 0;

beforeEach(() => {
  registry = new FakePipelineRegistry();
  events = new FakePipelineEvents();
  tasks = new FakeTaskAnswers();
  now = 1_700_000_000_000;
  deps = { pipelines: registry, tasks, pipelineEvents: events, clock: { nowMs: () => now }, config: { region: "us-east-1", account: "111122223333", gitFetchProject: "stepdeploy-dev-git-fetch" } };
});

async function begin(p: Pipeline, id: string, input: Record<string, unknown> = {}): Promise<Run> {
  return (await beginExecution(deps, declared(p), { pipelineExecutionId: id, ...input }, id)).run;
}

describe("stage locks through the registry", () => {
  it("SUPERSEDED: the second execution waiting at Build is replaced by the third; the third enters when the first leaves", async () => {
    const p = pipelineWith();
    const build = stageOf(p, "Build");
    const [r1, r2, r3] = [await begin(p, "e1"), await begin(p, "e2"), await begin(p, "e3")];
    expect(await enterStage(deps, r1, build, "t1")).toEqual({ entered: true });
    expect(tasks.answers.get("t1")).toEqual({ ok: true, output: { entered: "Build" } });
    expect(await enterStage(deps, r2, build, "t2")).toEqual({ entered: false });
    expect(tasks.answers.has("t2")).toBe(false);
    await enterStage(deps, r3, build, "t3");
    expect(tasks.answers.get("t2")).toMatchObject({ ok: false, error: "Pipeline.Superseded" });
    expect((await registry.getExecution("app", "e2"))?.status).toBe("Superseded");
    expect(events.states()).toContain("pipeline:e2::SUPERSEDED");
    expect(tasks.answers.has("t3")).toBe(false);
    expect(await leaveStage(deps, r1, build)).toEqual({ end: false });
    expect(tasks.answers.get("t3")).toMatchObject({ ok: true });
    expect((await registry.getExecution("app", "e3"))?.stages["Build"]?.status).toBe("InProgress");
    expect(events.states().filter((s) => s.includes(":Build:"))).toEqual(["stage:e1:Build:STARTED", "stage:e1:Build:SUCCEEDED", "stage:e3:Build:STARTED"]);
  });

  it("QUEUED: three executions pass the stage one after another, in arrival order", async () => {
    const p = pipelineWith(["pipeline.pipelineType", "V2"], ["pipeline.executionMode", "QUEUED"]);
    const build = stageOf(p, "Build");
    const runs = [await begin(p, "e1"), await begin(p, "e2"), await begin(p, "e3")];
    for (const [i, r] of runs.entries()) await enterStage(deps, r, build, `t${i + 1}`);
    expect([...tasks.answers.keys()]).toEqual(["t1"]);
    await leaveStage(deps, runs[0] as Run, build);
    expect([...tasks.answers.keys()]).toEqual(["t1", "t2"]);
    await leaveStage(deps, runs[1] as Run, build);
    expect([...tasks.answers.keys()]).toEqual(["t1", "t2", "t3"]);
    expect([...tasks.answers.values()].every((a) => a.ok)).toBe(true);
  });

  it("a transition disabled in the definition holds the execution until it is enabled", async () => {
    const p = pipelineWith();
    const deploy = { ...stageOf(p, "Deploy"), inboundTransition: { enabled: false as const, reason: "freeze" } };
    const r1 = await begin(p, "e1");
    expect(await enterStage(deps, r1, deploy, "t1")).toEqual({ entered: false });
    expect(registry.gates.get("app/Deploy")?.waiting).toEqual([{ executionId: "e1", token: "t1" }]);
  });
});

describe("actions: variables, artifacts, events", () => {
  it("a build's exported variables feed a later action's configuration; outputs land in the artifact store's layout", async () => {
    const p = pipelineWith(["pipeline.stages[1].actions[1].configuration.CustomData", "approve #{BuildVariables.IMAGE_TAG} of #{codepipeline.PipelineExecutionId}"]);
    const run = await begin(p, "e1", { sourceRevisions: { Source: { VersionId: "v1", ETag: "abc" } } });
    const source = actionOf(p, "Source", "Source");
    const started = await startAction(deps, run, source);
    expect(started.skip).toBe(false);
    const sourceRequest = started.request as Record<string, unknown>;
    const srcOut = (sourceRequest["outputArtifacts"] as { s3location: { key: string } }[])[0];
    expect(srcOut?.s3location.key).toMatch(/^app\/Src\/[0-9A-F]{7}$/);
    await endAction(deps, run, source, { status: "Succeeded", request: started.request as Record<string, unknown>, result: { output: { variables: { VersionId: "v1", ETag: "abc" } } } });
    const build = actionOf(p, "Build", "Build");
    const b = (await startAction(deps, run, build)).request as Record<string, unknown>;
    expect(b).toMatchObject({ projectName: "app-build", sourceType: "S3", sourceLocation: `app-artifacts/${srcOut?.s3location.key}`, artifacts: { type: "S3", location: "app-artifacts", path: "app/Built", packaging: "ZIP" } });
    await endAction(deps, run, build, { status: "Succeeded", request: b, result: { build: { Id: "app-build:1", ExportedEnvironmentVariables: [{ Name: "IMAGE_TAG", Value: "1.4.2" }] } } });
    const approval = (await startAction(deps, run, actionOf(p, "Build", "Approve"))).request as { message: { approval: { customData: string } } };
    expect(approval.message.approval.customData).toBe("approve 1.4.2 of e1");
    const e = await registry.getExecution("app", "e1");
    expect(e?.namespaces).toEqual({ SourceVariables: { VersionId: "v1", ETag: "abc" }, BuildVariables: { IMAGE_TAG: "1.4.2" } });
    expect(Object.keys(e?.artifacts ?? {})).toEqual(["Src", "Built"]);
    expect(events.states().filter((s) => s.startsWith("action"))).toEqual(["action:e1:Source.Source:STARTED", "action:e1:Source.Source:SUCCEEDED", "action:e1:Build.Build:STARTED", "action:e1:Build.Build:SUCCEEDED", "action:e1:Build.Approve:STARTED"]);
    const succeeded = JSON.parse(events.entries.find((x) => x.Detail.includes('"action":"Build"') && x.Detail.includes("SUCCEEDED"))?.Detail ?? "{}");
    expect(succeeded["execution-result"]).toEqual({ "external-execution-id": "app-build:1" });
    expect(succeeded["output-artifacts"][0]).toMatchObject({ name: "Built", s3location: { bucket: "app-artifacts" } });
  });

  it("a CodeDeploy action starts a deployment of the named group with the built artifact", async () => {
    const p = pipelineWith();
    const run = await begin(p, "e1");
    await registry.updateExecution("app", "e1", (x) => ({ ...x, artifacts: { Built: { name: "Built", bucket: "app-artifacts", key: "app/Built/ABCDEF1" } } }));
    const d = (await startAction(deps, run, actionOf(p, "Deploy", "Deploy"))).request as { name: string; input: string };
    expect(JSON.parse(d.input)).toMatchObject({ application: "app", deploymentGroup: "prod", revision: { s3: { bucket: "app-artifacts", key: "app/Built/ABCDEF1", bundleType: "zip" } } });
  });

  it("an input artifact that was never produced fails the action with a named error", async () => {
    const p = pipelineWith();
    const run = await begin(p, "e1");
    await expect(startAction(deps, run, actionOf(p, "Deploy", "Deploy"))).rejects.toMatchObject({ name: "Pipeline.ActionFailed" });
  });
});

describe("stage failure, retry and rollback", () => {
  it("RETRY FAILED_ACTIONS keeps the stage, skips what succeeded, and fails for good after one automatic retry", async () => {
    const p = pipelineWith(["pipeline.pipelineType", "V2"], ["pipeline.stages[1].actions[1].runOrder", 1], ["pipeline.stages[1].onFailure", { result: "RETRY", retryConfiguration: { retryMode: "FAILED_ACTIONS" } }]);
    const build = stageOf(p, "Build");
    const run = await begin(p, "e1");
    await registry.updateExecution("app", "e1", (x) => ({ ...x, namespaces: { SourceVariables: { VersionId: "v1" } }, artifacts: { Src: { name: "Src", bucket: "app-artifacts", key: "app/Src/X" } } }));
    await enterStage(deps, run, build, "t1");
    const b = await startAction(deps, run, actionOf(p, "Build", "Build"));
    await endAction(deps, run, actionOf(p, "Build", "Build"), { status: "Succeeded", request: b.request as Record<string, unknown>, result: { build: {} } });
    await startAction(deps, run, actionOf(p, "Build", "Approve"));
    await endAction(deps, run, actionOf(p, "Build", "Approve"), { status: "Failed", error: { Error: "Pipeline.ApprovalRejected", Cause: "no" } });
    const first = await failStage(deps, run, build);
    expect(first).toMatchObject({ next: "RETRY", retryMode: "FAILED_ACTIONS" });
    expect(registry.gates.get("app/Build")?.holder).toBe("e1");
    const retried: Run = { ...run, retry: { stage: "Build", mode: "FAILED_ACTIONS" } };
    expect(await enterStage(deps, retried, build, "t1-retry")).toEqual({ entered: true });
    expect(await startAction(deps, retried, actionOf(p, "Build", "Build"))).toEqual({ skip: true, request: null });
    expect((await startAction(deps, retried, actionOf(p, "Build", "Approve"))).skip).toBe(false);
    await endAction(deps, retried, actionOf(p, "Build", "Approve"), { status: "Failed" });
    const second = await failStage(deps, retried, build);
    expect(second.next).toBe("FAIL");
    expect(second.cause).toContain("failed again after 1 automatic retry");
    expect(registry.gates.get("app/Build")?.holder).toBeUndefined();
    expect((await registry.getExecution("app", "e1"))?.status).toBe("Failed");
    expect(events.states().filter((s) => s.startsWith("stage") || s.startsWith("pipeline"))).toEqual([
      "pipeline:e1::STARTED", "stage:e1:Build:STARTED", "stage:e1:Build:FAILED", "stage:e1:Build:STARTED", "stage:e1:Build:FAILED", "pipeline:e1::FAILED",
    ]);
  });

  it("ROLLBACK redeploys the last execution that succeeded in the stage, with its artifacts, and ends after that stage", async () => {
    const p = pipelineWith(["pipeline.pipelineType", "V2"], ["pipeline.stages[2].onFailure", { result: "ROLLBACK" }]);
    const deploy = stageOf(p, "Deploy");
    const good = await begin(p, "good");
    await registry.updateExecution("app", "good", (x) => ({ ...x, artifacts: { Built: { name: "Built", bucket: "app-artifacts", key: "app/Built/GOOD123" } } }));
    await enterStage(deps, good, deploy, "g");
    await leaveStage(deps, good, deploy);
    await finishExecution(deps, good);
    const bad = await begin(p, "bad");
    await enterStage(deps, bad, deploy, "b");
    const answer = await failStage(deps, bad, deploy, { Error: "Deploy.AlarmTriggered", Cause: "orders-errors" });
    expect(answer.next).toBe("ROLLBACK");
    expect(answer.cause).toContain("Deploy.AlarmTriggered");
    const input = JSON.parse(answer.rollback?.input ?? "{}");
    expect(input.rollback).toEqual({ targetPipelineExecutionId: "good", stage: "Deploy" });
    const rb = (await beginExecution(deps, declared(p), input, answer.rollback?.name as string)).run;
    expect(rb).toMatchObject({ entry: "Deploy", rollback: { targetPipelineExecutionId: "good" } });
    const rbRecord = await registry.getExecution("app", rb.pipelineExecutionId);
    expect(rbRecord).toMatchObject({ executionType: "ROLLBACK", artifacts: { Built: { key: "app/Built/GOOD123" } }, trigger: { type: "AutomatedRollback", detail: "bad" } });
    await enterStage(deps, rb, deploy, "r");
    expect(await leaveStage(deps, rb, deploy)).toEqual({ end: true });
  });

  it("a ROLLBACK execution inherits the target's variables, even one declared without a default", async () => {
    const p = pipelineWith(["pipeline.pipelineType", "V2"], ["pipeline.variables", [{ name: "Version" }]], ["pipeline.stages[2].onFailure", { result: "ROLLBACK" }]);
    await begin(p, "good", { variables: { Version: "2" } });
    const rb = (await beginExecution(deps, declared(p), { pipelineExecutionId: "rb", rollback: { targetPipelineExecutionId: "good", stage: "Deploy" }, trigger: { type: "AutomatedRollback", detail: "bad" } }, "rb")).run;
    expect((await registry.getExecution("app", rb.pipelineExecutionId))?.variables).toEqual({ Version: "2" });
  });

  it("a manual retry resumes the failed stage, but not after a newer execution entered it", async () => {
    const p = pipelineWith();
    const deploy = stageOf(p, "Deploy");
    const r1 = await begin(p, "e1");
    await enterStage(deps, r1, deploy, "t1");
    await failStage(deps, r1, deploy);
    const resumed = await beginExecution(deps, declared(p), { resume: { pipelineExecutionId: "e1", stage: "Deploy", retryMode: "ALL_ACTIONS" } }, "e1-retry-1");
    expect(resumed.run).toMatchObject({ pipelineExecutionId: "e1", entry: "Deploy", retry: { stage: "Deploy", mode: "ALL_ACTIONS" } });
    expect(events.states().at(-1)).toBe("pipeline:e1::RESUMED");
    await failStage(deps, resumed.run, deploy);
    const r2 = await begin(p, "e2");
    await enterStage(deps, r2, deploy, "t2");
    await expect(beginExecution(deps, declared(p), { resume: { pipelineExecutionId: "e1", stage: "Deploy", retryMode: "ALL_ACTIONS" } }, "e1-retry-2")).rejects.toMatchObject({ name: "Pipeline.StageNotRetryable" });
  });
});

describe("starting an execution", () => {
  it("resolves pipeline variables: defaults, overrides, and refusals", async () => {
    const p = pipelineWith(["pipeline.pipelineType", "V2"], ["pipeline.variables", [{ name: "Env", defaultValue: "staging" }, { name: "Tag" }]]);
    await expect(begin(p, "e0")).rejects.toMatchObject({ name: "Pipeline.InvalidStart", message: expect.stringContaining("variables.Tag") });
    await begin(p, "e1", { variables: { Tag: "v1" } });
    expect((await registry.getExecution("app", "e1"))?.variables).toEqual({ Env: "staging", Tag: "v1" });
    await expect(begin(p, "e2", { variables: { Tag: "v1", Nope: "x" } })).rejects.toMatchObject({ message: expect.stringContaining("declares no variable 'Nope'") });
    await expect(begin(p, "e3", { variables: { Tag: "" } })).rejects.toMatchObject({ name: "Pipeline.InvalidStart" });
  });
});

describe("operators: approvals, transitions, dead executions, state", () => {
  const notifications = { published: [] as { topic: string; subject: string; message: string }[], publish: async (topic: string, subject: string, message: string) => void notifications.published.push({ topic, subject, message }) };

  async function waitAtApproval(p: Pipeline, id: string): Promise<Run> {
    const run = await begin(p, id);
    await registry.updateExecution("app", id, (x) => ({ ...x, namespaces: { SourceVariables: { VersionId: "v9" } } }));
    const approve = actionOf(p, "Build", "Approve");
    const started = await startAction(deps, run, approve);
    await awaitApproval({ ...deps, notifications }, run, approve, started.request as never, `approval-${id}`);
    return run;
  }

  it("an approval notifies its topic, keeps its token, and is answered once", async () => {
    const p = pipelineWith(["pipeline.stages[1].actions[1].configuration.NotificationArn", "arn:aws:sns:us-east-1:111122223333:approvals"]);
    await waitAtApproval(p, "e1");
    expect(notifications.published.at(-1)).toMatchObject({ topic: "arn:aws:sns:us-east-1:111122223333:approvals", subject: "APPROVAL NEEDED: app Build.Approve" });
    expect(JSON.parse(notifications.published.at(-1)?.message ?? "{}").approval).toMatchObject({ pipelineName: "app", stageName: "Build", actionName: "Approve", customData: "version v9" });
    expect(await answerApproval(deps, { pipeline: "app", stage: "Build", action: "Approve", status: "Approved", summary: "ok", by: "alice" })).toEqual({ executionId: "e1" });
    expect(tasks.answers.get("approval-e1")).toEqual({ ok: true, output: { status: "Approved", summary: "ok", approvedBy: "alice" } });
    await expect(answerApproval(deps, { pipeline: "app", stage: "Build", action: "Approve", status: "Approved" })).rejects.toThrow(/already answered/);
  });

  it("a rejection fails the approval's token with Pipeline.ApprovalRejected; no waiting approval is a clear error", async () => {
    const p = pipelineWith();
    await waitAtApproval(p, "e1");
    await answerApproval(deps, { pipeline: "app", stage: "Build", action: "Approve", status: "Rejected", summary: "not today", by: "bob" });
    expect(tasks.answers.get("approval-e1")).toEqual({ ok: false, error: "Pipeline.ApprovalRejected", cause: "rejected by bob: not today" });
    await expect(answerApproval(deps, { pipeline: "app", stage: "Deploy", action: "Deploy", status: "Approved" })).rejects.toThrow(/no execution of app is waiting at approval Deploy.Deploy/);
  });

  it("disabling a transition holds arrivals; enabling it lets the waiting execution in", async () => {
    const p = pipelineWith();
    await setTransition(deps, "app", "Deploy", "SUPERSEDED", { enabled: false, reason: "release freeze" });
    const run = await begin(p, "e1");
    expect(await enterStage(deps, run, stageOf(p, "Deploy"), "t1")).toEqual({ entered: false });
    expect((await pipelineState(deps, p)).stageStates[2]).toMatchObject({ stageName: "Deploy", inboundTransitionState: { enabled: false, disabledReason: "release freeze" }, waiting: ["e1"] });
    expect(await setTransition(deps, "app", "Deploy", "SUPERSEDED", { enabled: true })).toEqual({ admitted: ["e1"] });
    expect(tasks.answers.get("t1")).toMatchObject({ ok: true });
    expect(events.states().at(-1)).toBe("stage:e1:Deploy:STARTED");
  });

  it("a stopped execution frees its stage for the next one and abandons its running actions", async () => {
    const p = pipelineWith();
    const build = stageOf(p, "Build");
    const r1 = await waitAtApproval(p, "e1");
    await enterStage(deps, r1, build, "t1");
    const r2 = await begin(p, "e2");
    await enterStage(deps, r2, build, "t2");
    await abandonExecution(deps, "app", p.stages.map((s) => s.name), "SUPERSEDED", "e1", "Stopped");
    expect(tasks.answers.get("t2")).toMatchObject({ ok: true });
    const e1 = await registry.getExecution("app", "e1");
    expect(e1?.status).toBe("Stopped");
    expect(e1?.stages["Build"]?.actions["Approve"]?.status).toBe("Abandoned");
    expect(events.states()).toEqual(expect.arrayContaining(["action:e1:Build.Approve:ABANDONED", "pipeline:e1::STOPPED"]));
  });

  it("state shows each stage's latest execution and a waiting approval's token", async () => {
    const p = pipelineWith();
    const run = await waitAtApproval(p, "e1");
    await enterStage(deps, run, stageOf(p, "Build"), "t1");
    const view = await pipelineState(deps, p);
    expect(view.stageStates.map((s) => s.latestExecution?.status ?? "-")).toEqual(["-", "InProgress", "-"]);
    expect(view.stageStates[1]?.actionStates).toEqual([{ actionName: "Build" }, { actionName: "Approve", latestExecution: { status: "InProgress", lastStatusChange: new Date(now).toISOString(), token: "approval-e1" } }]);
  });
});
