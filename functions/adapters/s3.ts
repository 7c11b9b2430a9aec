import type { Readable } from "node:stream";
import { GetObjectCommand, type GetObjectCommandOutput, S3Client } from "@aws-sdk/client-s3";
import {
  appSpecTooLarge,
  BUNDLE_TYPES,
  BundleError,
  BundleErrorNames,
  type BundleInspection,
  type InspectOptions,
  inspectBundle,
  isBundleType,
  resolveLimits,
} from "../domain/bundles/index.js";
import { ErrorNames, StepDeployError } from "../domain/errors.js";
import { toStepDeployError } from "./aws-errors.js";
import { cachedClient } from "./clients.js";
import type { BundleStorePort } from "../ports/bundle-store.js";

/**
 * Reads a revision from S3, pinned. The one S3 call stepdeploy makes for revisions: GetObject with `VersionId`
 * when a version is given and `If-Match` when an ETag is given; the response's ETag/VersionId are checked too,
 * so a revision is never silently read from another object (CodeDeploy's S3Location: eTag and version are
 * optional, without them the latest object is used — codedeploy-spec §10).
 */
export interface S3Revision {
  bucket: string;
  key: string;
  /** S3 object version; pins the read. */
  version?: string;
  /** Expected ETag (quoted or not); pins the read. */
  eTag?: string;
  /** tar | tgz | zip | YAML | JSON, as in CodeDeploy's S3Location. */
  bundleType: string;
}

export interface FetchedRevision {
  body: Readable;
  eTag?: string;
  versionId?: string;
  contentLength?: number;
}

/** Path-style addressing when an endpoint override is set (s3rver, LocalStack, MinIO answer on one host). */
export const s3Client = (): S3Client =>
  cachedClient("s3", (options) => new S3Client({ ...options, cacheMiddleware: false, forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL) }));

export function normalizeETag(eTag: string): string {
  return eTag.replace(/^W\//, "").replace(/^"|"$/g, "");
}

export async function fetchRevision(rev: S3Revision, client: S3Client = s3Client()): Promise<FetchedRevision> {
  const where = `s3://${rev.bucket}/${rev.key}${rev.version ? `?versionId=${rev.version}` : ""}`;
  let out: GetObjectCommandOutput;
  try {
    out = await client.send(
      new GetObjectCommand({
        Bucket: rev.bucket,
        Key: rev.key,
        ...(rev.version ? { VersionId: rev.version } : {}),
        ...(rev.eTag ? { IfMatch: `"${normalizeETag(rev.eTag)}"` } : {}),
      }),
    );
  } catch (e) {
    throw mapError(e, where, rev);
  }
  const body = out.Body as Readable | undefined;
  const mismatch = (why: string) => {
    body?.destroy();
    return new BundleError(BundleErrorNames.RevisionMismatch, `${where}: ${why}`);
  };
  if (!body) throw new StepDeployError(ErrorNames.AwsError, `${where}: GetObject returned no body`);
  if (rev.eTag && normalizeETag(out.ETag ?? "") !== normalizeETag(rev.eTag)) {
    throw mismatch(`expected ETag ${normalizeETag(rev.eTag)}, S3 returned ${out.ETag ? normalizeETag(out.ETag) : "none"}`);
  }
  if (rev.version && out.VersionId !== rev.version) {
    throw mismatch(`expected VersionId ${rev.version}, S3 returned ${out.VersionId ?? "none (is versioning enabled on the bucket?)"}`);
  }
  return { body, eTag: out.ETag ? normalizeETag(out.ETag) : undefined, versionId: out.VersionId, contentLength: out.ContentLength };
}

function mapError(e: unknown, where: string, rev: S3Revision): StepDeployError {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = err?.$metadata?.httpStatusCode;
  if (err?.name === "PreconditionFailed" || status === 412) {
    return new BundleError(BundleErrorNames.RevisionMismatch, `${where}: the object's ETag is not ${normalizeETag(rev.eTag ?? "")} (If-Match failed: it changed since the revision was registered)`, { cause: e });
  }
  if (["NoSuchKey", "NoSuchBucket", "NoSuchVersion", "NotFound"].includes(err?.name ?? "") || status === 404) {
    return new StepDeployError(ErrorNames.ResourceNotFound, `${where}: ${err?.name ?? "NotFound"}: ${err?.message ?? "not found"}`, { cause: e });
  }
  return toStepDeployError(e, `GetObject ${where}`);
}

/** Fetch (pinned) and inspect in one streaming pass; the bundle type is checked before any byte is read. */
export async function inspectRevision(
  rev: S3Revision,
  options: InspectOptions & { client?: S3Client } = {},
): Promise<BundleInspection & { eTag?: string; versionId?: string }> {
  if (!isBundleType(rev.bundleType)) {
    throw new BundleError(BundleErrorNames.InvalidBundleType, `bundleType must be one of ${BUNDLE_TYPES.join(", ")}, got '${rev.bundleType}'`);
  }
  const limits = resolveLimits(options.limits);
  const fetched = await fetchRevision(rev, options.client);
  if (fetched.contentLength !== undefined && fetched.contentLength > limits.maxArchiveBytes) {
    fetched.body.destroy();
    throw new BundleError(BundleErrorNames.TooLarge, `s3://${rev.bucket}/${rev.key} is ${fetched.contentLength} bytes, above maxArchiveBytes ${limits.maxArchiveBytes}`);
  }
  // A YAML/JSON revision is the appspec itself: its one cap applies before a byte of the body is read.
  if ((rev.bundleType === "YAML" || rev.bundleType === "JSON") && fetched.contentLength !== undefined && fetched.contentLength > limits.maxAppSpecBytes) {
    fetched.body.destroy();
    throw appSpecTooLarge(`s3://${rev.bucket}/${rev.key} (a ${rev.bundleType} revision) is ${fetched.contentLength} bytes`, limits.maxAppSpecBytes);
  }
  const inspection = await inspectBundle(fetched.body, rev.bundleType, options);
  return { ...inspection, eTag: fetched.eTag, versionId: fetched.versionId };
}

/** The revision store: pinned GetObject and the streaming inspection, as one port. */
export function createBundleStoreAdapter(client?: S3Client): BundleStorePort {
  return { inspect: (revision, options) => inspectRevision(revision, { ...options, client }) };
}
