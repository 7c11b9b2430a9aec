import { isPlaceholder } from "../appspec/check.js";
import type { AppSpecResult } from "../appspec/index.js";
import type { BundleEntry } from "../bundles/index.js";
import { ValidationErrors } from "../errors.js";
import { DEFAULT_RELEASE_CONFIG, type EcrReleaseSource, type ReleaseSource, type S3ReleaseSource } from "./sources.js";
import type { Trigger } from "./trigger.js";

/**
 * What a release does before it deploys, decided from the source, the trigger and (S3) the bundle:
 * - S3 bundle with the code package (`codePackage`, default function.zip): publish it, deploy the new version;
 * - S3 bundle without it: deploy the appspec's TargetVersion, which must then be a real version;
 * - ECR push: point the container-image function at the pushed digest, publish, deploy.
 * CurrentVersion absent or a placeholder is read from the alias when the deployment is built.
 */
export const RELEASE_ERRORS = {
  InvalidBundle: "Release.InvalidBundle",
  NothingToPublish: "Release.NothingToPublish",
  CodeShaMismatch: "Release.CodeShaMismatch",
  UpdateFailed: "Release.CodeUpdateFailed",
} as const;

export type PublishStep = { kind: "zip"; codePackage: string } | { kind: "image"; imageUri: string; codeSha256: string } | null;

export interface ReleasePlan {
  platform: "lambda";
  functionName: string;
  alias: string;
  /** null: read from the alias when the deployment is built. */
  currentVersion: string | null;
  /** null: the version the release publishes. */
  targetVersion: string | null;
  publish: PublishStep;
  hooks: { beforeAllowTraffic: string | null; afterAllowTraffic: string | null };
  /** Choices made on the user's behalf, shown in the output and the logs. */
  notes: string[];
}

const realVersion = (v: string | undefined): string | null => (v === undefined || isPlaceholder(v) ? null : v);

export function planFromBundle(source: S3ReleaseSource, appspec: AppSpecResult, entries: readonly BundleEntry[]): ReleasePlan {
  const fail = (field: string, reason: string) => new ValidationErrors([{ field, reason }], RELEASE_ERRORS.InvalidBundle);
  if (appspec.platform !== "lambda") throw fail("appspec", `is a ${appspec.platform ?? "unknown"} AppSpec; release source '${source.name}' deploys Lambda functions`);
  if (!appspec.valid) {
    throw new ValidationErrors(
      appspec.errors.map((e) => ({ field: `appspec ${e.path}${e.line ? ` (line ${e.line})` : ""}`, reason: e.message })),
      RELEASE_ERRORS.InvalidBundle,
    );
  }
  const fn = appspec.resources.find((r) => r.kind === "lambda-function");
  if (!fn || fn.kind !== "lambda-function") throw fail("appspec Resources", "names no AWS::Lambda::Function");
  const hook = (event: string) => {
    const h = appspec.hooks.find((x) => x.kind === "function" && x.event === event);
    return h && h.kind === "function" ? h.functionName : null;
  };
  const notes: string[] = [];
  const hasPackage = entries.some((e) => e.type === "file" && e.path === source.codePackage);
  let target = realVersion(fn.targetVersion);
  let publish: PublishStep = null;
  if (hasPackage) {
    publish = { kind: "zip", codePackage: source.codePackage };
    if (target) notes.push(`the appspec's TargetVersion ${target} is replaced by the version published from ${source.codePackage}`);
    else notes.push(`TargetVersion ${fn.targetVersion ? `${fn.targetVersion} (a placeholder)` : "absent"}: publishing ${source.codePackage} as a new version`);
    target = null;
  } else if (!target) {
    throw new ValidationErrors(
      [{ field: `appspec ${fn.path}.Properties.TargetVersion`, reason: `is ${fn.targetVersion ? `the placeholder ${fn.targetVersion}` : "absent"} and the bundle has no ${source.codePackage} to publish` }],
      RELEASE_ERRORS.NothingToPublish,
    );
  }
  const current = realVersion(fn.currentVersion);
  if (!current) notes.push(`CurrentVersion ${fn.currentVersion ? `${fn.currentVersion} (a placeholder)` : "absent"}: the alias's current version is used`);
  return { platform: "lambda", functionName: fn.name, alias: fn.alias, currentVersion: current, targetVersion: target, publish, hooks: { beforeAllowTraffic: hook("BeforeAllowTraffic"), afterAllowTraffic: hook("AfterAllowTraffic") }, notes };
}

/** The image URI by digest (never by tag: a tag can move between the push and the update). */
export function imageUriOf(t: Trigger & { kind: "ecr" }, fallback: { region: string; accountId: string }): string {
  return `${t.account ?? fallback.accountId}.dkr.ecr.${t.region ?? fallback.region}.amazonaws.com/${t.repository}@${t.digest}`;
}

export function planFromImage(s: EcrReleaseSource, t: Trigger & { kind: "ecr" }, where: { region: string; accountId: string }): ReleasePlan {
  return {
    platform: "lambda",
    functionName: s.function.name,
    alias: s.function.alias,
    currentVersion: null,
    targetVersion: null,
    // UNCONFIRMED (docs/releases.md): for an image function Lambda reports CodeSha256 as the image digest's hex.
    publish: { kind: "image", imageUri: imageUriOf(t, where), codeSha256: t.digest.replace(/^sha256:/, "") },
    hooks: s.hooks,
    notes: [
      `container image ${t.repository}@${t.digest}${t.tag ? ` (pushed as :${t.tag})` : ""}: updating ${s.function.name} and publishing a version`,
      "UNCONFIRMED: Lambda's CodeSha256 of an image function is taken to be the digest's hex; if Lambda reports otherwise the release stops at ImageShaMatches before publishing (docs/releases.md)",
    ],
  };
}

/** The deploy-lambda input of a release: the deployment any operator could have started by hand. */
export function deploymentInputOf(
  source: ReleaseSource,
  plan: ReleasePlan,
  versions: { current: string; target: string },
  ids: { deploymentId: string; releaseName: string; trigger: string },
): Record<string, unknown> {
  const d = source.deployment;
  const input: Record<string, unknown> = {
    deploymentId: ids.deploymentId,
    application: source.application,
    deploymentGroup: source.deploymentGroup,
    functionName: plan.functionName,
    alias: plan.alias,
    currentVersion: versions.current,
    targetVersion: versions.target,
    deploymentConfig: d.deploymentConfig ?? DEFAULT_RELEASE_CONFIG,
    hooks: { ...plan.hooks, ...(d.hookTimeoutSeconds !== undefined ? { timeoutSeconds: d.hookTimeoutSeconds } : {}) },
    description: `release ${ids.releaseName} of ${ids.trigger}`.slice(0, 256),
  };
  for (const k of ["alarms", "autoRollback", "alarmPollSeconds", "alarmMonitoring", "ignorePollAlarmFailure", "metricGates"] as const) {
    if (d[k] !== undefined) input[k] = d[k];
  }
  return input;
}
