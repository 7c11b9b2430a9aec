import type { ActionTypeId } from "../types.js";

/**
 * CodePipeline's EventBridge events, same detail-types and detail fields (codepipeline-spec §3.2;
 * user guide detect-state-changes-cloudwatch-events), with source `stepdeploy`: the `aws.` prefix
 * belongs to AWS services, so a rule written for CodePipeline needs only its `source` changed.
 */
export const EVENT_SOURCE = "stepdeploy";
export const DETAIL_TYPES = {
  pipeline: "CodePipeline Pipeline Execution State Change",
  stage: "CodePipeline Stage Execution State Change",
  action: "CodePipeline Action Execution State Change",
} as const;

export type PipelineEventState = "STARTED" | "STOPPING" | "STOPPED" | "SUCCEEDED" | "FAILED" | "CANCELED" | "RESUMED" | "SUPERSEDED";
export type StageEventState = "STARTED" | "STOPPING" | "STOPPED" | "SUCCEEDED" | "FAILED" | "CANCELED" | "RESUMED";
export type ActionEventState = "STARTED" | "SUCCEEDED" | "FAILED" | "ABANDONED" | "CANCELED";

export interface ExecutionContext {
  pipeline: string;
  executionId: string;
  version: number;
  /** 1 for the first attempt; a retry of a failed stage counts up (`pipeline-execution-attempt`). */
  attempt: number;
  region: string;
  account: string;
}

export interface ArtifactLocation {
  name: string;
  s3location: { bucket: string; key: string };
}

export interface ExecutionResult {
  "external-execution-url"?: string;
  "external-execution-summary"?: string;
  "external-execution-id"?: string;
  "error-code"?: string;
}

/** One PutEvents entry (Detail as a JSON string, as the API takes it). */
export interface EventEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  Resources: string[];
}

export function pipelineArn(ctx: ExecutionContext): string {
  return `arn:aws:codepipeline:${ctx.region}:${ctx.account}:${ctx.pipeline}`;
}

function entry(ctx: ExecutionContext, detailType: string, detail: Record<string, unknown>): EventEntry {
  const common = { pipeline: ctx.pipeline, "execution-id": ctx.executionId, version: ctx.version, "pipeline-execution-attempt": ctx.attempt };
  return { Source: EVENT_SOURCE, DetailType: detailType, Detail: JSON.stringify({ ...common, ...detail }), Resources: [pipelineArn(ctx)] };
}

export function pipelineEvent(ctx: ExecutionContext, state: PipelineEventState, extra: { trigger?: { type: string; detail?: string }; stopComments?: string } = {}): EventEntry {
  return entry(ctx, DETAIL_TYPES.pipeline, {
    state,
    ...(extra.trigger && { "execution-trigger": { "trigger-type": extra.trigger.type, ...(extra.trigger.detail !== undefined && { "trigger-detail": extra.trigger.detail }) } }),
    ...(extra.stopComments !== undefined && { "stop-execution-comments": extra.stopComments }),
  });
}

export function stageEvent(ctx: ExecutionContext, stage: string, state: StageEventState): EventEntry {
  return entry(ctx, DETAIL_TYPES.stage, { stage, state });
}

export interface ActionEventInput {
  stage: string;
  action: string;
  /** The action's region, or the pipeline's. */
  region?: string;
  type: ActionTypeId;
  inputArtifacts?: ArtifactLocation[];
  outputArtifacts?: ArtifactLocation[];
  result?: ExecutionResult;
}

export function actionEvent(ctx: ExecutionContext, state: ActionEventState, a: ActionEventInput): EventEntry {
  const { owner, category, provider, version } = a.type;
  return entry(ctx, DETAIL_TYPES.action, {
    stage: a.stage,
    action: a.action,
    state,
    region: a.region ?? ctx.region,
    type: { owner, category, provider, version },
    ...(a.inputArtifacts && { "input-artifacts": a.inputArtifacts }),
    ...(a.outputArtifacts && { "output-artifacts": a.outputArtifacts }),
    ...(a.result && { "execution-result": a.result }),
  });
}
