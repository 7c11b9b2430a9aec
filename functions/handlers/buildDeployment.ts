import { getAlias } from "../adapters/lambda.js";
import { describeTrigger, deploymentInputOf, type ReleasePlan } from "../domain/release/index.js";
import { logger } from "../lib/logger.js";
import { type ReleaseEvent, releaseSourceOf } from "../lib/release-input.js";

export interface BuiltDeployment {
  /** True when the alias already serves the target version: nothing to deploy. */
  skip: boolean;
  /** Why nothing is deployed; null otherwise (always present: the state machine selects it). */
  reason: string | null;
  deployment: Record<string, unknown>;
}

/**
 * Last step before the nested deployment: the deploy-lambda input of this release. The target is
 * the version just published (or the appspec's TargetVersion); the current version is the
 * appspec's, or the alias's when the appspec left it out. A release whose target the alias already
 * serves (the same code uploaded twice: PublishVersion returns the existing version) deploys nothing.
 */
export async function handler(event: ReleaseEvent & { plan: ReleasePlan; published?: { Version?: string } }): Promise<BuiltDeployment> {
  logger.appendKeys({ releaseId: event.releaseId, deploymentId: event.deploymentId });
  const source = releaseSourceOf(event);
  const plan = event.plan;
  const target = plan.targetVersion ?? event.published?.Version;
  if (!target) throw new Error("no target version: the plan has none and nothing was published");
  const current = plan.currentVersion ?? (await getAlias(plan.functionName, plan.alias)).functionVersion;
  const deployment = deploymentInputOf(source, plan, { current, target }, { deploymentId: event.deploymentId, releaseName: event.releaseId, trigger: describeTrigger(event.trigger) });
  if (current === target) {
    const reason = `${plan.functionName}:${plan.alias} already serves version ${target}`;
    logger.info("nothing to deploy", { reason });
    return { skip: true, reason, deployment };
  }
  logger.info("deployment built", { functionName: plan.functionName, alias: plan.alias, currentVersion: current, targetVersion: target });
  return { skip: false, reason: null, deployment };
}
