/**
 * The events that start releases, normalised (codepipeline-spec §4.1-4.3):
 * - S3 "Object Created" through EventBridge (`source: aws.s3`): keys are not URL-encoded;
 * - the older S3 notification form (`Records[]`, delivered straight to Lambda, SQS or SNS): keys are
 *   URL-encoded with `+` for spaces, eventName without the `s3:` prefix, any eventVersion 2.x;
 * - ECR "ECR Image Action" (`source: aws.ecr`): only PUSH with result SUCCESS starts anything.
 * Anything else is ignored with a reason (never an error: an event rule may deliver more than we need).
 */
export type Trigger =
  | { kind: "s3"; bucket: string; key: string; versionId?: string; eTag?: string; sequencer?: string; size?: number; form: "eventbridge" | "records" }
  | { kind: "ecr"; repository: string; tag?: string; digest: string; region?: string; account?: string };

export interface IgnoredEvent {
  reason: string;
}

export interface ParsedTriggers {
  triggers: Trigger[];
  ignored: IgnoredEvent[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined);
const text = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);

const DIGEST = /^sha256:[0-9a-f]{64}$/;

export function parseTriggerEvent(event: unknown): ParsedTriggers {
  const e = obj(event);
  if (!e) return { triggers: [], ignored: [{ reason: "the event is not a JSON object" }] };
  if (Array.isArray(e.Records)) return fromRecords(e.Records);
  const source = e.source;
  const detailType = e["detail-type"];
  if (source === "aws.s3") return one(fromS3EventBridge(detailType, obj(e.detail)));
  if (source === "aws.ecr") return one(fromEcr(detailType, obj(e.detail), e));
  return { triggers: [], ignored: [{ reason: `events from source '${String(source ?? "(none)")}' (detail-type '${String(detailType ?? "(none)")}') do not start releases` }] };
}

function one(r: Trigger | IgnoredEvent): ParsedTriggers {
  return "kind" in r ? { triggers: [r], ignored: [] } : { triggers: [], ignored: [r] };
}

function fromS3EventBridge(detailType: unknown, detail: Obj | undefined): Trigger | IgnoredEvent {
  if (detailType !== "Object Created") return { reason: `S3 '${String(detailType)}' events do not start releases (only 'Object Created')` };
  const bucket = text(obj(detail?.bucket)?.name);
  const o = obj(detail?.object);
  const key = text(o?.key);
  if (!bucket || !key) return { reason: "S3 Object Created event without detail.bucket.name or detail.object.key" };
  return {
    kind: "s3",
    form: "eventbridge",
    bucket,
    key,
    versionId: text(o?.["version-id"]),
    eTag: text(o?.etag),
    sequencer: text(o?.sequencer),
    size: typeof o?.size === "number" ? o.size : undefined,
  };
}

/** Lambda-notification keys are URL-encoded, with `+` for a space (aws-lambda-go's URLDecodedKey). */
export function decodeS3NotificationKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, " "));
}

function fromRecords(records: unknown[]): ParsedTriggers {
  const out: ParsedTriggers = { triggers: [], ignored: [] };
  for (const [i, raw] of records.entries()) {
    const r = obj(raw);
    const where = `Records[${i}]`;
    const version = String(r?.eventVersion ?? "");
    if (r?.eventSource !== "aws:s3") {
      out.ignored.push({ reason: `${where}: eventSource '${String(r?.eventSource)}' is not aws:s3` });
    } else if (!/^2\.\d+$/.test(version)) {
      out.ignored.push({ reason: `${where}: eventVersion '${version}' is not 2.x` });
    } else if (!String(r.eventName ?? "").startsWith("ObjectCreated:")) {
      out.ignored.push({ reason: `${where}: ${String(r.eventName)} does not start releases (only ObjectCreated:*)` });
    } else {
      const s3 = obj(r.s3);
      const bucket = text(obj(s3?.bucket)?.name);
      const o = obj(s3?.object);
      const key = text(o?.key);
      if (!bucket || !key) {
        out.ignored.push({ reason: `${where}: no s3.bucket.name or s3.object.key` });
        continue;
      }
      out.triggers.push({
        kind: "s3",
        form: "records",
        bucket,
        key: decodeS3NotificationKey(key),
        versionId: text(o?.versionId),
        eTag: text(o?.eTag),
        sequencer: text(o?.sequencer),
        size: typeof o?.size === "number" ? o.size : undefined,
      });
    }
  }
  if (records.length === 0) out.ignored.push({ reason: "Records[] is empty" });
  return out;
}

function fromEcr(detailType: unknown, detail: Obj | undefined, envelope: Obj): Trigger | IgnoredEvent {
  if (detailType !== "ECR Image Action") return { reason: `ECR '${String(detailType)}' events do not start releases (only 'ECR Image Action')` };
  const action = detail?.["action-type"];
  const result = detail?.result;
  const repository = text(detail?.["repository-name"]);
  const digest = text(detail?.["image-digest"]);
  if (action !== "PUSH") return { reason: `ECR ${String(action)} of ${repository ?? "?"} does not start releases (only PUSH)` };
  if (result !== "SUCCESS") return { reason: `ECR push to ${repository ?? "?"} ended ${String(result)}: nothing to release` };
  if (!repository || !digest) return { reason: "ECR push event without detail.repository-name or detail.image-digest" };
  if (!DIGEST.test(digest)) return { reason: `ECR push event with image-digest '${digest}', not sha256:<64 hex>` };
  return { kind: "ecr", repository, digest, tag: text(detail?.["image-tag"]), region: text(envelope.region), account: text(envelope.account) };
}

/** For logs and CLI output: `s3://bucket/key (etag ...)` or `ecr repo:tag@digest`. */
export function describeTrigger(t: Trigger): string {
  if (t.kind === "s3") return `s3://${t.bucket}/${t.key}${t.versionId ? `?versionId=${t.versionId}` : ""}${t.eTag ? ` (etag ${t.eTag})` : ""}`;
  return `ecr ${t.repository}${t.tag ? `:${t.tag}` : ""}@${t.digest}`;
}
