import { parseAppSpec } from "../domain/appspec/index.js";
import { ErrorNames, type StepDeployError, ValidationErrors } from "../domain/errors.js";
import {
  type CheckedPlan,
  checkDeploymentSettings,
  checkTargetState,
  deploymentDraftOf,
  describeTrigger,
  type HookEvent,
  planFromBundle,
  planFromImage,
  type ReleasePlan,
  ReleaseErrorNames,
  releaseFillsIn,
  type TargetFacts,
} from "../domain/release/index.js";
import { configuredSource, type ReleaseConfig, type ReleaseEvent, revisionOf } from "../lib/release-input.js";
import type { LambdaAliasPort } from "../ports/lambda-alias.js";
import type { Deps } from "../wiring.js";

/** What planning reads: the bundle, the alias (read only), functions and alarms. */
export type PlanDeps = Pick<Deps, "bundles" | "lambdaCode" | "alarms"> & { lambda: Pick<LambdaAliasPort, "getAlias"> };

/**
 * Plans a release and checks everything that can be checked before any code changes: the source
 * owns the target and allows the hooks (domain/release/plan.ts, targets.ts), the account is as the
 * deployment needs it (preflight.ts), and the deployment's settings are valid (deployment.ts).
 * Reads only; code is uploaded and published by the next states, and only if this returns.
 */
export async function planRelease(deps: PlanDeps, event: ReleaseEvent, config: ReleaseConfig): Promise<CheckedPlan> {
  const source = configuredSource(event, config.sources);
  // The workflow's WhichPlatform sends ECS sources to PrepareEcsRelease (services/ecs/release.ts), never here.
  if (source.platform === "ecs") throw new ValidationErrors([{ field: "source.platform", reason: `release source '${source.name}' releases an ECS service: PrepareEcsRelease plans it` }], ReleaseErrorNames.InvalidConfiguration);
  let plan: ReleasePlan;
  if ("ecr" in source && event.trigger.kind === "ecr") {
    plan = planFromImage(source, event.trigger, config.policy);
  } else if ("s3" in source && event.trigger.kind === "s3") {
    const inspection = await deps.bundles.inspect(revisionOf(event));
    const appspec = parseAppSpec(inspection.appSpec.text, { platform: "lambda", versionsOptional: true, allowPlaceholders: releaseFillsIn });
    plan = planFromBundle(source, appspec, inspection.entries, config.policy);
  } else {
    throw configMismatch(source.name, event.trigger.kind);
  }
  const alarms = source.deployment.alarms ?? [];
  const { currentVersion } = checkTargetState(plan, await readFacts(deps, plan, alarms));
  const deployment = deploymentDraftOf(source, plan, currentVersion, { deploymentId: event.deploymentId, releaseName: event.releaseId, trigger: describeTrigger(event.trigger) });
  checkDeploymentSettings(source, deployment);
  return { ...plan, currentVersion, deployment };
}

async function readFacts(deps: PlanDeps, plan: ReleasePlan, alarmNames: string[]): Promise<TargetFacts> {
  const alias = await deps.lambda.getAlias(plan.functionName, plan.alias).catch((e: StepDeployError) => {
    if (e.name === ErrorNames.ResourceNotFound) return null;
    throw e;
  });
  const missingHooks: HookEvent[] = [];
  for (const event of ["beforeAllowTraffic", "afterAllowTraffic"] as const) {
    const hook = plan.hooks[event];
    if (hook !== null && !(await deps.lambdaCode.functionExists(hook))) missingHooks.push(event);
  }
  return {
    alias,
    targetVersionExists: plan.targetVersion === null ? undefined : await deps.lambdaCode.functionExists(plan.functionName, plan.targetVersion),
    missingHooks,
    alarms: { names: alarmNames, readings: alarmNames.length ? await deps.alarms.describeAlarms(alarmNames) : [] },
  };
}

function configMismatch(sourceName: string, kind: string): StepDeployError {
  return new ValidationErrors([{ field: "trigger.kind", reason: `release source '${sourceName}' does not take ${kind} events` }], ReleaseErrorNames.InvalidConfiguration);
}
