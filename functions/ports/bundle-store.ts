import type { BundleInspection, InspectOptions } from "../domain/bundles/index.js";

/** A revision in S3, pinned: read only if the object still has this version id and ETag. */
export interface PinnedRevision {
  bucket: string;
  key: string;
  version?: string;
  eTag?: string;
  /** tar | tgz | zip | YAML | JSON, as in CodeDeploy's S3Location. */
  bundleType: string;
}

/** Where revision bundles live. A different object than the pinned one throws `Bundle.RevisionMismatch`. */
export interface BundleStorePort {
  /** Fetches the revision and inspects it in one streaming pass (domain/bundles: safe paths, caps, the appspec). */
  inspect(revision: PinnedRevision, options?: InspectOptions): Promise<BundleInspection>;
}
