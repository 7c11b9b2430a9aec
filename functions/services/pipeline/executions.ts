import { PipelineError, PipelineErrorNames } from "../../domain/pipeline/errors.js";
import { pipelineEvent } from "../../domain/pipeline/execution/events.js";
import { canRetryAt, openGate } from "../../domain/pipeline/execution/stage-gate.js";
import type { PipelineExecution } from "../../ports/pipeline-registry.js";
import { type DeclaredPipeline, eventContext, type PipelineDeps, type Run, withStage } from "./context.js";

/**
 * The start and the end of an execution. The state machine's input is one of:
 * - a new execution: `{pipelineExecutionId?, trigger?, variables?, sourceRevisions?}` (the id defaults
 *   to the Step Functions execution name);
 * - a manual stage retry: `{resume: {pipelineExecutionId, stage, retryMode}}`, the same pipeline
 *   execution continuing at the failed stage (CodePipeline's RetryStageExecution);
 * - a rollback: `{pipelineExecutionId, rollback: {targetPipelineExecutionId, stage}, trigger}`, a new
 *   execution that redeploys the stage with the target's artifacts, variables and revisions.
 */
export interface ExecutionInput {
  pipelineExecutionId?: string;
  trigger?: { type: string; detail?: string };
  variables?: Record<string, string>;
  sourceRevisions?: Record<string, Record<string, string>>;
  resume?: { pipelineExecutionId: string; stage: string; retryMode: "FAILED_ACTIONS" | "ALL_ACTIONS" };
  rollback?: { targetPipelineExecutionId: string; stage: string };
}

function invalid(message: string): PipelineError {
  return new PipelineError(PipelineErrorNames.InvalidStart, message);
}

/** Declared defaults, overridden per start; an undeclared name, an empty value or a missing value is refused. */
export function resolveStartVariables(declared: DeclaredPipeline["variables"], given: Record<string, string> = {}): Record<string, string> {
  for (const [name, value] of Object.entries(given)) {
    if (!declared.some((v) => v.name === name)) throw invalid(`variables.${name}: the pipeline declares no variable '${name}'`);
    if (typeof value !== "string" || value === "") throw invalid(`variables.${name}: a value must be a non-empty string`);
  }
  const out: Record<string, string> = {};
  for (const v of declared) {
    const value = given[v.name] ?? v.defaultValue;
    if (value === undefined) throw invalid(`variables.${v.name}: no default value is declared, so every start must give one`);
    out[v.name] = value;
  }
  return out;
}

export async function beginExecution(deps: PipelineDeps, pipeline: DeclaredPipeline, input: ExecutionInput, executionName: string): Promise<{ run: Run; error: null }> {
  const base = { pipeline: pipeline.name, executionMode: pipeline.executionMode, version: pipeline.version, ...(pipeline.artifactStore && { artifactStore: pipeline.artifactStore }), ...(pipeline.artifactStores && { artifactStores: pipeline.artifactStores }) };
  if (input.resume) {
    const { pipelineExecutionId, stage, retryMode } = input.resume;
    const retryable = await deps.pipelines.updateGate(pipeline.name, stage, openGate(), (g) => ({ gate: g, result: canRetryAt(g, pipelineExecutionId) }));
    const existing = await deps.pipelines.getExecution(pipeline.name, pipelineExecutionId);
    if (existing?.stages[stage]?.status !== "Failed" || !["Failed", "Stopped"].includes(existing.status) || !retryable) {
      throw new PipelineError(PipelineErrorNames.StageNotRetryable, `stage ${stage} of execution ${pipelineExecutionId} cannot be retried: ${!existing ? "no such execution" : !retryable ? "a newer execution has entered the stage since it failed" : "it has not failed"}`);
    }
    const e = await deps.pipelines.updateExecution(pipeline.name, pipelineExecutionId, (x) => ({ ...withStage(x, stage, (s) => ({ ...s, attempt: s.attempt + 1 })), status: "InProgress" }));
    const run: Run = { ...base, pipelineExecutionId, entry: stage, retry: { stage, mode: retryMode }, rollback: null };
    await deps.pipelineEvents.putPipelineEvents([pipelineEvent(eventContext(deps, run, e.stages[stage]?.attempt), "RESUMED")]);
    return { run, error: null };
  }
  const pipelineExecutionId = input.pipelineExecutionId ?? executionName;
  const trigger = input.trigger ?? { type: "StartPipelineExecution" };
  // A rollback inherits the target's variables: a variable without a default is not asked of it again.
  let inherited: Pick<PipelineExecution, "variables" | "namespaces" | "artifacts" | "sourceRevisions">;
  if (input.rollback) {
    const target = await deps.pipelines.getExecution(pipeline.name, input.rollback.targetPipelineExecutionId);
    if (!target) throw invalid(`rollback target ${input.rollback.targetPipelineExecutionId} is not an execution of ${pipeline.name}`);
    inherited = { variables: target.variables, namespaces: target.namespaces, artifacts: target.artifacts, sourceRevisions: target.sourceRevisions };
  } else {
    inherited = { variables: resolveStartVariables(pipeline.variables, input.variables), namespaces: {}, artifacts: {}, sourceRevisions: input.sourceRevisions ?? {} };
  }
  const record: PipelineExecution = {
    pipeline: pipeline.name,
    executionId: pipelineExecutionId,
    version: pipeline.version,
    status: "InProgress",
    executionType: input.rollback ? "ROLLBACK" : "STANDARD",
    ...(input.rollback && { rollback: input.rollback }),
    trigger,
    startedAtMs: deps.clock.nowMs(),
    ...inherited,
    stages: {},
  };
  await deps.pipelines.createExecution(record);
  const run: Run = { ...base, pipelineExecutionId, entry: input.rollback?.stage ?? null, retry: null, rollback: input.rollback ?? null };
  await deps.pipelineEvents.putPipelineEvents([pipelineEvent(eventContext(deps, run), "STARTED", { trigger })]);
  return { run, error: null };
}

export async function finishExecution(deps: PipelineDeps, run: Run): Promise<{ status: "Succeeded"; pipelineExecutionId: string }> {
  await deps.pipelines.updateExecution(run.pipeline, run.pipelineExecutionId, (x) => ({ ...x, status: "Succeeded", endedAtMs: deps.clock.nowMs() }));
  await deps.pipelineEvents.putPipelineEvents([pipelineEvent(eventContext(deps, run), "SUCCEEDED")]);
  return { status: "Succeeded", pipelineExecutionId: run.pipelineExecutionId };
}
