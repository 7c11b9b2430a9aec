import type { DeclaredAction } from "../../services/pipeline/actions.js";
import { type RunRequest, runAction } from "../../services/pipeline/run-action.js";
import { type Deps, realDeps } from "../../wiring.js";

/** <Stage>.<Action> for the providers a Lambda runs: S3 and ECR sources, S3 deploy. */
export function createHandler(deps: Pick<Deps, "artifacts" | "config">) {
  return (event: { action: DeclaredAction; request: RunRequest }) => runAction({ artifacts: deps.artifacts, config: deps.config.pipeline }, event.action, event.request);
}

export const handler = createHandler(realDeps());
