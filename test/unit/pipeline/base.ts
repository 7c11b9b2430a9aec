import { type Pipeline, readPipelineValue } from "../../../functions/domain/pipeline/index.js";
/** A small valid create-pipeline input that the rule tests mutate one field at a time. */
export type Json = Record<string, unknown>;

export function basePipeline(): Json {
  return {
    pipeline: {
      name: "app",
      roleArn: "arn:aws:iam::111122223333:role/pipeline",
      artifactStore: { type: "S3", location: "app-artifacts" },
      stages: [
        {
          name: "Source",
          actions: [
            {
              name: "Source",
              actionTypeId: { category: "Source", owner: "AWS", provider: "S3", version: "1" },
              configuration: { S3Bucket: "app-sources", S3ObjectKey: "app.zip" },
              outputArtifacts: [{ name: "Src" }],
              namespace: "SourceVariables",
            },
          ],
        },
        {
          name: "Build",
          actions: [
            {
              name: "Build",
              actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" },
              runOrder: 1,
              configuration: { ProjectName: "app-build" },
              inputArtifacts: [{ name: "Src" }],
              outputArtifacts: [{ name: "Built" }],
              namespace: "BuildVariables",
            },
            {
              name: "Approve",
              actionTypeId: { category: "Approval", owner: "AWS", provider: "Manual", version: "1" },
              runOrder: 2,
              configuration: { CustomData: "version #{SourceVariables.VersionId}" },
            },
          ],
        },
        {
          name: "Deploy",
          actions: [
            {
              name: "Deploy",
              actionTypeId: { category: "Deploy", owner: "AWS", provider: "CodeDeploy", version: "1" },
              configuration: { ApplicationName: "app", DeploymentGroupName: "prod" },
              inputArtifacts: [{ name: "Built" }],
            },
          ],
        },
      ],
    },
  };
}

/** Sets `value` at a dotted/indexed path such as `pipeline.stages[1].actions[0].runOrder` (undefined deletes). */
export function setPath(root: Json, path: string, value: unknown): Json {
  const keys = path.replace(/\[(\d+)\]/g, ".$1").split(".");
  let node = root as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  const last = keys[keys.length - 1] as string;
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = value;
  return root;
}

/**
 * A V2 pipeline "web" whose source action "Code" is a CodeStarSourceConnection on Octo/Web (branch main), with the
 * given V2 triggers and extra source configuration, read and checked (throws when invalid).
 */
export function connectionPipeline(triggers?: unknown[], configuration: Record<string, string> = {}): Pipeline {
  const r = readPipelineValue({
    pipeline: {
      name: "web",
      pipelineType: "V2",
      roleArn: "arn:aws:iam::111122223333:role/p",
      artifactStore: { type: "S3", location: "store" },
      ...(triggers && { triggers }),
      stages: [
        { name: "Source", actions: [{ name: "Code", actionTypeId: { category: "Source", owner: "AWS", provider: "CodeStarSourceConnection", version: "1" }, configuration: { ConnectionArn: "arn:aws:codeconnections:eu-west-1:111122223333:connection/abc", FullRepositoryId: "Octo/Web", BranchName: "main", ...configuration }, outputArtifacts: [{ name: "Src" }] }] },
        { name: "Deploy", actions: [{ name: "Up", actionTypeId: { category: "Deploy", owner: "AWS", provider: "S3", version: "1" }, configuration: { BucketName: "site", Extract: "true" }, inputArtifacts: [{ name: "Src" }] }] },
      ],
    },
  });
  if (!r.valid) throw new Error(JSON.stringify(r.errors));
  return r.pipeline as Pipeline;
}
