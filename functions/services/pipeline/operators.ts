import { PipelineError, PipelineErrorNames } from "../../domain/pipeline/errors.js";
import { actionEvent, pipelineEvent, stageEvent } from "../../domain/pipeline/execution/events.js";
import { disableTransition, enableTransition, openGate, release } from "../../domain/pipeline/execution/stage-gate.js";
import type { ExecutionMode } from "../../domain/pipeline/types.js";
import type { NotificationsPort } from "../../ports/pipeline-notifications.js";
import type { PipelineExecution } from "../../ports/pipeline-registry.js";
import type { DeclaredAction } from "./actions.js";
import { eventContext, type PipelineDeps, type Run, withStage } from "./context.js";

/**
 * What operators and the stack do to running executions: wait for and answer manual approvals,
 * disable and enable transitions, and free the stages of an execution that died.
 */

/** The approval task: keep its token on the action's record, then notify (SNS if NotificationArn is set). */
export async function awaitApproval(deps: PipelineDeps & { notifications: NotificationsPort }, run: Run, action: DeclaredAction, request: { message: Record<string, unknown>; notificationArn?: string }, taskToken: string): Promise<void> {
  await deps.pipelines.updateExecution(run.pipeline, run.pipelineExecutionId, (x) =>
    withStage(x, action.stage, (s) => {
      const current = s.actions[action.name];
      if (!current) throw new PipelineError(PipelineErrorNames.ActionFailed, `approval ${action.stage}.${action.name} was not started`);
      return { ...s, actions: { ...s.actions, [action.name]: { ...current, approvalToken: taskToken } } };
    }),
  );
  if (request.notificationArn) await deps.notifications.publish(request.notificationArn, `APPROVAL NEEDED: ${run.pipeline} ${action.stage}.${action.name}`, JSON.stringify(request.message));
}

export interface ApprovalAnswer {
  pipeline: string;
  stage: string;
  action: string;
  status: "Approved" | "Rejected";
  summary?: string;
  by?: string;
  /** Which execution; the one waiting at that approval when absent. */
  executionId?: string;
}

/** PutApprovalResult: answer the waiting approval's token. Errors name what is wrong (no such approval, already answered). */
export async function answerApproval(deps: PipelineDeps, answer: ApprovalAnswer): Promise<{ executionId: string }> {
  const candidates = answer.executionId ? [await deps.pipelines.getExecution(answer.pipeline, answer.executionId)] : await deps.pipelines.listExecutions(answer.pipeline, 50);
  const waiting = candidates.find((e): e is PipelineExecution => {
    const a = e?.stages[answer.stage]?.actions[answer.action];
    return a?.status === "InProgress" && a.approvalToken !== undefined;
  });
  if (!waiting) throw new PipelineError(PipelineErrorNames.ActionFailed, `no execution of ${answer.pipeline} is waiting at approval ${answer.stage}.${answer.action}${answer.executionId ? ` (execution ${answer.executionId})` : ""}`);
  const token = waiting.stages[answer.stage]?.actions[answer.action]?.approvalToken as string;
  const delivered =
    answer.status === "Approved"
      ? await deps.tasks.sendTaskSuccess(token, { status: "Approved", ...(answer.summary && { summary: answer.summary }), ...(answer.by && { approvedBy: answer.by }) })
      : await deps.tasks.sendTaskFailure(token, PipelineErrorNames.ApprovalRejected, `rejected${answer.by ? ` by ${answer.by}` : ""}${answer.summary ? `: ${answer.summary}` : ""}`);
  if (!delivered) throw new PipelineError(PipelineErrorNames.ActionFailed, `approval ${answer.stage}.${answer.action} of execution ${waiting.executionId} was already answered or has timed out`);
  return { executionId: waiting.executionId };
}

async function admitAll(deps: PipelineDeps, pipeline: string, stage: string, admitted: { executionId: string; token: string }[]): Promise<void> {
  for (const w of admitted) {
    const e = await deps.pipelines.updateExecution(pipeline, w.executionId, (x) => withStage(x, stage, (s) => ({ ...s, status: "InProgress" })));
    await deps.pipelineEvents.putPipelineEvents([stageEvent(eventContext(deps, { pipeline, pipelineExecutionId: w.executionId, version: e.version }), stage, "STARTED")]);
    await deps.tasks.sendTaskSuccess(w.token, { entered: stage });
  }
}

export async function setTransition(deps: PipelineDeps, pipeline: string, stage: string, mode: ExecutionMode, change: { enabled: false; reason: string } | { enabled: true }): Promise<{ admitted: string[] }> {
  const admitted = await deps.pipelines.updateGate(pipeline, stage, openGate(), (g) => {
    if (!change.enabled) return { gate: disableTransition(g, change.reason), result: [] };
    const d = enableTransition(g, mode);
    return { gate: d.gate, result: d.admit };
  });
  await admitAll(deps, pipeline, stage, admitted);
  return { admitted: admitted.map((w) => w.executionId) };
}

/**
 * An execution stopped, timed out or failed outside its own failure path (StopExecution, a crash): its
 * stages are released to whoever waits, its waiting places given up, its record closed and a final
 * event sent. Driven by Step Functions' "Execution Status Change" events, like the deployments' janitor.
 */
export async function abandonExecution(deps: PipelineDeps, pipeline: string, stages: string[], mode: ExecutionMode, executionId: string, status: "Stopped" | "Failed"): Promise<void> {
  const e = await deps.pipelines.getExecution(pipeline, executionId);
  if (e?.status !== "InProgress") return;
  for (const stage of stages) {
    const admitted = await deps.pipelines.updateGate(pipeline, stage, openGate(), (g) => {
      const d = release(g, executionId, mode);
      return { gate: d.gate, result: d.admit };
    });
    await admitAll(deps, pipeline, stage, admitted);
  }
  const closed = await deps.pipelines.updateExecution(pipeline, executionId, (x) => {
    const stagesClosed = Object.fromEntries(
      Object.entries(x.stages).map(([name, s]) => [name, s.status === "InProgress" ? { ...s, status, actions: Object.fromEntries(Object.entries(s.actions).map(([a, r]) => [a, r.status === "InProgress" ? { ...r, status: "Abandoned" as const, endedAtMs: deps.clock.nowMs() } : r])) } : s]),
    );
    return { ...x, status, endedAtMs: deps.clock.nowMs(), stages: stagesClosed as PipelineExecution["stages"] };
  });
  const ctx = eventContext(deps, { pipeline, pipelineExecutionId: executionId, version: closed.version });
  const abandoned = Object.entries(e.stages).flatMap(([stage, s]) => Object.entries(s.actions).filter(([, a]) => a.status === "InProgress").map(([action, a]) => ({ stage, action, type: a.type })));
  await deps.pipelineEvents.putPipelineEvents([
    ...abandoned.map((a) => actionEvent(ctx, "ABANDONED", a)),
    pipelineEvent(ctx, status === "Stopped" ? "STOPPED" : "FAILED"),
  ]);
}
