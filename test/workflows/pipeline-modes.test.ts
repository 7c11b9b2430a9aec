import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeEach, describe, expect, it } from "vitest";
import { type Pipeline, readPipeline } from "../../functions/domain/pipeline/index.js";
import { synthesize } from "../../functions/domain/pipeline/synth/index.js";
import { answerApproval, setTransition } from "../../functions/services/pipeline/operators.js";
import { type ExecutionOutcome, ServiceRuntime, settle, TokenBroker } from "../../local/simulate/pipeline/service-runtime.js";
import { FakePipelineEvents } from "../support/fakes/pipeline-events.js";
import { FakePipelineRegistry } from "../support/fakes/pipeline-registry.js";

/**
 * The compiled pipelines of events/pipelines/definitions/ on the local engine, every pipeline Lambda
 * state running the real pipeline service over in-memory fakes of its ports, several executions at
 * once. Providers' own work (builds, deployments) is answered by the test; approvals, transitions and
 * failures are moved by the test between steps, and the registry, task answers and events are
 * checked after each.
 */
const DEFINITIONS = fileURLToPath(new URL("../../events/pipelines/definitions/", import.meta.url));

let registry: FakePipelineRegistry;
let events: FakePipelineEvents;
let broker: TokenBroker;
let deployed: { name: string; input: Record<string, unknown> }[];
/** Every build started, failed ones included. */
let builds: string[];
/** Every reading moves time on by a millisecond, so executions started one after another have distinct start times. */
let now: number;

beforeEach(() => {
  registry = new FakePipelineRegistry();
  events = new FakePipelineEvents();
  broker = new TokenBroker();
  deployed = [];
  builds = [];
  now = 1_700_000_000_000;
});

function load(file: string): Pipeline {
  return readPipeline(readFileSync(`${DEFINITIONS}${file}`, "utf8")).pipeline as Pipeline;
}

function runtime(pipeline: Pipeline, failing: (state: string, attempt: number) => boolean = () => false): ServiceRuntime {
  const attempts = new Map<string, number>();
  return new ServiceRuntime({
    definition: synthesize(pipeline).definition,
    broker,
    deps: { pipelines: registry, pipelineEvents: events, notifications: { publish: async () => {} }, clock: { nowMs: () => ++now }, config: { region: "us-east-1", account: "111122223333", gitFetchProject: "git-fetch" } },
    providers: async (state, request) => {
      const attempt = (attempts.get(state) ?? 0) + 1;
      attempts.set(state, attempt);
      if ("ProjectName" in request) builds.push(state);
      if (failing(state, attempt)) throw Object.assign(new Error(`${state} failed`), { name: "States.TaskFailed" });
      if ("StateMachineArn" in request) {
        deployed.push({ name: String(request["Name"]), input: JSON.parse(String(request["Input"])) });
        return { ExecutionArn: `arn:deployment:${request["Name"]}`, Output: { status: "SUCCEEDED" } };
      }
      if ("ProjectName" in request) {
        return { Build: { Id: `${request["ProjectName"]}:${builds.length}`, BuildStatus: "SUCCEEDED" } };
      }
      return { Payload: { variables: { VersionId: "v1", ETag: "e1" } } };
    },
  });
}

async function waitingAtApproval(pipeline: string, executionId: string): Promise<boolean> {
  const e = await registry.getExecution(pipeline, executionId);
  return e?.stages["Approve"]?.actions["Review"]?.approvalToken !== undefined && e.stages["Approve"]?.actions["Review"]?.status === "InProgress";
}

/** What an operator's command reaches: the same registry, Step Functions (the broker) and bus. */
const operator = () => ({ pipelines: registry, tasks: broker, pipelineEvents: events, clock: { nowMs: () => 0 }, config: { region: "us-east-1", account: "111122223333", gitFetchProject: "" } });
const approve = (pipeline: string) => answerApproval(operator(), { pipeline, stage: "Approve", action: "Review", status: "Approved", by: "alice" });
const statuses = async (pipeline: string, ids: string[]) => Promise.all(ids.map(async (id) => (await registry.getExecution(pipeline, id))?.status));
const outcomes = (all: ExecutionOutcome[]) => all.map((o) => (o.error ? `${o.status} ${o.error}` : o.status));

describe("execution modes on the compiled workflow", () => {
  it("SUPERSEDED: three quick triggers; the one waiting at Approve is replaced by the newest and ends Superseded", async () => {
    const p = load("approval-gate-superseded.json");
    const rt = runtime(p);
    rt.start({}, "e1");
    await settle(() => waitingAtApproval(p.name, "e1"));
    rt.start({}, "e2");
    await settle(async () => (registry.gates.get(`${p.name}/Approve`)?.waiting ?? []).some((w) => w.executionId === "e2"));
    expect(await statuses(p.name, ["e1", "e2"])).toEqual(["InProgress", "InProgress"]);
    rt.start({}, "e3");
    const e2 = await rt.executions[1];
    expect(e2?.error).toBe("Pipeline.Superseded");
    expect(e2?.trace.at(-1)).toBe("Approve(enter)");
    expect(await approve(p.name)).toEqual({ executionId: "e1" });
    await settle(() => waitingAtApproval(p.name, "e3"));
    expect(await approve(p.name)).toEqual({ executionId: "e3" });
    expect(outcomes(await Promise.all(rt.executions))).toEqual(["SUCCEEDED", "FAILED Pipeline.Superseded", "SUCCEEDED"]);
    expect(await statuses(p.name, ["e1", "e2", "e3"])).toEqual(["Succeeded", "Superseded", "Succeeded"]);
    expect(deployed.map((d) => (d.input["description"] as string).split(" ")[3])).toEqual(["e1,", "e3,"]);
    expect(events.states().filter((s) => s.startsWith("pipeline"))).toEqual(["pipeline:e1::STARTED", "pipeline:e2::STARTED", "pipeline:e3::STARTED", "pipeline:e2::SUPERSEDED", "pipeline:e1::SUCCEEDED", "pipeline:e3::SUCCEEDED"]);
  });

  it("QUEUED: the same three triggers all run, through Approve one by one in arrival order", async () => {
    const p = load("approval-gate-queued.json");
    const rt = runtime(p);
    for (const id of ["e1", "e2", "e3"]) rt.start({}, id);
    for (const id of ["e1", "e2", "e3"]) {
      await settle(() => waitingAtApproval(p.name, id));
      expect((await approve(p.name)).executionId).toBe(id);
    }
    expect(outcomes(await Promise.all(rt.executions))).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
    expect(deployed).toHaveLength(3);
  });

  it("a rejected approval fails the stage and the execution; nothing is deployed", async () => {
    const p = load("approval-gate-superseded.json");
    const rt = runtime(p);
    rt.start({}, "e1");
    await settle(() => waitingAtApproval(p.name, "e1"));
    await answerApproval(operator(), { pipeline: p.name, stage: "Approve", action: "Review", status: "Rejected", summary: "not today" });
    const [outcome] = await Promise.all(rt.executions);
    expect(outcome?.error).toBe("Pipeline.StageFailed");
    const e = await registry.getExecution(p.name, "e1");
    expect(e?.stages["Approve"]).toMatchObject({ status: "Failed", actions: { Review: { status: "Failed", errorCode: "Pipeline.ApprovalRejected" } } });
    expect(deployed).toEqual([]);
  });

  it("a disabled transition holds the approved execution until it is enabled", async () => {
    const p = load("approval-gate-superseded.json");
    const deps = operator();
    await setTransition(deps, p.name, "Deploy", p.executionMode, { enabled: false, reason: "release freeze" });
    const rt = runtime(p);
    rt.start({}, "e1");
    await settle(() => waitingAtApproval(p.name, "e1"));
    await approve(p.name);
    await settle(async () => (registry.gates.get(`${p.name}/Deploy`)?.waiting ?? []).length === 1);
    expect(deployed).toEqual([]);
    expect(await setTransition(deps, p.name, "Deploy", p.executionMode, { enabled: true })).toEqual({ admitted: ["e1"] });
    expect(outcomes(await Promise.all(rt.executions))).toEqual(["SUCCEEDED"]);
    expect(deployed).toHaveLength(1);
  });
});

describe("failure handling on the compiled workflow", () => {
  it("parallel actions: Lint fails, Compile still succeeds, the stage fails, Package and Deploy never start", async () => {
    const p = load("parallel-build.json");
    const rt = runtime(p, (state) => state === "Build.Lint");
    const outcome = await rt.start({}, "e1");
    expect(outcome.error).toBe("Pipeline.StageFailed");
    const e = await registry.getExecution(p.name, "e1");
    expect(e?.stages["Build"]).toMatchObject({ status: "Failed", actions: { Compile: { status: "Succeeded" }, Lint: { status: "Failed" } } });
    expect(e?.stages["Build"]?.actions["Package"]).toBeUndefined();
    expect(e?.stages["Deploy"]).toBeUndefined();
    expect(events.states().filter((s) => s.startsWith("stage") || s.startsWith("pipeline"))).toEqual(["pipeline:e1::STARTED", "stage:e1:Source:STARTED", "stage:e1:Source:SUCCEEDED", "stage:e1:Build:STARTED", "stage:e1:Build:FAILED", "pipeline:e1::FAILED"]);
  });

  it.each([
    ["retry-failed-actions.json", ["Test.Unit", "Test.Flaky", "Test.Flaky"]],
    ["retry-all-actions.json", ["Test.Unit", "Test.Flaky", "Test.Unit", "Test.Flaky"]],
  ])("%s: the flaky test fails once, the automatic retry runs %j, the pipeline succeeds", async (file, expectedBuilds) => {
    const p = load(file);
    const rt = runtime(p, (state, attempt) => state === "Test.Flaky" && attempt === 1);
    const outcome = await rt.start({}, "e1");
    expect(outcome.status).toBe("SUCCEEDED");
    expect([...builds].sort()).toEqual([...expectedBuilds].sort());
    expect((await registry.getExecution(p.name, "e1"))?.stages["Test"]).toMatchObject({ status: "Succeeded", attempt: 2, automaticRetries: 1 });
  });

  it("ROLLBACK: a failed deploy starts a rollback execution that redeploys the last good execution's artifact", async () => {
    const p = load("rollback.json");
    let failDeploys = false;
    const rt = runtime(p, (state) => failDeploys && state === "Deploy.Deploy");
    expect((await rt.start({}, "good")).status).toBe("SUCCEEDED");
    failDeploys = true;
    const bad = await rt.start({}, "bad");
    expect(bad.error).toBe("Pipeline.StageFailed");
    failDeploys = false;
    await settle(() => rt.executions.length === 3);
    const rollback = await rt.executions[2];
    expect(rollback?.status).toBe("SUCCEEDED");
    expect(rollback?.trace.filter((t) => t.endsWith("(enter)"))).toEqual(["Deploy(enter)"]);
    const good = await registry.getExecution(p.name, "good");
    const redeployed = deployed.at(-1)?.input["revision"] as { s3: { key: string } };
    expect(redeployed.s3.key).toBe(good?.artifacts["Src"]?.key);
    const records = await registry.listExecutions(p.name, 10);
    expect(records.map((r) => [r.executionType, r.status])).toEqual([["ROLLBACK", "Succeeded"], ["STANDARD", "Failed"], ["STANDARD", "Succeeded"]]);
  });
});
