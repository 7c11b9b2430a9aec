import { type CaughtFailure, concludeFailure, type Outcome } from "../domain/deployment/outcome.js";
import type { LambdaDeployment } from "../domain/deployment/state.js";
import { type Deps, realDeps } from "../wiring.js";

export interface ConcludeFailureEvent {
  deployment: Pick<LambdaDeployment, "deploymentId" | "autoRollback">;
  failure: CaughtFailure;
}

/** Names the failure, picks FAILURE or STOP, and decides whether autoRollback applies. */
export function createHandler(deps: Pick<Deps, "log">) {
  return async (event: ConcludeFailureEvent): Promise<Outcome> => {
    const outcome = concludeFailure(event.failure, event.deployment.autoRollback);
    deps.log(event.deployment.deploymentId).warn("deployment failed", { outcome });
    return outcome;
  };
}

export const handler = createHandler(realDeps());
