import { ValidationErrors } from "../domain/errors.js";
import { releaseSourcesOfGroups } from "../domain/groups/releases.js";
import { checkedSources, FUNCTION_PATTERN, parseLabelled, parseReleaseSources, ReleaseErrorNames, type ReleaseSource, type TargetPolicy, type Trigger } from "../domain/release/index.js";
import type { PinnedRevision } from "../ports/bundle-store.js";
import { stageGroups } from "./groups-config.js";

/** The release state machine's input (written by dispatchRelease, pasteable in the console; docs/releases.md). */
export interface ReleaseEvent {
  releaseId: string;
  deploymentId: string;
  source: unknown;
  trigger: Trigger;
  bundleType?: string;
}

/**
 * What the release functions read from their environment (set by serverless.yml from the stack's
 * settings): the stage's release sources, the hook pattern and the prefix of stepdeploy's own
 * function names. Missing or malformed settings fail closed, naming the variable.
 */
export interface ReleaseConfig {
  sources: ReleaseSource[];
  policy: TargetPolicy;
}

export function releaseConfigFrom(env: Record<string, string | undefined>, invokedFunctionArn?: string): ReleaseConfig {
  const problems: { field: string; reason: string }[] = [];
  const hookFunctionPattern = env.HOOK_FUNCTION_PATTERN ?? "";
  if (!FUNCTION_PATTERN.test(hookFunctionPattern)) problems.push({ field: "HOOK_FUNCTION_PATTERN", reason: `'${hookFunctionPattern}' is not a function-name pattern (the stack sets it from hookFunctionPattern)` });
  const ownFunctionPrefix = env.OWN_FUNCTION_PREFIX ?? "";
  if (!/^[A-Za-z0-9_-]+-$/.test(ownFunctionPrefix)) problems.push({ field: "OWN_FUNCTION_PREFIX", reason: `'${ownFunctionPrefix}' is not a function-name prefix ending in '-' (the stack sets it to '<service>-')` });
  if (problems.length) throw new ValidationErrors(problems, ReleaseErrorNames.InvalidConfiguration);
  return {
    sources: stageReleaseSources(env),
    // An ARN is arn:partition:lambda:region:account:function:name; our own says where we run.
    policy: { hookFunctionPattern, ownFunctionPrefix, region: env.AWS_REGION ?? "", accountId: invokedFunctionArn?.split(":")[4] ?? "" },
  };
}

/**
 * The stage's release sources: config/releases.<stage>.json (RELEASE_SOURCES) and the `release` sections of its
 * deployment groups (DEPLOYMENT_GROUPS), checked together as one list.
 */
export function stageReleaseSources(env: Record<string, string | undefined>): ReleaseSource[] {
  return checkedSources(parseLabelled(env.RELEASE_SOURCES ?? "[]"), releaseSourcesOfGroups(stageGroups(env.DEPLOYMENT_GROUPS))).map((l) => l.source);
}

/**
 * The release's source as the stage configures it. The input carries a copy for the console and the
 * graph, but a release runs with the deployed configuration only: an input whose copy differs (a
 * hand-started execution, or a configuration changed since the dispatch) is refused.
 */
export function configuredSource(event: ReleaseEvent, sources: readonly ReleaseSource[]): ReleaseSource {
  const given = parseReleaseSources([event.source])[0] as ReleaseSource;
  const configured = sources.find((s) => s.name === given.name);
  const refuse = (reason: string) => new ValidationErrors([{ field: "source", reason }], ReleaseErrorNames.InvalidConfiguration);
  if (!configured) throw refuse(`'${given.name}' is not a release source of this stage (RELEASE_SOURCES or a deployment group's release)`);
  if (JSON.stringify(configured) !== JSON.stringify(given)) throw refuse(`differs from the stage's configuration of '${given.name}'; a release runs with the configuration it was dispatched with`);
  return configured;
}

/** The S3 revision of an S3-triggered release, pinned by the version id and ETag of the event. */
export function revisionOf(event: ReleaseEvent): PinnedRevision {
  const t = event.trigger;
  if (t.kind !== "s3") throw new ValidationErrors([{ field: "trigger.kind", reason: `is ${t.kind}; only S3 releases read a bundle` }]);
  return { bucket: t.bucket, key: t.key, version: t.versionId, eTag: t.eTag, bundleType: event.bundleType ?? "zip" };
}
