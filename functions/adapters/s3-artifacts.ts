import { CopyObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { ErrorNames, StepDeployError } from "../domain/errors.js";
import type { ArtifactStorePort, ObjectRef } from "../ports/artifact-store.js";
import { toStepDeployError } from "./aws-errors.js";
import { normalizeETag, s3Client } from "./s3.js";

/**
 * The pipeline's artifact store and S3 source/deploy objects. A pinned version that is gone (or a
 * missing object) is `Deploy.ResourceNotFound` naming the object; other failures are mapped as
 * every adapter maps them (transient errors are retried by the state machine).
 */
const where = (o: ObjectRef) => `s3://${o.bucket}/${o.key}${o.versionId ? `?versionId=${o.versionId}` : ""}`;

function mapError(e: unknown, what: string, o: ObjectRef): StepDeployError {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (["NoSuchKey", "NoSuchBucket", "NoSuchVersion", "NotFound"].includes(err?.name ?? "") || err?.$metadata?.httpStatusCode === 404) {
    return new StepDeployError(ErrorNames.ResourceNotFound, `${what} ${where(o)}: ${err?.name ?? "NotFound"}: ${err?.message ?? "not found"}`, { cause: e });
  }
  return toStepDeployError(e, `${what} ${where(o)}`);
}

export function createArtifactStoreAdapter(client: S3Client = s3Client()): ArtifactStorePort {
  return {
    async copyObject(source, target) {
      // CopySource is "<bucket>/<url-encoded key>[?versionId=...]" (S3 API Reference, CopyObject).
      const copySource = `${source.bucket}/${encodeURIComponent(source.key).replace(/%2F/g, "/")}${source.versionId ? `?versionId=${encodeURIComponent(source.versionId)}` : ""}`;
      try {
        const out = await client.send(new CopyObjectCommand({ Bucket: target.bucket, Key: target.key, CopySource: copySource }));
        const eTag = out.CopyObjectResult?.ETag;
        return { ...(eTag && { eTag: normalizeETag(eTag) }), ...(out.CopySourceVersionId && { versionId: out.CopySourceVersionId }) };
      } catch (e) {
        throw mapError(e, "CopyObject from", source);
      }
    },
    async getObject(source) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: source.bucket, Key: source.key, ...(source.versionId && { VersionId: source.versionId }) }));
        if (!out.Body) throw new StepDeployError(ErrorNames.AwsError, `GetObject ${where(source)}: no body`);
        const body = await out.Body.transformToByteArray();
        return { body, ...(out.ETag && { eTag: normalizeETag(out.ETag) }), ...(out.VersionId && { versionId: out.VersionId }) };
      } catch (e) {
        throw mapError(e, "GetObject", source);
      }
    },
    async putObject(target, body, contentType) {
      try {
        await client.send(new PutObjectCommand({ Bucket: target.bucket, Key: target.key, Body: body, ...(contentType && { ContentType: contentType }) }));
      } catch (e) {
        throw mapError(e, "PutObject", target);
      }
    },
  };
}
