import type { ServerPhase } from "../domain/server-install/index.js";
import { sendBatch } from "../services/server/commands.js";
import type { DeploymentContext, InstanceOutcome } from "../services/server/state.js";
import { type Deps, realDeps } from "../wiring.js";

/** Send one batch of instances its install command (or one segment of it, around the traffic events) through SSM Run Command. */
export function createHandler(deps: Pick<Deps, "runCommand" | "log">) {
  return (event: { deployment: DeploymentContext; batch: string[]; segment?: number; failed?: InstanceOutcome[]; phase?: ServerPhase }) => sendBatch(deps, event.deployment, event.batch, event.segment, event.failed, event.phase);
}

export const handler = createHandler(realDeps());
