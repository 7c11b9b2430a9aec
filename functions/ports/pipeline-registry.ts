import type { ArtifactRef } from "../domain/pipeline/execution/artifacts.js";
import type { StageGate } from "../domain/pipeline/execution/stage-gate.js";
import type { ActionTypeId } from "../domain/pipeline/types.js";

/**
 * The pipeline registry: one record per pipeline execution (CodePipeline's PipelineExecution with its
 * stage and action executions, the variables its actions emitted and the artifacts they produced),
 * and one gate per stage shared by all executions (who holds it, who waits, the transition). Updates
 * are functions of the current value, applied atomically (the DynamoDB adapter does a conditional
 * write on a version and re-applies on conflict), so concurrent executions never lose a change.
 */
export type PipelineExecutionStatus = "InProgress" | "Stopping" | "Stopped" | "Succeeded" | "Superseded" | "Failed" | "Cancelled";
export type StageExecutionStatus = "InProgress" | "Failed" | "Stopped" | "Stopping" | "Succeeded" | "Skipped" | "Cancelled";
export type ActionExecutionStatus = "InProgress" | "Abandoned" | "Succeeded" | "Failed";

export interface ActionExecution {
  status: ActionExecutionStatus;
  type: ActionTypeId;
  /** Which stage attempt ran it (a FAILED_ACTIONS retry keeps what succeeded in the earlier attempt). */
  stageAttempt: number;
  startedAtMs: number;
  endedAtMs?: number;
  externalExecutionId?: string;
  summary?: string;
  errorCode?: string;
  /** A waiting manual approval's task token. */
  approvalToken?: string;
}

export interface StageExecution {
  status: StageExecutionStatus;
  /** 1, then +1 per retry (automatic or manual). */
  attempt: number;
  automaticRetries: number;
  actions: Record<string, ActionExecution>;
}

export interface PipelineExecution {
  pipeline: string;
  executionId: string;
  version: number;
  status: PipelineExecutionStatus;
  executionType: "STANDARD" | "ROLLBACK";
  rollback?: { targetPipelineExecutionId: string; stage: string };
  trigger: { type: string; detail?: string };
  startedAtMs: number;
  endedAtMs?: number;
  /** Resolved pipeline variables (`#{variables.name}`). */
  variables: Record<string, string>;
  /** Output variables by namespace (`#{Namespace.Var}`). */
  namespaces: Record<string, Record<string, string>>;
  /** Artifacts produced so far, by artifact name. */
  artifacts: Record<string, ArtifactRef>;
  /** Source revisions pinned at the start, by source action name. */
  sourceRevisions: Record<string, Record<string, string>>;
  stages: Record<string, StageExecution>;
}

export interface PipelineRegistryPort {
  /** Creates the record; an existing record with the same id is returned unchanged (a retried start). */
  createExecution(execution: PipelineExecution): Promise<PipelineExecution>;
  getExecution(pipeline: string, executionId: string): Promise<PipelineExecution | undefined>;
  updateExecution(pipeline: string, executionId: string, change: (current: PipelineExecution) => PipelineExecution): Promise<PipelineExecution>;
  /** Applies `change` to the stage's gate (an open gate when there is none yet) and returns its result. */
  updateGate<T>(pipeline: string, stage: string, initial: StageGate, change: (gate: StageGate) => { gate: StageGate; result: T }): Promise<T>;
  /** The most recent execution whose stage `stage` succeeded, under structure version `version`. */
  lastSucceededInStage(pipeline: string, stage: string, version: number): Promise<PipelineExecution | undefined>;
  /** Newest first. */
  listExecutions(pipeline: string, limit: number): Promise<PipelineExecution[]>;
}
