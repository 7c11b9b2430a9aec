import { shortHash } from "../synth/names.js";
import type { PipelineTrigger } from "../stack/triggers.js";

/**
 * An S3 "Object Created", ECR "ECR Image Action" or CodeCommit "Repository State Change" event turned
 * into the executions it starts: one per watching pipeline, named from the event so a duplicate
 * delivery starts nothing (StartExecution with the same name and input answers the running execution),
 * with the event's revision pinned for the watching source action (`sourceRevisions`).
 */
export interface TriggeredStart {
  pipeline: string;
  stateMachine: string;
  executionName: string;
  input: { trigger: { type: "CloudWatchEvent" | "WebhookV2"; detail: string }; sourceRevisions: Record<string, Record<string, string>> };
}

interface EventEnvelope {
  source?: string;
  "detail-type"?: string;
  time?: string;
  detail?: Record<string, unknown>;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const hashOf = (text: string) => `${shortHash(text)}${shortHash(`~${text}`)}`;

/** The start of `t`'s pipeline for one source revision, named from its identity so a repeated delivery starts nothing new. */
export function startFor(t: PipelineTrigger, kind: string, identity: string, revision: Record<string, string>, detail: string, type: TriggeredStart["input"]["trigger"]["type"] = "CloudWatchEvent"): TriggeredStart {
  return { pipeline: t.pipeline, stateMachine: t.stateMachine, executionName: `${kind}-${hashOf(`${t.pipeline}/${t.action}/${identity}`)}`, input: { trigger: { type, detail }, sourceRevisions: { [t.action]: revision } } };
}

export function triggeredStarts(event: EventEnvelope, triggers: PipelineTrigger[]): TriggeredStart[] {
  const d = event.detail ?? {};
  if (event.source === "aws.s3" && event["detail-type"] === "Object Created") {
    const bucket = str((d["bucket"] as Record<string, unknown> | undefined)?.["name"]);
    const object = (d["object"] ?? {}) as Record<string, unknown>;
    const key = str(object["key"]);
    const version = str(object["version-id"]);
    const etag = str(object["etag"]);
    const identity = `${bucket}/${key}/${version ?? ""}/${etag ?? ""}/${str(object["sequencer"]) ?? ""}`;
    return triggers.flatMap((t) => ("s3" in t && t.s3.bucket === bucket && t.s3.key === key ? [startFor(t, "s3", identity, { ...(version && { VersionId: version }), ...(etag && { ETag: etag }) }, `s3://${bucket}/${key}${version ? `?versionId=${version}` : ""}`)] : []));
  }
  if (event.source === "aws.ecr" && event["detail-type"] === "ECR Image Action") {
    if (d["action-type"] !== "PUSH" || d["result"] !== "SUCCESS") return [];
    const repository = str(d["repository-name"]);
    const tag = str(d["image-tag"]);
    const digest = str(d["image-digest"]);
    if (!digest) return [];
    return triggers.flatMap((t) => ("ecr" in t && t.ecr.repository === repository && t.ecr.tag === tag ? [startFor(t, "ecr", `${repository}@${digest}`, { ImageDigest: digest, ImageTag: tag as string, ...(event.time && { ImagePushedAt: event.time }) }, `${repository}:${tag}@${digest}`)] : []));
  }
  if (event.source === "aws.codecommit" && event["detail-type"] === "CodeCommit Repository State Change") {
    const repository = str(d["repositoryName"]);
    const branch = str(d["referenceName"]);
    const commit = str(d["commitId"]);
    if (d["referenceType"] !== "branch" || !commit) return [];
    return triggers.flatMap((t) => ("codecommit" in t && t.codecommit.repository === repository && t.codecommit.branch === branch ? [startFor(t, "git", `${repository}/${branch}/${commit}`, { CommitId: commit, BranchName: branch as string }, `${repository}@${branch}:${commit}`)] : []));
  }
  return [];
}
