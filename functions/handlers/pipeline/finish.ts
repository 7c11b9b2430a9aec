import type { Run } from "../../services/pipeline/context.js";
import { finishExecution } from "../../services/pipeline/executions.js";
import { realDeps } from "../../wiring.js";
import { type PipelineHandlerDeps, pipelineDeps, runLog } from "./deps.js";

/** Succeeded(pipeline): record Succeeded, emit SUCCEEDED. */
export function createHandler(deps: PipelineHandlerDeps) {
  return async (event: { run: Run }) => {
    const out = await finishExecution(pipelineDeps(deps), event.run);
    runLog(deps, event.run).info("pipeline execution succeeded");
    return out;
  };
}

export const handler = createHandler(realDeps());
