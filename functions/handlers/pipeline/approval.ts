import type { DeclaredAction } from "../../services/pipeline/actions.js";
import type { Run } from "../../services/pipeline/context.js";
import { awaitApproval } from "../../services/pipeline/operators.js";
import { type Deps, realDeps } from "../../wiring.js";
import { type PipelineHandlerDeps, pipelineDeps, runLog } from "./deps.js";

/** A manual approval (`.waitForTaskToken`, timed out by timeoutInMinutes): keep the token on the action, notify SNS if NotificationArn is set. */
export interface ApprovalEvent {
  run: Run;
  action: DeclaredAction;
  request: { message: Record<string, unknown>; notificationArn?: string };
  taskToken: string;
}

export function createHandler(deps: PipelineHandlerDeps & Pick<Deps, "notifications">) {
  return async (event: ApprovalEvent) => {
    await awaitApproval({ ...pipelineDeps(deps), notifications: deps.notifications }, event.run, event.action, event.request, event.taskToken);
    runLog(deps, event.run).info("waiting for approval", { stage: event.action.stage, action: event.action.name, notified: event.request.notificationArn ?? null });
  };
}

export const handler = createHandler(realDeps());
