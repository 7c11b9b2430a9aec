import type { DeclaredStage, Run } from "../../services/pipeline/context.js";
import { failStage } from "../../services/pipeline/stages.js";
import { realDeps } from "../../wiring.js";
import { type PipelineHandlerDeps, pipelineDeps, runLog } from "./deps.js";

/** <Stage>(failed): release the lock, record, emit, and decide FAIL, an automatic RETRY or ROLLBACK. */
export function createHandler(deps: PipelineHandlerDeps) {
  return async (event: { state: { run: Run; error?: { Error?: string; Cause?: string } | null }; stage: DeclaredStage }) => {
    const answer = await failStage(pipelineDeps(deps), event.state.run, event.stage, event.state.error ?? undefined);
    runLog(deps, event.state.run).warn("stage failed", { stage: event.stage.name, next: answer.next, cause: answer.cause });
    return answer;
  };
}

export const handler = createHandler(realDeps());
