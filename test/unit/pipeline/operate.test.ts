import { beforeEach, describe, expect, it } from "vitest";
import { memoryIO } from "../../../cli/io.js";
import { type OperatorDeps, operatorModule } from "../../../cli/commands/pipeline/operate.js";
import type { PipelineExecution } from "../../../functions/ports/pipeline-registry.js";
import { FakePipelineEvents } from "../../support/fakes/pipeline-events.js";
import { FakePipelineRegistry } from "../../support/fakes/pipeline-registry.js";
import { FakeStepFunctions } from "../../support/fakes/step-functions.js";

/** The operator's pipeline commands over in-memory ports: what each changes, prints (--json) and refuses. */
let registry: FakePipelineRegistry;
let sfn: FakeStepFunctions;
let deps: OperatorDeps;
beforeEach(() => {
  registry = new FakePipelineRegistry();
  sfn = new FakeStepFunctions();
  deps = { pipelines: registry, tasks: sfn, stepFunctions: sfn, pipelineEvents: new FakePipelineEvents(), clock: { nowMs: () => 1_767_225_600_000 }, config: { region: "us-east-1", account: "123456789012", gitFetchProject: "" } };
});

async function cli(name: string, ...argv: string[]) {
  const io = memoryIO({ STEPDEPLOY_STAGE: "prod", USER: "alice" });
  const code = await operatorModule(name, async () => deps).default(argv, io);
  return { code, out: io.stdout, err: io.stderr, json: () => JSON.parse(io.stdout) };
}

const execution = (id: string, at: number, stages: PipelineExecution["stages"], status: PipelineExecution["status"] = "InProgress"): PipelineExecution => ({ pipeline: "demo", executionId: id, version: 1, status, executionType: "STANDARD", trigger: { type: "StartPipelineExecution" }, startedAtMs: at, variables: {}, namespaces: {}, artifacts: {}, sourceRevisions: {}, stages });
const manual = { category: "Approval", owner: "AWS", provider: "Manual", version: "1" } as const;

describe("stepdeploy pipeline <operator command>", () => {
  it("start: StartExecution of stepdeploy-<stack stage>-pipeline-<name> with the variables and the execution id", async () => {
    const r = await cli("start", "demo", "--variable", "Greeting=hi", "--execution", "e-42", "--json");
    expect(r.code).toBe(0);
    expect(sfn.started).toEqual([{ stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:stepdeploy-prod-pipeline-demo", name: "e-42", input: { pipelineExecutionId: "e-42", trigger: { type: "StartPipelineExecution", detail: "alice" }, variables: { Greeting: "hi" } } }]);
    expect(r.json()).toMatchObject({ pipelineExecutionId: "e-42" });
    expect((await cli("start", "demo", "--variable", "oops")).code).toBe(2);
  });

  it("approve answers the waiting approval's token with who approved; a second answer is refused", async () => {
    await registry.createExecution(execution("e1", 1, { Approve: { status: "InProgress", attempt: 1, automaticRetries: 0, actions: { Release: { status: "InProgress", type: manual, stageAttempt: 1, startedAtMs: 1, approvalToken: "tok" } } } }));
    const r = await cli("approve", "demo", "--stage", "Approve", "--action", "Release", "--summary", "ok", "--json");
    expect(r.json()).toEqual({ executionId: "e1" });
    expect(sfn.answerTo("tok")).toMatchObject({ ok: true, output: { status: "Approved", approvedBy: "alice", summary: "ok" } });
    const again = await cli("reject", "demo", "--stage", "Approve", "--action", "Release");
    expect(again.code).toBe(1);
    expect(again.err).toContain("already answered or has timed out");
    expect((await cli("approve", "demo", "--action", "Release")).err).toContain("--stage is required");
  });

  it("retry restarts the failed stage of the newest execution that failed there, FAILED_ACTIONS unless --all-actions", async () => {
    await registry.createExecution(execution("e1", 1, { Build: { status: "Failed", attempt: 1, automaticRetries: 0, actions: {} } }, "Failed"));
    const r = await cli("retry", "demo", "--stage", "Build", "--all-actions", "--json");
    expect(r.json()).toMatchObject({ pipelineExecutionId: "e1", stage: "Build", retryMode: "ALL_ACTIONS" });
    expect(sfn.started[0]).toMatchObject({ name: "e1-retry-Build-2", input: { resume: { pipelineExecutionId: "e1", stage: "Build", retryMode: "ALL_ACTIONS" } } });
    expect((await cli("retry", "demo", "--stage", "Deploy")).err).toContain("has a failed stage Deploy");
  });

  it("disable-transition holds arrivals; enable-transition lets the held one in; state shows it all (needs the definition file)", async () => {
    expect((await cli("disable-transition", "pipelines/demo.yml", "--stage", "Deploy", "--reason", "freeze", "--json")).json()).toMatchObject({ enabled: false, reason: "freeze", admitted: [] });
    registry.gates.set("demo/Deploy", { transition: { enabled: false, reason: "freeze" }, ...registry.gates.get("demo/Deploy"), waiting: [{ executionId: "e7", token: "t7" }] });
    await registry.createExecution(execution("e7", 7, {}));
    const state = await cli("state", "pipelines/demo.yml");
    expect(state.out).toContain("[transition disabled: freeze] Deploy: never run, waiting: e7");
    expect((await cli("enable-transition", "pipelines/demo.yml", "--stage", "Deploy", "--json")).json()).toMatchObject({ enabled: true, admitted: ["e7"] });
    expect(sfn.answerTo("t7")).toMatchObject({ ok: true });
    expect((await cli("state", "demo")).code).toBe(2);
    expect((await cli("enable-transition", "pipelines/demo.yml", "--stage", "Nope")).err).toContain("has no stage 'Nope'");
  });

  it("history lists executions newest first", async () => {
    await registry.createExecution(execution("e1", 1, {}, "Succeeded"));
    await registry.createExecution(execution("e2", 2, {}, "Failed"));
    expect((await cli("history", "demo", "--json")).json().map((e: { pipelineExecutionId: string; status: string }) => `${e.pipelineExecutionId}:${e.status}`)).toEqual(["e2:Failed", "e1:Succeeded"]);
    expect((await cli("history", "demo", "--max", "0")).code).toBe(2);
  });
});
