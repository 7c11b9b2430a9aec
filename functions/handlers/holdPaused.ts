import { type HoldPausedEvent, holdPaused } from "../services/pause.js";
import { type Deps, realDeps } from "../wiring.js";

/** Paused (a `.waitForTaskToken` task): hold at the current weight until resume, promote or stop; alarms keep watching. */
export function createHandler(deps: Pick<Deps, "registry" | "callbacks" | "stepFunctions" | "alarms" | "clock" | "log">) {
  return (event: HoldPausedEvent) => holdPaused(deps, event);
}

export const handler = createHandler(realDeps());
