import type { DeclaredAction } from "../../services/pipeline/actions.js";
import { type RunRequest, runAction } from "../../services/pipeline/run-action.js";
import { type Deps, realDeps } from "../../wiring.js";

/**
 * <Stage>.<Action>(poll) for providers that are started and then polled (ECS, CloudFormation, Elastic
 * Beanstalk). None is run yet, so the first call (runAction) already fails naming the provider; a poll
 * reaching here answers the same way.
 */
export function createHandler(deps: Pick<Deps, "artifacts" | "config">) {
  return (event: { action: DeclaredAction; request: RunRequest }) => runAction({ artifacts: deps.artifacts, config: deps.config.pipeline }, event.action, event.request);
}

export const handler = createHandler(realDeps());
