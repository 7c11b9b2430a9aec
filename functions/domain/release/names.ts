import { createHash } from "node:crypto";
import type { Trigger } from "./trigger.js";

/**
 * Deterministic names, so that duplicate deliveries start one release (codepipeline-spec §7.5: events
 * are at-least-once; StartExecution with a name already used answers the running execution when the
 * input is the same, ExecutionAlreadyExists otherwise, for 90 days).
 *
 * - S3: bucket, key, version id and sequencer (the etag when S3 sent no sequencer). Two uploads of
 *   the same key get different sequencers (and version ids on a versioned bucket): two releases.
 * - ECR: repository and digest. Re-tagging the same image does not start a second release.
 */
export function triggerIdentity(t: Trigger): string {
  if (t.kind === "s3") return ["s3", t.bucket, t.key, t.versionId ?? "", t.sequencer ?? t.eTag ?? ""].join("\n");
  return ["ecr", t.repository, t.digest].join("\n");
}

const hash = (s: string) => createHash("sha256").update(s).digest();

/** `<source>-<40 hex>`: at most 73 characters, within Step Functions' 80 and its allowed set. */
export function releaseExecutionName(sourceName: string, t: Trigger): string {
  return `${sourceName}-${hash(`${sourceName}\n${triggerIdentity(t)}`).toString("hex").slice(0, 40)}`;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/**
 * The nested deployment's id (`d-` + 9 of A-Z0-9, CodeDeploy's shape), derived from the release name: a
 * release task that Step Functions runs twice starts the same deployment execution, not a second one.
 */
export function releaseDeploymentId(releaseName: string): string {
  const h = hash(`deployment\n${releaseName}`);
  let id = "d-";
  for (let i = 0; i < 9; i++) id += ALPHABET[(h[i] as number) % ALPHABET.length];
  return id;
}
