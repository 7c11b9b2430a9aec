import { type StartDeps, type StartEvent, startDeployment } from "../services/start.js";
import { realDeps } from "../wiring.js";

/**
 * Start (a `.waitForTaskToken` task): check the input, take the traffic target's lock or wait in its queue,
 * check the account, record InProgress, answer the token with the prepared deployment.
 */
export function createHandler(deps: StartDeps) {
  return (event: StartEvent) => startDeployment(deps, event);
}

export const handler = createHandler(realDeps());
