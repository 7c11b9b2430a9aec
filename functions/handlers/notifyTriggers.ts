import { type DeploymentEvent, notifyTriggers, type TriggerDeps } from "../services/group-triggers.js";
import { realDeps } from "../wiring.js";

/**
 * A rule on the stack's bus hands every deployment event here; the group's triggers get CodeDeploy's SNS
 * notifications for it (DeploymentStart, Success, Failure, Stop, Rollback). docs/groups.md#triggers.
 */
export function createHandler(deps: TriggerDeps) {
  return (event: DeploymentEvent) => notifyTriggers(deps, event);
}

export const handler = createHandler(realDeps());
