import { type CaughtFailure, concludeFailure, type Outcome } from "../domain/deployment/outcome.js";
import type { LambdaDeployment } from "../domain/deployment/state.js";
import { withDeployment } from "../lib/logger.js";

export interface ConcludeFailureEvent {
  deployment: Pick<LambdaDeployment, "deploymentId" | "autoRollback">;
  failure: CaughtFailure;
}

/** Names the failure, picks FAILURE or STOP, and decides whether autoRollback applies. */
export async function handler(event: ConcludeFailureEvent): Promise<Outcome> {
  const outcome = concludeFailure(event.failure, event.deployment.autoRollback);
  withDeployment(event.deployment.deploymentId).warn("deployment failed", { outcome });
  return outcome;
}
