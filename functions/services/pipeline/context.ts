import type { ExecutionContext } from "../../domain/pipeline/execution/events.js";
import type { ArtifactStore, ExecutionMode, PipelineVariable, Stage } from "../../domain/pipeline/types.js";
import type { PipelineEventsPort } from "../../ports/pipeline-events.js";
import type { PipelineExecution, PipelineRegistryPort } from "../../ports/pipeline-registry.js";
import type { TaskAnswersPort } from "../../ports/pipeline-tasks.js";

/** What the pipeline services touch: the registry, Step Functions' task answers, the event bus, time, settings. */
export interface PipelineDeps {
  pipelines: PipelineRegistryPort;
  tasks: TaskAnswersPort;
  pipelineEvents: PipelineEventsPort;
  clock: { nowMs(): number };
  config: { region: string; account: string; gitFetchProject: string };
}

/** The pipeline as compiled into Start(pipeline)'s payload. */
export interface DeclaredPipeline {
  name: string;
  pipelineType: string;
  executionMode: ExecutionMode;
  version: number;
  stages: string[];
  variables: PipelineVariable[];
  artifactStore?: ArtifactStore;
  artifactStores?: Record<string, ArtifactStore>;
}

/** A stage as compiled into its states' payloads. */
export type DeclaredStage = Pick<Stage, "name" | "onFailure" | "inboundTransition"> & { index: number; actions: string[] };

/** `$.run`: what every state of an execution carries. */
export interface Run {
  pipeline: string;
  pipelineExecutionId: string;
  executionMode: ExecutionMode;
  version: number;
  artifactStore?: ArtifactStore;
  artifactStores?: Record<string, ArtifactStore>;
  /** The stage a retry or rollback execution enters at; null for a new execution. */
  entry: string | null;
  retry: { stage: string; mode: "FAILED_ACTIONS" | "ALL_ACTIONS" } | null;
  rollback: { targetPipelineExecutionId: string; stage: string } | null;
}

export function eventContext(deps: PipelineDeps, run: Pick<Run, "pipeline" | "pipelineExecutionId" | "version">, attempt = 1): ExecutionContext {
  return { pipeline: run.pipeline, executionId: run.pipelineExecutionId, version: run.version, attempt, region: deps.config.region, account: deps.config.account };
}

/** Sets one stage's record (creating it on first entry). */
export function withStage(e: PipelineExecution, stage: string, change: (s: PipelineExecution["stages"][string]) => PipelineExecution["stages"][string]): PipelineExecution {
  const current = e.stages[stage] ?? { status: "InProgress", attempt: 1, automaticRetries: 0, actions: {} };
  return { ...e, stages: { ...e.stages, [stage]: change(current) } };
}
