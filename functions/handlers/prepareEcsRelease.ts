import { type ReleaseEvent, releaseConfigFrom } from "../lib/release-input.js";
import { type EcsReleasePlan, prepareEcsRelease } from "../services/ecs/release.js";
import { type Deps, realDeps } from "../wiring.js";

/**
 * The ECS branch of a release: check the source's deploy-ecs settings, then register the service's task definition
 * again with the pushed image pinned by digest (services/ecs/release.ts). The workflow then starts deploy-ecs.
 */
export function createHandler(deps: Pick<Deps, "ecs" | "log">) {
  return async (event: ReleaseEvent, context?: { invokedFunctionArn?: string }): Promise<EcsReleasePlan> => {
    const log = deps.log(event.deploymentId, { releaseId: event.releaseId });
    const plan = await prepareEcsRelease(deps, event, releaseConfigFrom(process.env, context?.invokedFunctionArn));
    log.info("ECS release prepared", { taskDefinition: plan.taskDefinition, skip: plan.skip, notes: plan.notes });
    return plan;
  };
}

export const handler = createHandler(realDeps());
