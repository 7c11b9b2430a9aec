import { providerKind } from "../../domain/pipeline/synth/provider-tasks.js";
import type { DeclaredAction } from "../../services/pipeline/actions.js";
import { type RunRequest, runAction, startPolled } from "../../services/pipeline/run-action.js";
import { type Deps, realDeps } from "../../wiring.js";

/** <Stage>.<Action> for the providers a Lambda runs (S3 and ECR sources, S3 deploy) or starts and then polls (ECS, CloudFormation and Elastic Beanstalk deploys). */
export function createHandler(deps: Pick<Deps, "artifacts" | "config" | "ecs" | "cloudformation" | "elasticBeanstalk" | "clock">) {
  const run = { artifacts: deps.artifacts, ecs: deps.ecs, cloudformation: deps.cloudformation, elasticBeanstalk: deps.elasticBeanstalk, clock: deps.clock, config: deps.config.pipeline };
  return (event: { action: DeclaredAction; request: RunRequest }) => (providerKind({ ...event.action, path: "" }) === "poll" ? startPolled(run, event.action, event.request) : runAction(run, event.action, event.request));
}

export const handler = createHandler(realDeps());
