import type { DeclaredAction } from "../../services/pipeline/actions.js";
import { pollPolled } from "../../services/pipeline/run-action.js";
import { type Deps, realDeps } from "../../wiring.js";

/** <Stage>.<Action>(poll): a later look at a provider that was started and is polled (ECS, CloudFormation and Elastic Beanstalk deploys), with the state the previous look returned. */
export function createHandler(deps: Pick<Deps, "artifacts" | "config" | "ecs" | "cloudformation" | "elasticBeanstalk" | "clock">) {
  const run = { artifacts: deps.artifacts, ecs: deps.ecs, cloudformation: deps.cloudformation, elasticBeanstalk: deps.elasticBeanstalk, clock: deps.clock, config: deps.config.pipeline };
  return (event: { action: DeclaredAction; state: unknown }) => pollPolled(run, event.action, event.state);
}

export const handler = createHandler(realDeps());
