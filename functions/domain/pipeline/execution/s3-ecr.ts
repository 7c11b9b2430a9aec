import { PipelineError, PipelineErrorNames } from "../errors.js";
import type { ArtifactRef } from "./artifacts.js";

/**
 * The providers a small Lambda runs once, in CodePipeline's terms:
 * - Source S3: the object (pinned to the version the trigger saw) is the output artifact as it is,
 *   and the action emits `ETag` and `VersionId` (action-reference-S3);
 * - Source ECR: the output artifact is a zip holding `imageDetail.json` for the pinned digest, and
 *   the action emits `RegistryId`, `RepositoryName`, `ImageTag`, `ImageDigest`, `ImageURI`
 *   (action-reference-ECR, file-reference "imageDetail.json file for Amazon ECS blue/green");
 * - Deploy S3: the input artifact copied to `BucketName/ObjectKey`, or with `Extract` its files under
 *   `ObjectKey/` (action-reference-S3Deploy).
 * A source revision is what the execution pinned at its start (`sourceRevisions.<action>`).
 */
export interface ObjectPin {
  bucket: string;
  key: string;
  versionId?: string;
}

export function s3SourceObject(configuration: Record<string, string>, revision: Record<string, string> = {}): ObjectPin {
  const bucket = configuration["S3Bucket"] as string;
  // AllowOverrideForS3ObjectKey lets a start name another key (StartPipelineExecution sourceRevisions, S3_OBJECT_KEY).
  const key = configuration["AllowOverrideForS3ObjectKey"] === "true" && revision["S3ObjectKey"] ? revision["S3ObjectKey"] : (configuration["S3ObjectKey"] as string);
  return { bucket, key, ...(revision["VersionId"] && { versionId: revision["VersionId"] }) };
}

export function s3SourceVariables(copied: { eTag?: string; versionId?: string }, pinned: ObjectPin): Record<string, string> {
  return { ETag: copied.eTag ?? "", VersionId: copied.versionId ?? pinned.versionId ?? "" };
}

export interface EcrImage {
  registryId: string;
  repositoryName: string;
  imageTag: string;
  imageDigest: string;
  imageUri: string;
}

/** The pinned image of an ECR source. Without a pinned digest there is nothing to pin: the start must name one (a push event does). */
export function ecrSourceImage(configuration: Record<string, string>, revision: Record<string, string> = {}, region: string, account: string, action = "the ECR source"): EcrImage {
  const digest = revision["ImageDigest"];
  if (!digest || !/^sha256:[0-9a-f]{64}$/.test(digest)) {
    throw new PipelineError(PipelineErrorNames.ActionFailed, `${action} has no pinned image digest for this execution (sourceRevisions.<action>.ImageDigest, sha256:<64 hex>); an ECR push event pins it, a manual start must give it`);
  }
  const registryId = revision["RegistryId"] ?? account;
  const repositoryName = configuration["RepositoryName"] as string;
  return { registryId, repositoryName, imageTag: revision["ImageTag"] ?? configuration["ImageTag"] ?? "latest", imageDigest: digest, imageUri: `${registryId}.dkr.ecr.${region}.amazonaws.com/${repositoryName}@${digest}` };
}

/** `imageDetail.json` as CodePipeline writes it for an ECR source. */
export function imageDetail(image: EcrImage, pushedAt?: string): Record<string, unknown> {
  return { ImageDigest: image.imageDigest, Version: "1.0", ...(pushedAt && { ImagePushedAt: pushedAt }), RegistryId: image.registryId, RepositoryName: image.repositoryName, ImageURI: image.imageUri, ImageTags: [image.imageTag] };
}

export function ecrSourceVariables(image: EcrImage): Record<string, string> {
  return { RegistryId: image.registryId, RepositoryName: image.repositoryName, ImageTag: image.imageTag, ImageDigest: image.imageDigest, ImageURI: image.imageUri };
}

/** Where an S3 deploy puts the artifact (Extract false) or each of its files (Extract true). */
export function s3DeployTargets(configuration: Record<string, string>, input: ArtifactRef, files?: string[]): { copy?: { from: ArtifactRef; to: ObjectPin }; files?: { name: string; to: ObjectPin }[] } {
  const bucket = configuration["BucketName"] as string;
  const prefix = (configuration["ObjectKey"] ?? "").replace(/^\/+|\/+$/g, "");
  if (configuration["Extract"] !== "true") {
    if (!prefix) throw new PipelineError(PipelineErrorNames.ActionFailed, "an S3 deploy with Extract false needs ObjectKey (the key the artifact is written to)");
    return { copy: { from: input, to: { bucket, key: prefix } } };
  }
  return { files: (files ?? []).map((name) => ({ name, to: { bucket, key: prefix ? `${prefix}/${name}` : name } })) };
}
