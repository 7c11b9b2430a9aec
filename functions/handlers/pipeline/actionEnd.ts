import { type DeclaredAction, endAction } from "../../services/pipeline/actions.js";
import type { Run } from "../../services/pipeline/context.js";
import { realDeps } from "../../wiring.js";
import { type PipelineHandlerDeps, pipelineDeps, runLog } from "./deps.js";

/** <Stage>.<Action>(ok) and (error): record the outcome with its variables and artifacts, emit SUCCEEDED or FAILED. */
export interface ActionEndEvent {
  run: Run;
  action: DeclaredAction;
  status: "Succeeded" | "Failed";
  request?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { Error?: string; Cause?: string };
}

export function createHandler(deps: PipelineHandlerDeps) {
  return async (event: ActionEndEvent) => {
    const outcome = event.status === "Succeeded" ? { status: "Succeeded" as const, request: event.request ?? {}, result: event.result ?? {} } : { status: "Failed" as const, ...(event.error && { error: event.error }) };
    const out = await endAction(pipelineDeps(deps), event.run, event.action, outcome);
    runLog(deps, event.run).info(`action ${out.failed ? "failed" : "succeeded"}`, { stage: event.action.stage, action: event.action.name, ...(event.error && { error: event.error.Error }) });
    return out;
  };
}

export const handler = createHandler(realDeps());
