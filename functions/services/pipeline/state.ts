import { openGate } from "../../domain/pipeline/execution/stage-gate.js";
import type { Pipeline } from "../../domain/pipeline/types.js";
import type { PipelineDeps } from "./context.js";

/**
 * `stepdeploy pipeline state`: CodePipeline's GetPipelineState, from the registry. A stage's latest
 * execution is the newest execution that has a record for it; its actions' latest executions come
 * from that record (a waiting approval shows its token, as GetPipelineState does).
 */
export interface PipelineStateView {
  pipelineName: string;
  pipelineVersion: number;
  stageStates: {
    stageName: string;
    inboundTransitionState: { enabled: boolean; disabledReason?: string };
    latestExecution?: { pipelineExecutionId: string; status: string };
    waiting: string[];
    actionStates: { actionName: string; latestExecution?: { status: string; lastStatusChange: string; summary?: string; externalExecutionId?: string; errorDetails?: { code: string; message: string }; token?: string } }[];
  }[];
}

export async function pipelineState(deps: PipelineDeps, pipeline: Pipeline, history = 50): Promise<PipelineStateView> {
  const executions = await deps.pipelines.listExecutions(pipeline.name, history);
  const stageStates = [];
  for (const stage of pipeline.stages) {
    const gate = await deps.pipelines.updateGate(pipeline.name, stage.name, { ...openGate(), transition: stage.inboundTransition }, (g) => ({ gate: g, result: g }));
    const latest = executions.find((e) => e.stages[stage.name] !== undefined);
    const record = latest?.stages[stage.name];
    stageStates.push({
      stageName: stage.name,
      inboundTransitionState: gate.transition.enabled ? { enabled: true } : { enabled: false, disabledReason: gate.transition.reason },
      ...(latest && record && { latestExecution: { pipelineExecutionId: latest.executionId, status: record.status } }),
      waiting: gate.waiting.map((w) => w.executionId),
      actionStates: stage.actions.map((a) => {
        const r = record?.actions[a.name];
        if (!r) return { actionName: a.name };
        return {
          actionName: a.name,
          latestExecution: {
            status: r.status,
            lastStatusChange: new Date(r.endedAtMs ?? r.startedAtMs).toISOString(),
            ...(r.summary !== undefined && { summary: r.summary }),
            ...(r.externalExecutionId !== undefined && { externalExecutionId: r.externalExecutionId }),
            ...(r.errorCode !== undefined && { errorDetails: { code: r.errorCode, message: r.summary ?? "" } }),
            ...(r.status === "InProgress" && r.approvalToken !== undefined && { token: r.approvalToken }),
          },
        };
      }),
    });
  }
  return { pipelineName: pipeline.name, pipelineVersion: pipeline.version, stageStates };
}
