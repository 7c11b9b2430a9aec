import { getWaiting } from "../../adapters/dynamodb-callbacks.js";
import { sendTaskSuccess } from "../../adapters/sfn.js";
import { ErrorNames, StepDeployError } from "../../domain/errors.js";

export interface ContinueResult {
  deploymentId: string;
  /** The wait that was ended. */
  wait: "ready" | "termination";
  delivered: boolean;
}

/**
 * `stepdeploy continue <id>`: CodeDeploy's ContinueDeployment. Without `terminationWait` it ends the ready wait
 * (deploymentWaitType READY_WAIT: production traffic starts moving); with it, the termination wait
 * (TERMINATION_WAIT: the original task set is removed now). Answers the wait's task token with success; a
 * deployment that is not in that wait is refused with what it is doing instead, and nothing changes.
 */
export async function continueDeployment(deploymentId: string, opts: { terminationWait?: boolean } = {}): Promise<ContinueResult> {
  const wait = opts.terminationWait ? "termination" : "ready";
  const waiting = await getWaiting(deploymentId);
  if (waiting?.kind !== wait) {
    const now = waiting ? `it is waiting in a ${waiting.kind}` : "it is not waiting (running a step, or finished)";
    throw new StepDeployError(ErrorNames.InvalidInput, `${deploymentId} is not in its ${wait} wait: ${now}${wait === "ready" && waiting?.kind === "termination" ? "; use --termination-wait" : ""}`);
  }
  const delivered = await sendTaskSuccess(waiting.token, { action: "continue", wait });
  return { deploymentId, wait, delivered };
}
