import type { DeclaredPipeline } from "../../services/pipeline/context.js";
import { beginExecution, type ExecutionInput } from "../../services/pipeline/executions.js";
import { realDeps } from "../../wiring.js";
import { type PipelineHandlerDeps, pipelineDeps, runLog } from "./deps.js";

/** Start(pipeline): record the execution (new, manual retry or rollback), resolve its variables, emit STARTED. */
export interface StartEvent {
  input: ExecutionInput;
  pipeline: DeclaredPipeline;
  executionName: string;
}

export function createHandler(deps: PipelineHandlerDeps) {
  return async (event: StartEvent) => {
    const out = await beginExecution(pipelineDeps(deps), event.pipeline, event.input ?? {}, event.executionName);
    runLog(deps, out.run).info("pipeline execution started", { entry: out.run.entry, retry: out.run.retry, rollback: out.run.rollback });
    return out;
  };
}

export const handler = createHandler(realDeps());
