/** An S3 object, optionally pinned to a version. */
export interface ObjectRef {
  bucket: string;
  key: string;
  versionId?: string;
}

/**
 * The pipeline's S3 work: pinned source objects copied into the artifact store, artifacts read and
 * written (S3 source and deploy actions, the ECR source's imageDetail.json).
 */
export interface ArtifactStorePort {
  /** CopyObject; a pinned source that no longer has that version is an error naming it. */
  copyObject(source: ObjectRef, target: ObjectRef): Promise<{ eTag?: string; versionId?: string }>;
  getObject(source: ObjectRef): Promise<{ body: Uint8Array; eTag?: string; versionId?: string }>;
  putObject(target: ObjectRef, body: Uint8Array, contentType?: string): Promise<void>;
}
