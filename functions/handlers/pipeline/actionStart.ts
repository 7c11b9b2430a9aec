import { type DeclaredAction, startAction } from "../../services/pipeline/actions.js";
import type { Run } from "../../services/pipeline/context.js";
import { realDeps } from "../../wiring.js";
import { type PipelineHandlerDeps, pipelineDeps } from "./deps.js";

/** <Stage>.<Action>(start): skip what a FAILED_ACTIONS retry keeps, resolve variables, record, emit STARTED, build the provider's request. */
export function createHandler(deps: PipelineHandlerDeps) {
  return (event: { run: Run; action: DeclaredAction }) => startAction(pipelineDeps(deps), event.run, event.action);
}

export const handler = createHandler(realDeps());
