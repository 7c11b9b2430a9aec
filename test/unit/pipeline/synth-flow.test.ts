import { describe, expect, it } from "vitest";
import { type Pipeline, readPipelineValue } from "../../../functions/domain/pipeline/index.js";
import { synthesize } from "../../../functions/domain/pipeline/synth/index.js";
import { basePipeline, setPath } from "./base.js";
import { type GraphScript, runGraph } from "../../../local/simulate/pipeline/graph-run.js";

/**
 * The compiled graph's control flow, run on the local engine (aws-local-stepfunctions) with each
 * Task answered by a script (local/simulate/pipeline/graph-run.ts): which action fails, what the
 * stage-failure decision is, whether a stage entrance is superseded. This checks what the graph does
 * with the Lambdas' answers (CodePipeline's sequencing and failure semantics).
 */
async function run(pipeline: Pipeline, script: GraphScript = {}) {
  return runGraph(synthesize(pipeline).definition, script);
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

  it("a git source (the git-fetch build, buildspec sent with the request) runs through like any other", async () => {
    const p = pipelineWith(["pipeline.stages[0].actions[0]", { name: "Source", namespace: "SourceVariables", actionTypeId: { category: "Source", owner: "AWS", provider: "CodeCommit", version: "1" }, configuration: { RepositoryName: "app", BranchName: "main" }, outputArtifacts: [{ name: "Src" }] }], ["pipeline.stages[1].actions[1].configuration.CustomData", "commit #{SourceVariables.CommitId}"]);
    const { trace, error } = await run(p);
    expect(error).toBeUndefined();
    expect(trace).toContain("Source.Source(ok)");
    expect(trace.at(-1)).toBe("Succeeded(pipeline)");
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
    const script: GraphScript = {
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
