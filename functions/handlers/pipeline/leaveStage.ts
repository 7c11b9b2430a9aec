import type { DeclaredStage, Run } from "../../services/pipeline/context.js";
import { leaveStage } from "../../services/pipeline/stages.js";
import { realDeps } from "../../wiring.js";
import { type PipelineHandlerDeps, pipelineDeps } from "./deps.js";

/** <Stage>(leave): the stage succeeded; record it, emit, hand the stage to the execution waiting there. */
export function createHandler(deps: PipelineHandlerDeps) {
  return (event: { run: Run; stage: DeclaredStage }) => leaveStage(pipelineDeps(deps), event.run, event.stage);
}

export const handler = createHandler(realDeps());
