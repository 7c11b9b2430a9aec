import type { ServerRun } from "../domain/fleet/run.js";
import { openServerWait } from "../services/server/blue-green.js";
import { type Deps, realDeps } from "../wiring.js";

/** A blue/green server deployment's ready or termination wait (a `.waitForTaskToken` task): continue, stop or an alarm answers it. */
export function createHandler(deps: Pick<Deps, "registry" | "callbacks" | "stepFunctions" | "alarms" | "clock" | "log">) {
  return (event: { run: ServerRun; kind: "ready" | "termination"; taskToken: string }) => openServerWait(deps, event);
}

export const handler = createHandler(realDeps());
