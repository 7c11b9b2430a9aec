import { type BuiltDeployment, buildDeployment, type CheckedPlan } from "../domain/release/index.js";
import type { ReleaseEvent } from "../lib/release-input.js";
import { type Deps, realDeps } from "../wiring.js";

/**
 * Last step before the nested deployment: the deploy-lambda input planned and checked before any
 * code changed, with the version just published (or the appspec's TargetVersion) as the target.
 * Nothing to deploy when the alias already serves it (the same code uploaded twice).
 */
export function createHandler(deps: Pick<Deps, "log">) {
  return async (event: ReleaseEvent & { plan: Omit<CheckedPlan, "fields">; published?: { Version?: string } }): Promise<BuiltDeployment> => {
    const log = deps.log(event.deploymentId, { releaseId: event.releaseId });
    const built = buildDeployment(event.plan, event.published);
    if (built.skip) log.info("nothing to deploy", { reason: built.reason });
    else log.info("deployment built", { functionName: event.plan.functionName, alias: event.plan.alias, currentVersion: event.plan.currentVersion, targetVersion: built.deployment.targetVersion });
    return built;
  };
}

export const handler = createHandler(realDeps());
