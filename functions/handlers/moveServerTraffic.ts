import type { TrafficEvent } from "../domain/fleet/traffic.js";
import type { DeploymentContext, InstanceOutcome } from "../services/server/state.js";
import { beginTraffic, type TrafficDeps } from "../services/server/traffic.js";
import { realDeps } from "../wiring.js";

/** BlockTraffic (deregister) or AllowTraffic (register) of a batch's instances still succeeding, in every target group. */
export function createHandler(deps: TrafficDeps) {
  return (event: { deployment: DeploymentContext; event: TrafficEvent; outcomes: InstanceOutcome[]; segment?: number }) => beginTraffic(deps, event.deployment, event.event, event.outcomes, event.segment);
}

export const handler = createHandler(realDeps());
