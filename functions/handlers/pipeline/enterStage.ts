import type { DeclaredStage, Run } from "../../services/pipeline/context.js";
import { enterStage } from "../../services/pipeline/stages.js";
import { realDeps } from "../../wiring.js";
import { type PipelineHandlerDeps, pipelineDeps, runLog } from "./deps.js";

/**
 * <Stage>(enter), a `.waitForTaskToken` task: take the stage's lock and answer the token, or wait at the
 * entrance (lock held, transition disabled) and leave the token to whoever releases it.
 */
export function createHandler(deps: PipelineHandlerDeps) {
  return async (event: { run: Run; stage: DeclaredStage; taskToken: string }) => {
    const out = await enterStage(pipelineDeps(deps), event.run, event.stage, event.taskToken);
    runLog(deps, event.run).info(out.entered ? "entered stage" : "waiting at stage entrance", { stage: event.stage.name });
    return out;
  };
}

export const handler = createHandler(realDeps());
