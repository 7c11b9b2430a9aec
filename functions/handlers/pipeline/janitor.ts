import { releaseDeadExecution } from "../../services/pipeline/triggers.js";
import { realDeps } from "../../wiring.js";
import { type PipelineHandlerDeps, pipelineDeps } from "./deps.js";

/** A pipeline execution that was stopped, timed out or crashed (Step Functions status change): release its stages, close its record, emit. */
export function createHandler(deps: PipelineHandlerDeps) {
  return async (event: { detail?: Record<string, string> }) => {
    const out = await releaseDeadExecution({ ...pipelineDeps(deps), pipelinesConfig: deps.config.pipeline.pipelines }, event);
    deps.log().info(out.released ? "released a dead pipeline execution" : "not a pipeline execution of this stack", { execution: event.detail?.["name"], status: event.detail?.["status"] });
    return out;
  };
}

export const handler = createHandler(realDeps());
