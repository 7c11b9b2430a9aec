import { cleanUpDeadExecution, type ExecutionStatusChangeEvent } from "../services/janitor.js";
import { type Deps, realDeps } from "../wiring.js";

/** Step Functions "Execution Status Change" (ABORTED, TIMED_OUT, FAILED): close what a dead execution left open. */
export function createHandler(deps: Deps) {
  return (event: ExecutionStatusChangeEvent) => cleanUpDeadExecution(deps, event);
}

export const handler = createHandler(realDeps());
