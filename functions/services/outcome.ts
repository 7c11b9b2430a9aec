import { type FinalState, recordStatusOf } from "../domain/deployment/outcome.js";
import { ErrorNames } from "../domain/errors.js";
import type { Deps } from "../wiring.js";

/**
 * Records how a deployment ended, through the one status mapping (domain/deployment/outcome.ts). Repeating it
 * is a no-op; a deployment that already ended otherwise keeps its first ending (DeploymentAlreadyCompleted).
 */
export async function recordOutcome(deps: Pick<Deps, "registry">, deploymentId: string, ending: { state: FinalState; error?: string; reason?: string }): Promise<string> {
  const status = recordStatusOf(ending.state);
  if (status === "Succeeded") await deps.registry.markSucceeded(deploymentId);
  else await deps.registry.changeStatus(deploymentId, { to: status, errorName: ending.error ?? ErrorNames.ExecutionFailed, reason: ending.reason ?? "no reason reported" });
  return status;
}
