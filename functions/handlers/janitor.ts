import { cleanUpDeadExecution, type ExecutionStatusChangeEvent, type JanitorDeps } from "../services/janitor.js";
import { realDeps } from "../wiring.js";

/** Step Functions "Execution Status Change" (ABORTED, TIMED_OUT, FAILED): close what a dead execution left open. */
export function createHandler(deps: JanitorDeps) {
  return (event: ExecutionStatusChangeEvent) => cleanUpDeadExecution(deps, event);
}

export const handler = createHandler(realDeps());
