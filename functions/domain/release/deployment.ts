import { resolveSchedule } from "../configs/index.js";
import { parseDeployLambdaInput } from "../deployment/input.js";
import { ValidationError, ValidationErrors } from "../errors.js";
import { parseMetricGates } from "../gates/gate.js";
import { ReleaseErrorNames } from "./errors.js";
import type { ReleasePlan } from "./plan.js";
import type { ReleaseSource } from "./source-config.js";
import { DEFAULT_RELEASE_CONFIG } from "./sources.js";

/**
 * The deploy-lambda input of a release: the deployment any operator could have started by hand.
 * It is written when the release is planned (every setting validated by the deployment's own rules
 * before any code changes) and completed with the published version afterwards.
 */
export type DeploymentDraft = Record<string, unknown> & { currentVersion: string; targetVersion: string | null };

/** A plan that passed every check: the alias's current version is known and the deployment input is valid. */
export interface CheckedPlan extends ReleasePlan {
  currentVersion: string;
  deployment: DeploymentDraft;
}

export interface BuiltDeployment {
  /** True when the alias already serves the target version: nothing to deploy. */
  skip: boolean;
  /** Why nothing is deployed; null otherwise (always present: the state machine selects it). */
  reason: string | null;
  deployment: Record<string, unknown>;
}

const SETTINGS = ["alarms", "autoRollback", "alarmPollSeconds", "alarmMonitoring", "ignorePollAlarmFailure", "metricGates"] as const;

export function deploymentDraftOf(source: ReleaseSource, plan: ReleasePlan, currentVersion: string, ids: { deploymentId: string; releaseName: string; trigger: string }): DeploymentDraft {
  const d = source.deployment;
  const draft: DeploymentDraft = {
    deploymentId: ids.deploymentId,
    application: source.application,
    deploymentGroup: source.deploymentGroup,
    functionName: plan.functionName,
    alias: plan.alias,
    currentVersion,
    targetVersion: plan.targetVersion,
    deploymentConfig: d.deploymentConfig ?? DEFAULT_RELEASE_CONFIG,
    hooks: { ...plan.hooks, ...(d.hookTimeoutSeconds !== undefined ? { timeoutSeconds: d.hookTimeoutSeconds } : {}) },
    description: `release ${ids.releaseName} of ${ids.trigger}`.slice(0, 256),
  };
  for (const k of SETTINGS) if (d[k] !== undefined) draft[k] = d[k];
  return draft;
}

/**
 * Validates the draft's settings as Prepare will (input rules, deployment config, metric gates). The
 * versions are checked against the account (preflight.ts); before publishing the target is not even
 * known, so version "0" stands in for it (published versions start at 1: never the current one).
 * A problem here is the release source's configuration: `Release.InvalidConfiguration`.
 */
export function checkDeploymentSettings(source: ReleaseSource, draft: DeploymentDraft): void {
  try {
    const input = parseDeployLambdaInput({ ...draft, targetVersion: "0" });
    resolveSchedule(input.deploymentConfig);
    parseMetricGates(input.metricGates, input);
  } catch (e) {
    throw asSourceSettingsError(source.name, e);
  }
}

/** A deployment's own validation error, re-named as the release source's configuration problem (others as they are). */
export function asSourceSettingsError(sourceName: string, e: unknown): unknown {
  const problems = e instanceof ValidationErrors ? e.problems : e instanceof ValidationError ? [{ field: e.field, reason: e.reason }] : undefined;
  if (!problems) return e;
  return new ValidationErrors(
    problems.map((p) => ({ field: `release source '${sourceName}' deployment ${p.field}`, reason: p.reason })),
    ReleaseErrorNames.InvalidConfiguration,
  );
}

/**
 * The finished deploy-lambda input: the published version (or the appspec's TargetVersion) as the
 * target. A release whose target the alias already serves (the same code uploaded twice:
 * PublishVersion returns the existing version) deploys nothing.
 */
export function buildDeployment(plan: Pick<CheckedPlan, "functionName" | "alias" | "currentVersion" | "targetVersion" | "deployment">, published: { Version?: string } | undefined): BuiltDeployment {
  const target = plan.targetVersion ?? published?.Version;
  if (!target) throw new ValidationError("published.Version", "no target version: the plan has none and nothing was published");
  const deployment = { ...plan.deployment, targetVersion: target };
  if (plan.currentVersion === target) return { skip: true, reason: `${plan.functionName}:${plan.alias} already serves version ${target}`, deployment };
  return { skip: false, reason: null, deployment };
}
