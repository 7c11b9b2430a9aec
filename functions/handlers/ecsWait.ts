import type { EcsDeployment } from "../domain/ecs/deployment.js";
import { openEcsWait } from "../services/ecs/waits.js";
import { type Deps, realDeps } from "../wiring.js";

/** The ready wait or the termination wait (a `.waitForTaskToken` task): store the token and the alarm watches; continue, stop or an alarm answers it. */
export function createHandler(deps: Pick<Deps, "registry" | "callbacks" | "stepFunctions" | "alarms" | "clock" | "log">) {
  return (event: { deployment: EcsDeployment; kind: "ready" | "termination"; taskToken: string }) => openEcsWait(deps, event);
}

export const handler = createHandler(realDeps());
