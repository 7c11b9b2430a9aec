import { PipelineErrorNames } from "../../domain/pipeline/errors.js";
import { stageEvent, pipelineEvent } from "../../domain/pipeline/execution/events.js";
import { jobId } from "../../domain/pipeline/execution/jobs.js";
import { decideStageFailure } from "../../domain/pipeline/execution/stage-failure.js";
import { arrive, type GateDecision, release, type StageGate } from "../../domain/pipeline/execution/stage-gate.js";
import { type DeclaredStage, eventContext, type PipelineDeps, type Run, withStage } from "./context.js";

/**
 * A stage's entrance and exits, applying the pure gate and failure decisions through the registry:
 * whoever a decision admits gets its stage record, a STARTED event and its token answered; whoever it
 * supersedes ends Superseded with an event and `Pipeline.Superseded` on its token.
 */
function initialGate(stage: DeclaredStage): StageGate {
  return { waiting: [], transition: stage.inboundTransition };
}

async function gate(deps: PipelineDeps, run: Run, stage: DeclaredStage, change: (g: StageGate) => GateDecision): Promise<GateDecision> {
  return deps.pipelines.updateGate(run.pipeline, stage.name, initialGate(stage), (g) => {
    const d = change(g);
    return { gate: d.gate, result: d };
  });
}

async function admit(deps: PipelineDeps, run: Run, stage: string, executionId: string, token: string): Promise<void> {
  const e = await deps.pipelines.updateExecution(run.pipeline, executionId, (x) => withStage(x, stage, (s) => ({ ...s, status: "InProgress" })));
  await deps.pipelineEvents.putPipelineEvents([stageEvent(eventContext(deps, { ...run, pipelineExecutionId: executionId, version: e.version }, e.stages[stage]?.attempt), stage, "STARTED")]);
  await deps.tasks.sendTaskSuccess(token, { entered: stage });
}

async function apply(deps: PipelineDeps, run: Run, stage: string, d: GateDecision): Promise<void> {
  for (const s of d.supersede) {
    const e = await deps.pipelines.updateExecution(run.pipeline, s.executionId, (x) => ({ ...x, status: "Superseded", endedAtMs: deps.clock.nowMs() }));
    await deps.pipelineEvents.putPipelineEvents([pipelineEvent(eventContext(deps, { ...run, pipelineExecutionId: s.executionId, version: e.version }), "SUPERSEDED")]);
    await deps.tasks.sendTaskFailure(s.token, PipelineErrorNames.Superseded, `superseded at the entrance of stage ${stage} by execution ${run.pipelineExecutionId}`);
  }
  for (const w of d.admit) await admit(deps, run, stage, w.executionId, w.token);
}

export async function enterStage(deps: PipelineDeps, run: Run, stage: DeclaredStage, taskToken: string): Promise<{ entered: boolean }> {
  const d = await gate(deps, run, stage, (g) => arrive(g, { executionId: run.pipelineExecutionId, token: taskToken }, run.executionMode));
  await apply(deps, run, stage.name, d);
  if (d.entered) await admit(deps, run, stage.name, run.pipelineExecutionId, taskToken);
  return { entered: d.entered };
}

/** The stage succeeded: record, emit, hand the stage to the next waiter. A rollback execution ends here. */
export async function leaveStage(deps: PipelineDeps, run: Run, stage: DeclaredStage): Promise<{ end: boolean }> {
  const e = await deps.pipelines.updateExecution(run.pipeline, run.pipelineExecutionId, (x) => withStage(x, stage.name, (s) => ({ ...s, status: "Succeeded" })));
  await deps.pipelineEvents.putPipelineEvents([stageEvent(eventContext(deps, run, e.stages[stage.name]?.attempt), stage.name, "SUCCEEDED")]);
  await apply(deps, run, stage.name, await gate(deps, run, stage, (g) => release(g, run.pipelineExecutionId, run.executionMode)));
  return { end: run.rollback?.stage === stage.name };
}

export interface FailureAnswer {
  next: "FAIL" | "RETRY" | "ROLLBACK";
  retryMode: "FAILED_ACTIONS" | "ALL_ACTIONS" | null;
  rollback: { name: string; input: string } | null;
  cause: string;
}

/**
 * The stage failed: decide between FAIL, an automatic RETRY and ROLLBACK, record, emit. The stage is
 * released unless it is retried at once: an automatic retry keeps its lock, so no execution waiting
 * at the entrance slips in between the failure and the retry.
 */
export async function failStage(deps: PipelineDeps, run: Run, stage: DeclaredStage, error?: { Error?: string; Cause?: string }): Promise<FailureAnswer> {
  const before = await deps.pipelines.getExecution(run.pipeline, run.pipelineExecutionId);
  const last = await deps.pipelines.lastSucceededInStage(run.pipeline, stage.name, run.version);
  const decision = decideStageFailure({
    onFailure: stage.onFailure,
    mode: run.executionMode,
    stageIndex: stage.index,
    retriesSoFar: before?.stages[stage.name]?.automaticRetries ?? 0,
    ...(last && last.executionId !== run.pipelineExecutionId && { lastSucceeded: last.executionId }),
    isRollback: run.rollback !== null,
  });
  const failedActions = Object.entries(before?.stages[stage.name]?.actions ?? {}).filter(([, a]) => a.status === "Failed").map(([n]) => n);
  const why = error?.Error ? `${error.Error}: ${error.Cause ?? ""}` : failedActions.length ? `failed actions: ${failedActions.join(", ")}` : "the stage failed";
  const cause = `stage ${stage.name} failed (${why}); ${decision.reason}`;
  const final = decision.next !== "RETRY";
  if (final) await apply(deps, run, stage.name, await gate(deps, run, stage, (g) => release(g, run.pipelineExecutionId, run.executionMode)));
  const e = await deps.pipelines.updateExecution(run.pipeline, run.pipelineExecutionId, (x) => {
    const failed = withStage(x, stage.name, (s) => ({ ...s, status: "Failed", ...(decision.next === "RETRY" && { automaticRetries: s.automaticRetries + 1, attempt: s.attempt + 1 }) }));
    return final ? { ...failed, status: "Failed", endedAtMs: deps.clock.nowMs() } : failed;
  });
  const ctx = eventContext(deps, run, e.stages[stage.name]?.attempt);
  await deps.pipelineEvents.putPipelineEvents([stageEvent(ctx, stage.name, "FAILED"), ...(final ? [pipelineEvent(ctx, "FAILED")] : [])]);
  if (decision.next === "RETRY") return { next: "RETRY", retryMode: decision.retryMode, rollback: null, cause };
  if (decision.next === "ROLLBACK") {
    const id = jobId({ pipeline: run.pipeline, executionId: run.pipelineExecutionId, stage: stage.name, action: "rollback", attempt: 1 });
    const input = { pipelineExecutionId: id, rollback: { targetPipelineExecutionId: decision.targetPipelineExecutionId, stage: stage.name }, trigger: { type: "AutomatedRollback", detail: run.pipelineExecutionId } };
    return { next: "ROLLBACK", retryMode: null, rollback: { name: id, input: JSON.stringify(input) }, cause };
  }
  return { next: "FAIL", retryMode: null, rollback: null, cause };
}
