import type { ArtifactRef } from "./artifacts.js";

/**
 * The StartBuild overrides of a CodeBuild action (the `codebuild:startBuild.sync` task passes them
 * through as they are): CodePipeline runs the project with the input artifacts as its sources (the
 * primary is `PrimarySource` or the first input; the others are secondary sources named by artifact,
 * so `$CODEBUILD_SRC_DIR_<name>` works as in CodePipeline) and writes the outputs as zips into the
 * artifact store (the first is the primary artifact, the others secondary artifacts named by
 * artifact, matching buildspec `secondary-artifacts`). `EnvironmentVariables` (already resolved)
 * become the build's environment overrides (action-reference-CodeBuild).
 */
export interface EnvironmentOverride {
  name: string;
  value: string;
  type: "PLAINTEXT" | "PARAMETER_STORE" | "SECRETS_MANAGER";
}

export interface CodeBuildRequest {
  projectName: string;
  sourceType: "S3";
  sourceLocation: string;
  secondarySources: { type: "S3"; location: string; sourceIdentifier: string }[];
  artifacts: S3ArtifactOverride | { type: "NO_ARTIFACTS" };
  secondaryArtifacts: (S3ArtifactOverride & { artifactIdentifier: string })[];
  environmentVariables: EnvironmentOverride[];
}

export interface S3ArtifactOverride {
  type: "S3";
  location: string;
  path: string;
  name: string;
  packaging: "ZIP";
  namespaceType: "NONE";
  overrideArtifactName: false;
}

function s3Artifact(ref: ArtifactRef): S3ArtifactOverride {
  const slash = ref.key.lastIndexOf("/");
  return { type: "S3", location: ref.bucket, path: ref.key.slice(0, slash), name: ref.key.slice(slash + 1), packaging: "ZIP", namespaceType: "NONE", overrideArtifactName: false };
}

export function parseEnvironmentVariables(text: string | undefined): EnvironmentOverride[] {
  if (text === undefined) return [];
  const parsed = JSON.parse(text) as { name: string; value: string; type?: EnvironmentOverride["type"] }[];
  return parsed.map((v) => ({ name: v.name, value: v.value, type: v.type ?? "PLAINTEXT" }));
}

/** `configuration` is the action's configuration with variables resolved. */
export function codeBuildRequest(configuration: Record<string, string>, inputs: ArtifactRef[], outputs: ArtifactRef[]): CodeBuildRequest {
  const primaryName = configuration["PrimarySource"] ?? inputs[0]?.name;
  const primary = inputs.find((i) => i.name === primaryName) ?? inputs[0];
  if (!primary) throw new Error("a CodeBuild action needs an input artifact");
  const [firstOut, ...otherOuts] = outputs;
  return {
    projectName: configuration["ProjectName"] as string,
    sourceType: "S3",
    sourceLocation: `${primary.bucket}/${primary.key}`,
    secondarySources: inputs.filter((i) => i !== primary).map((i) => ({ type: "S3", location: `${i.bucket}/${i.key}`, sourceIdentifier: i.name })),
    artifacts: firstOut ? s3Artifact(firstOut) : { type: "NO_ARTIFACTS" },
    secondaryArtifacts: otherOuts.map((o) => ({ ...s3Artifact(o), artifactIdentifier: o.name })),
    environmentVariables: parseEnvironmentVariables(configuration["EnvironmentVariables"]),
  };
}

type Exported = { name?: string; value?: string; Name?: string; Value?: string };

/**
 * The variables a build exported (buildspec `env.exported-variables`), as the action's namespace
 * holds them. Step Functions' `.sync` result spells the Build object in PascalCase
 * (`ExportedEnvironmentVariables[].Name`), the SDK in camelCase; both are read.
 */
export function exportedVariables(build: { exportedEnvironmentVariables?: Exported[]; ExportedEnvironmentVariables?: Exported[] } | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of build?.ExportedEnvironmentVariables ?? build?.exportedEnvironmentVariables ?? []) {
    const name = v.Name ?? v.name;
    if (name) out[name] = v.Value ?? v.value ?? "";
  }
  return out;
}
