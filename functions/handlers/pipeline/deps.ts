import type { PipelineDeps, Run } from "../../services/pipeline/context.js";
import type { Deps } from "../../wiring.js";

/** What the pipeline handlers take from the stack's Deps: the registry, task answers, the bus, time, logs, settings. */
export type PipelineHandlerDeps = Pick<Deps, "pipelines" | "stepFunctions" | "pipelineEvents" | "clock" | "log" | "config">;

/** The services' view of Deps (Step Functions' answering half is the `tasks` port). */
export function pipelineDeps(deps: PipelineHandlerDeps): PipelineDeps {
  return { pipelines: deps.pipelines, tasks: deps.stepFunctions, pipelineEvents: deps.pipelineEvents, clock: deps.clock, config: deps.config.pipeline };
}

/** Every log line of a pipeline handler carries the pipeline and its execution id. */
export function runLog(deps: Pick<Deps, "log">, run: Pick<Run, "pipeline" | "pipelineExecutionId">) {
  return deps.log(undefined, { pipeline: run.pipeline, pipelineExecutionId: run.pipelineExecutionId });
}
