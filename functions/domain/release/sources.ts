import type { ReleaseSource } from "./source-config.js";
import type { Trigger } from "./trigger.js";

/**
 * Release sources: which S3 uploads and ECR pushes start which releases. One list per stage,
 * `config/releases.<stage>.json` (docs/releases.md); serverless.yml derives the EventBridge rule
 * filters from it and hands it to the dispatcher as RELEASE_SOURCES.
 *
 * A source owns its targets: an S3 source names a bucket, a key prefix and the function(s) and
 * alias(es) its uploads may deploy (`functions`); the bundle's appspec picks one of them and names
 * the hooks, and an appspec naming anything else is refused before any code changes. An ECR source
 * names a repository and tag and, having no appspec, the one function, alias and hooks.
 * An ECS source (`platform: "ecs"`) names a service and container instead, and takes the release workflow's
 * ECS branch (a Choice on `platform`). The shapes are zod schemas
 * (source-config.ts); a deployment group's `release` section declares a source too (groups/releases.ts).
 */
export const DEFAULT_RELEASE_CONFIG = "CodeDeployDefault.LambdaAllAtOnce";


export type SourceMatch = { source: ReleaseSource; bundleType?: string } | { ignored: string };

const EXTENSIONS: [RegExp, string][] = [
  [/\.zip$/i, "zip"],
  [/\.(tgz|tar\.gz)$/i, "tgz"],
  [/\.tar$/i, "tar"],
  [/\.ya?ml$/i, "YAML"],
  [/\.json$/i, "JSON"],
];

/** The bundle type CodeDeploy users give as `bundleType`, read from the key's extension. */
export function bundleTypeOfKey(key: string): string | undefined {
  return EXTENSIONS.find(([re]) => re.test(key))?.[1];
}

export function matchSource(sources: readonly ReleaseSource[], t: Trigger): SourceMatch {
  if (t.kind === "s3") {
    const source = sources.find((s) => "s3" in s && s.s3.bucket === t.bucket && t.key.startsWith(s.s3.prefix));
    if (!source) return { ignored: `no release source for s3://${t.bucket}/${t.key}` };
    if (t.key.endsWith("/")) return { ignored: `s3://${t.bucket}/${t.key} is a folder marker` };
    const bundleType = bundleTypeOfKey(t.key);
    if (!bundleType) return { ignored: `s3://${t.bucket}/${t.key} is not a bundle (.zip, .tar, .tgz, .tar.gz, .yml, .yaml, .json)` };
    return { source, bundleType };
  }
  const source = sources.find((s) => "ecr" in s && s.ecr.repository === t.repository && (s.ecr.tag === "" || s.ecr.tag === t.tag));
  if (!source) return { ignored: `no release source for ECR ${t.repository}:${t.tag ?? "(untagged)"}` };
  return { source };
}
