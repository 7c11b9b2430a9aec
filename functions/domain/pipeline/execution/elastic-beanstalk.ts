import { createHash } from "node:crypto";
import type { ArtifactRef } from "./artifacts.js";

/**
 * The ElasticBeanstalk deploy action (user guide action-reference-Beanstalk: ApplicationName,
 * EnvironmentName, one input artifact): the artifact becomes an application version, the environment
 * is updated to it, and the action waits until the environment is Ready again.
 */

/** Elastic Beanstalk's own storage bucket in a region (where the console and EB CLI upload source bundles). */
export function storageBucket(region: string, account: string): string {
  return `elasticbeanstalk-${region}-${account}`;
}

/**
 * The version label: `code-pipeline-<artifact>-<12 hex of the artifact's key>`, at most 100 characters
 * (CreateApplicationVersion's limit). The key is unique per execution, action and attempt, so a retried
 * call makes the same label (and finds it made) rather than a second version.
 */
export function versionLabel(artifact: ArtifactRef): string {
  const hash = createHash("sha256").update(`${artifact.bucket}/${artifact.key}`).digest("hex").slice(0, 12);
  return `code-pipeline-${artifact.name.slice(0, 60)}-${hash}`;
}

/** Where the version's source bundle is copied: `<application>/<label>.zip` in EB's storage bucket. */
export function bundleLocation(region: string, account: string, application: string, label: string): { bucket: string; key: string } {
  return { bucket: storageBucket(region, account), key: `${application}/${label}.zip` };
}

/** Seconds between two looks at the environment (our choice, as for ECS and CloudFormation). */
export const BEANSTALK_POLL_SECONDS = 15;

export type EnvironmentVerdict = { kind: "succeeded"; summary: string } | { kind: "failed"; reason: string } | { kind: "wait" };

/**
 * One look at the environment being updated to `label`: Updating (or Launching) waits; Ready succeeds
 * when it runs the label with Health not Red and no ERROR/FATAL event since the update began; otherwise
 * the action fails with the first such event's message (as the EB console reports a failed deployment),
 * or the health, or the version it runs instead. `events` are newest first, as DescribeEvents lists them. Past the deadline an unfinished update fails.
 */
export function environmentVerdict(
  env: { name: string; status: string; health: string; versionLabel?: string } | undefined,
  label: string,
  events: { atMs: number; severity: string; message: string }[],
  nowMs: number,
  deadlineMs: number,
): EnvironmentVerdict {
  if (!env) return { kind: "failed", reason: "the environment no longer exists" };
  if (env.status === "Updating" || env.status === "Launching") {
    return nowMs >= deadlineMs ? { kind: "failed", reason: `environment ${env.name} is still ${env.status} at the action's timeout` } : { kind: "wait" };
  }
  if (env.status !== "Ready") return { kind: "failed", reason: `environment ${env.name} is ${env.status}` };
  // `events` come newest first (DescribeEvents); oldest first, ties kept in EB's order.
  const errors = [...events].reverse().filter((e) => e.severity === "ERROR" || e.severity === "FATAL").sort((a, b) => a.atMs - b.atMs);
  if (errors[0]) return { kind: "failed", reason: `environment ${env.name}: ${errors[0].message}${errors.length > 1 ? ` (${errors.length - 1} more error event(s); health ${env.health})` : ` (health ${env.health})`}` };
  if (env.health === "Red") return { kind: "failed", reason: `environment ${env.name} is Ready with health Red` };
  if (env.versionLabel !== label) return { kind: "failed", reason: `environment ${env.name} runs ${env.versionLabel ?? "no version"}, not ${label}` };
  return { kind: "succeeded", summary: `environment ${env.name} runs ${label} (health ${env.health})` };
}
