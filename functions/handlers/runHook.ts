import { type RunHookEvent, runHook } from "../services/hooks.js";
import { type Deps, realDeps } from "../wiring.js";

/** BeforeAllowTraffic / AfterAllowTraffic: check the alarms, then invoke the user's hook (Deploy.HookFailed unless it succeeded). */
export function createHandler(deps: Pick<Deps, "alarms" | "lambda" | "log">) {
  return (event: RunHookEvent) => runHook(deps, event);
}

export const handler = createHandler(realDeps());
