import type { EcsDeployment } from "../domain/ecs/deployment.js";
import type { EcsHookEvent } from "../domain/ecs/lifecycle.js";
import { runEcsHook } from "../services/ecs/hooks.js";
import { type Deps, realDeps } from "../wiring.js";

/** An ECS lifecycle hook: check the alarms, then invoke the event's hook (Deploy.HookFailed unless it succeeded). */
export function createHandler(deps: Pick<Deps, "alarms" | "lambda" | "log">) {
  return (event: { deployment: EcsDeployment; lifecycleEvent: EcsHookEvent }) => runEcsHook(deps, event);
}

export const handler = createHandler(realDeps());
