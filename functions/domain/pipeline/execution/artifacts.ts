import { shortHash } from "../synth/names.js";
import type { ArtifactStore, Pipeline } from "../types.js";

/**
 * Where an artifact lives in the artifact store, in CodePipeline's layout
 * `<bucket>/<pipeline>/<artifact>/<key>`: the pipeline folder is the pipeline name cut to 20
 * characters (AWS re:Post "CodePipeline truncates folder names in output artifact S3 bucket"),
 * the artifact folder the artifact name cut to 10 (user guide detect-state-changes-cloudwatch-events:
 * `myPipeline/SourceArti/KEYEXAMPLE`), and the key a short id. CodePipeline's key is random;
 * stepdeploy's is a hash of execution, action, artifact and attempt, so a retried Lambda writes the
 * same object instead of leaving an orphan, and two executions never share one. Artifacts are zips.
 */
export const PIPELINE_FOLDER_CHARS = 20;
export const ARTIFACT_FOLDER_CHARS = 10;

export interface ArtifactRef {
  name: string;
  bucket: string;
  key: string;
}

/** The store for an action's region (cross-region actions use their region's store). */
export function storeFor(pipeline: Pick<Pipeline, "artifactStore" | "artifactStores">, region: string | undefined, pipelineRegion: string): ArtifactStore {
  if (pipeline.artifactStore) return pipeline.artifactStore;
  const stores = pipeline.artifactStores ?? {};
  const store = stores[region ?? pipelineRegion] ?? stores[pipelineRegion];
  if (!store) throw new Error(`no artifact store for region ${region ?? pipelineRegion} (artifactStores has ${Object.keys(stores).join(", ") || "none"})`);
  return store;
}

export function artifactKey(pipelineName: string, artifactName: string, producedBy: { executionId: string; stage: string; action: string; attempt: number }): string {
  const id = shortHash(`${producedBy.executionId}/${producedBy.stage}/${producedBy.action}/${artifactName}/${producedBy.attempt}`).slice(0, 7).toUpperCase();
  return `${pipelineName.slice(0, PIPELINE_FOLDER_CHARS)}/${artifactName.slice(0, ARTIFACT_FOLDER_CHARS)}/${id}`;
}

export function outputArtifact(store: ArtifactStore, pipelineName: string, artifactName: string, producedBy: { executionId: string; stage: string; action: string; attempt: number }): ArtifactRef {
  return { name: artifactName, bucket: store.location, key: artifactKey(pipelineName, artifactName, producedBy) };
}

/** The event shape of an artifact (`input-artifacts`/`output-artifacts` in the state-change events). */
export function eventArtifact(ref: ArtifactRef): { name: string; s3location: { bucket: string; key: string } } {
  return { name: ref.name, s3location: { bucket: ref.bucket, key: ref.key } };
}
