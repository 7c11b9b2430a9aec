import "../../../local/runtime/polyfills.js";
import { StateMachine } from "aws-local-stepfunctions";
import { describe, expect, it } from "vitest";
import { type Pipeline, readPipelineValue } from "../../../functions/domain/pipeline/index.js";
import { synthesize } from "../../../functions/domain/pipeline/synth/index.js";
import { basePipeline, setPath } from "./base.js";
import { allStates } from "./synth-support.js";

/**
 * The compiled graph's control flow, run on the local engine (aws-local-stepfunctions) with each
 * Task answered by a script: which action fails, what the stage-failure decision is, whether a stage
 * entrance is superseded. The pipeline Lambdas themselves are tested on their own; this checks what
 * the graph does with their answers (CodePipeline's sequencing and failure semantics).
 */
interface Script {
  failing?: string[];
  enter?: (stage: string, attempt: number) => "enter" | "Pipeline.Superseded";
  onStageFailed?: (stage: string, attempt: number) => { next: string; retryMode?: string };
  leaveEnd?: (stage: string) => boolean;
  entry?: string;
}

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

async function run(pipeline: Pipeline, script: Script = {}) {
  const { definition } = synthesize(pipeline);
  const states = allStates(definition);
  const trace: string[] = [];
  const counts = new Map<string, number>();
  const count = (k: string) => {
    counts.set(k, (counts.get(k) ?? 0) + 1);
    return counts.get(k) as number;
  };
  const handlers: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {};
  for (const [name, state] of states) {
    if (state["Type"] !== "Task") continue;
    handlers[name] = async (input) => {
      trace.push(name);
      const payload = (input["Payload"] ?? {}) as Record<string, unknown>;
      const stage = ((payload["stage"] as { name?: string } | undefined)?.name ?? "") as string;
      if (name === "Start(pipeline)") return { Payload: { run: { pipelineExecutionId: "e-1", entry: script.entry ?? null, retry: null }, error: null } };
      if (name.endsWith("(enter)")) {
        if (script.enter?.(stage, count(name)) === "Pipeline.Superseded") throw named("Pipeline.Superseded", "a newer execution replaced this one");
        return { Payload: {} };
      }
      if (name.endsWith("(leave)")) return { Payload: { end: script.leaveEnd?.(stage) ?? false } };
      if (name.endsWith("(failed)")) {
        const decision = script.onStageFailed?.(stage, count(name)) ?? { next: "FAIL" };
        return { Payload: { next: decision.next, retryMode: decision.retryMode ?? null, rollback: { name: "e-1-rollback", input: "{}" }, cause: `stage ${stage} failed` } };
      }
      if (name.endsWith("(start)")) {
        const run = payload["run"] as { retry: { stage: string; mode: string } | null };
        const action = payload["action"] as { stage: string; name: string };
        const skip = run.retry?.mode === "FAILED_ACTIONS" && run.retry.stage === action.stage && !(script.failing ?? []).includes(`${action.stage}.${action.name}`);
        return { Payload: { skip, request: { name: "d-1", input: "{}", projectName: "p", sourceType: "S3", sourceLocation: "b/k", secondarySources: [], artifacts: {}, secondaryArtifacts: [], environmentVariables: [] } } };
      }
      if (/\((ok|error)\)$/.test(name) || name === "Succeeded(pipeline)") return { Payload: {} };
      if ((script.failing ?? []).includes(name)) throw named("States.TaskFailed", `${name} failed`);
      return { Payload: { done: true, nextPollSeconds: 1, state: {} }, Build: { BuildStatus: "SUCCEEDED" }, ExecutionArn: "arn", Output: {} };
    };
  }
  const sm = new StateMachine(definition as never, { validationOptions: { checkArn: false, checkPaths: false } });
  const execution = sm.run({}, { overrides: { taskResourceLocalHandlers: handlers as never }, context: { Execution: { Name: "e-1", Id: "arn:aws:states:us-east-1:111122223333:execution:app:e-1" }, Task: { Token: "token" }, StateMachine: { Id: "arn:aws:states:us-east-1:111122223333:stateMachine:app" } } as never });
  try {
    await execution.result;
    return { trace, error: undefined as string | undefined };
  } catch (e) {
    // The engine wraps the failing state's error in an ExecutionError; its cause is what AWS reports.
    const outer = e as Error & { cause?: unknown };
    return { trace, error: outer.cause instanceof Error ? outer.cause.name : outer.name };
  }
}

const pipelineWith = (...edits: [string, unknown][]): Pipeline => {
  const p = basePipeline();
  for (const [path, value] of edits) setPath(p, path, value);
  return readPipelineValue(p).pipeline as Pipeline;
};
const parallelBuild = (...edits: [string, unknown][]) => pipelineWith(["pipeline.stages[1].actions[1].runOrder", 1], ...edits);

describe("the compiled workflow on the local engine", () => {
  it("a successful run: stages in order, every action started, run and recorded", async () => {
    const { trace, error } = await run(pipelineWith());
    expect(error).toBeUndefined();
    expect(trace).toEqual([
      "Start(pipeline)",
      "Source(enter)", "Source.Source(start)", "Source.Source", "Source.Source(ok)", "Source(leave)",
      "Build(enter)", "Build.Build(start)", "Build.Build", "Build.Build(ok)", "Build.Approve(start)", "Build.Approve", "Build.Approve(ok)", "Build(leave)",
      "Deploy(enter)", "Deploy.Deploy(start)", "Deploy.Deploy", "Deploy.Deploy(ok)", "Deploy(leave)",
      "Succeeded(pipeline)",
    ]);
  });

  it("a failing action in a parallel group: its sibling still finishes, then the stage fails and nothing after it starts", async () => {
    const { trace, error } = await run(parallelBuild(), { failing: ["Build.Build"] });
    expect(error).toBe("Pipeline.StageFailed");
    expect(trace).toContain("Build.Approve(ok)");
    expect(trace).toContain("Build.Build(error)");
    expect(trace.indexOf("Build(failed)")).toBeGreaterThan(Math.max(trace.indexOf("Build.Approve(ok)"), trace.indexOf("Build.Build(error)")));
    expect(trace.filter((t) => t.startsWith("Deploy") || t === "Build(leave)")).toEqual([]);
  });

  it("a failing action stops later runOrder groups of its stage", async () => {
    const { trace, error } = await run(pipelineWith(), { failing: ["Build.Build"] });
    expect(error).toBe("Pipeline.StageFailed");
    expect(trace.filter((t) => t.startsWith("Build.Approve"))).toEqual([]);
  });

  it("RETRY with FAILED_ACTIONS re-enters the stage and skips the actions that succeeded", async () => {
    let fixed = false;
    const pipeline = parallelBuild(["pipeline.pipelineType", "V2"], ["pipeline.stages[1].onFailure", { result: "RETRY", retryConfiguration: { retryMode: "FAILED_ACTIONS" } }]);
    const script: Script = {
      failing: ["Build.Build"],
      onStageFailed: (_stage, attempt) => {
        if (attempt === 1) {
          fixed = true;
          return { next: "RETRY", retryMode: "FAILED_ACTIONS" };
        }
        return { next: "FAIL" };
      },
    };
    const result = await run(pipeline, script);
    expect(fixed).toBe(true);
    expect(result.trace.filter((t) => t === "Build(enter)")).toHaveLength(2);
    expect(result.trace.filter((t) => t === "Build.Approve")).toHaveLength(1);
    expect(result.trace.filter((t) => t === "Build.Build")).toHaveLength(2);
    expect(result.error).toBe("Pipeline.StageFailed");
  });

  it("ROLLBACK starts a rollback execution of the same state machine, and this one fails", async () => {
    const pipeline = pipelineWith(["pipeline.pipelineType", "V2"], ["pipeline.stages[2].onFailure", { result: "ROLLBACK" }]);
    const { trace, error } = await run(pipeline, { failing: ["Deploy.Deploy"], onStageFailed: () => ({ next: "ROLLBACK" }) });
    expect(trace.slice(-2)).toEqual(["Deploy(failed)", "Deploy(rollback)"]);
    expect(error).toBe("Pipeline.StageFailed");
  });

  it("an execution superseded at a stage entrance ends Superseded without starting an action there", async () => {
    const { trace, error } = await run(pipelineWith(), { enter: (stage) => (stage === "Deploy" ? "Pipeline.Superseded" : "enter") });
    expect(error).toBe("Pipeline.Superseded");
    expect(trace.at(-1)).toBe("Deploy(enter)");
  });

  it("a rollback execution enters at its stage and ends after it", async () => {
    const { trace, error } = await run(pipelineWith(), { entry: "Build", leaveEnd: (stage) => stage === "Build" });
    expect(error).toBeUndefined();
    expect(trace[1]).toBe("Build(enter)");
    expect(trace.at(-1)).toBe("Succeeded(pipeline)");
    expect(trace.filter((t) => t.startsWith("Deploy") || t.startsWith("Source"))).toEqual([]);
  });
});
