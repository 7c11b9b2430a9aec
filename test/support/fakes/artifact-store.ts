import { ErrorNames, StepDeployError } from "../../../functions/domain/errors.js";
import type { ArtifactStorePort, ObjectRef } from "../../../functions/ports/artifact-store.js";

/** S3 in memory: objects by bucket/key, each put a new version ("v1", "v2", ...); a missing object or version is Deploy.ResourceNotFound. */
export class FakeArtifactStore implements ArtifactStorePort {
  readonly versions = new Map<string, { versionId: string; body: Uint8Array }[]>();

  put(bucket: string, key: string, body: Uint8Array | string): string {
    const list = this.versions.get(`${bucket}/${key}`) ?? [];
    const versionId = `v${list.length + 1}`;
    list.push({ versionId, body: typeof body === "string" ? new TextEncoder().encode(body) : body });
    this.versions.set(`${bucket}/${key}`, list);
    return versionId;
  }

  text(bucket: string, key: string): string | undefined {
    const latest = this.versions.get(`${bucket}/${key}`)?.at(-1);
    return latest && new TextDecoder().decode(latest.body);
  }

  private read(o: ObjectRef) {
    const list = this.versions.get(`${o.bucket}/${o.key}`) ?? [];
    const found = o.versionId ? list.find((v) => v.versionId === o.versionId) : list.at(-1);
    if (!found) throw new StepDeployError(ErrorNames.ResourceNotFound, `s3://${o.bucket}/${o.key}${o.versionId ? `?versionId=${o.versionId}` : ""}: NoSuchKey`);
    return found;
  }

  async copyObject(source: ObjectRef, target: ObjectRef) {
    const found = this.read(source);
    this.put(target.bucket, target.key, found.body);
    return { eTag: `etag-${found.versionId}`, versionId: found.versionId };
  }

  async getObject(source: ObjectRef) {
    const found = this.read(source);
    return { body: found.body, versionId: found.versionId };
  }

  async putObject(target: ObjectRef, body: Uint8Array): Promise<void> {
    this.put(target.bucket, target.key, body);
  }
}
