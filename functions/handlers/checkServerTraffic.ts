import type { DeploymentContext } from "../services/server/state.js";
import { checkTraffic, type TrafficDeps, type TrafficStep } from "../services/server/traffic.js";
import { realDeps } from "../wiring.js";

/** Whether a batch's instances are drained (BlockTraffic) or healthy (AllowTraffic) in every target group; fails them at the timeout. */
export function createHandler(deps: TrafficDeps) {
  return (event: { deployment: DeploymentContext; traffic: TrafficStep }) => checkTraffic(deps, event.deployment, event.traffic);
}

export const handler = createHandler(realDeps());
