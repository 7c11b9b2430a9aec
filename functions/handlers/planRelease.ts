import type { CheckedPlan } from "../domain/release/index.js";
import { type ReleaseEvent, releaseConfigFrom } from "../lib/release-input.js";
import { type PlanDeps, planRelease } from "../services/release-plan.js";
import { type Deps, realDeps } from "../wiring.js";

/**
 * First step of a release: read what was pushed, decide what to do, and refuse (with a named error,
 * before anything changes) a target the source does not own, a hook outside hookFunctionPattern, an
 * alias or version the deployment would reject, or settings Prepare would reject. Reads only.
 */
export function createHandler(deps: PlanDeps & Pick<Deps, "log">) {
  return async (event: ReleaseEvent, context?: { invokedFunctionArn?: string }): Promise<CheckedPlan> => {
    const log = deps.log(event.deploymentId, { releaseId: event.releaseId });
    const plan = await planRelease(deps, event, releaseConfigFrom(process.env, context?.invokedFunctionArn));
    log.info("release planned", { functionName: plan.functionName, alias: plan.alias, currentVersion: plan.currentVersion, publish: plan.publish?.kind ?? "none", notes: plan.notes });
    return plan;
  };
}

export const handler = createHandler(realDeps());
