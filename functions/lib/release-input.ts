import { type ReleaseSource, type Trigger, parseReleaseSources } from "../domain/release/index.js";

/** The release state machine's input (written by dispatchRelease, pasteable in the console; docs/releases.md). */
export interface ReleaseEvent {
  releaseId: string;
  deploymentId: string;
  source: unknown;
  trigger: Trigger;
  bundleType?: string;
}

/** The source is checked again: a hand-written input gets the same errors as the configuration. */
export function releaseSourceOf(event: ReleaseEvent): ReleaseSource {
  return parseReleaseSources([event.source])[0] as ReleaseSource;
}

/** The S3 revision of an S3-triggered release, pinned by the version id and ETag of the event. */
export function revisionOf(event: ReleaseEvent) {
  const t = event.trigger;
  if (t.kind !== "s3") throw new Error("not an S3 release");
  return { bucket: t.bucket, key: t.key, version: t.versionId, eTag: t.eTag, bundleType: event.bundleType ?? "zip" };
}
