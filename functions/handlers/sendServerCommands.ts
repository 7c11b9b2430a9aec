import { sendBatch } from "../services/server/commands.js";
import type { DeploymentContext } from "../services/server/state.js";
import { type Deps, realDeps } from "../wiring.js";

/** Send one batch of instances its install command through SSM Run Command. */
export function createHandler(deps: Pick<Deps, "runCommand" | "log">) {
  return async (event: { deployment: DeploymentContext; batch: string[] }) => ({ commands: await sendBatch(deps, event.deployment, event.batch) });
}

export const handler = createHandler(realDeps());
