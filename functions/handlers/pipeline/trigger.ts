import { startTriggeredExecutions } from "../../services/pipeline/triggers.js";
import { type Deps, realDeps } from "../../wiring.js";

/** An S3 upload, ECR push or CodeCommit branch update (EventBridge) -> an execution of each pipeline that watches it, with the revision pinned. */
export function createHandler(deps: Pick<Deps, "executions" | "config" | "log">) {
  return async (event: Record<string, unknown>) => {
    const out = await startTriggeredExecutions(deps, event);
    deps.log().info(out.started.length ? "pipeline executions started" : "no pipeline watches this event", { source: event["source"], started: out.started });
    return out;
  };
}

export const handler = createHandler(realDeps());
