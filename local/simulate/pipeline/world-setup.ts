import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { storageBucket } from "../../../functions/domain/pipeline/execution/elastic-beanstalk.js";
import type { Pipeline } from "../../../functions/domain/pipeline/types.js";

/**
 * A pipeline scenario's `world` turned into what the simulator is made of: the simulated account's
 * setup (functions, alarms, CodeBuild projects), the buckets s3rver serves (artifact stores and
 * sources) with the objects to upload, the CodeCommit repositories (folders, with a commit id
 * derived from their content as git derives one), and the deployment groups the stack is given
 * (`DEPLOYMENT_GROUPS`). Unknown keys are refused by name.
 *
 * world: {
 *   "s3": {bucket: {key: {"files": dir}}},            uploaded as zips before the first start
 *   "codecommit": {repo: {branch: {"files": dir, "message"?}}},
 *   "codebuild": {project: {"buildspec"?: yaml, "failBuilds"?: [n]}},
 *   "groups": {application: {group: {"function", "alias", "deploymentConfig"?, "alarms"?}}},
 *   "functions", "alarms", "hooks", "topics": as in the account setup (local/account/README.md),
 *   "alarmTimeline": account timeline entries ({atSeconds, alarm, state})
 *   "ecs": the account setup's ECS section (task definitions, clusters, services; ECS deploy actions)
 *   "ecsTimeline": account timeline entries ({atSeconds, taskDefinition, tasks})
 *   "cloudformation": the account setup's CloudFormation section (stacks that exist, secondsPerResource)
 *   "elasticbeanstalk": the account setup's Elastic Beanstalk section (applications, environments);
 *                       EB's storage bucket, where the action copies source bundles, is served too
 * }
 */
export interface PipelineWorld {
  setup: Record<string, unknown>;
  timeline: unknown[];
  buckets: string[];
  uploads: { bucket: string; key: string; dir: string }[];
  repositories: Map<string, { branch: string; dir: string; commitId: string; message?: string }[]>;
  groupsJson: string;
}

const WORLD_KEYS = ["s3", "codecommit", "codebuild", "groups", "functions", "alarms", "hooks", "topics", "alarmTimeline", "ecs", "ecsTimeline", "cloudformation", "elasticbeanstalk"];


type Obj = Record<string, unknown>;
const entries = (v: unknown) => Object.entries((v ?? {}) as Obj);

/** A commit id from the folder's files (paths and contents), so the same tree gives the same id. */
export function commitIdOf(dir: string, branch: string, message = ""): string {
  const h = createHash("sha1");
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full, `${rel}${name}/`);
      else h.update(`${rel}${name}\0`).update(readFileSync(full)).update("\0");
    }
  };
  walk(dir, "");
  return h.update(`${branch}\0${message}`).digest("hex");
}

export function pipelineWorld(world: Obj, pipeline: Pipeline, root: string, gitFetchProject: string): PipelineWorld {
  const unknown = Object.keys(world).filter((k) => !WORLD_KEYS.includes(k));
  if (unknown.length) throw new Error(`world: unknown key(s) ${unknown.join(", ")} (one of ${WORLD_KEYS.join(", ")})`);
  const dir = (d: unknown, at: string) => {
    if (typeof d !== "string") throw new Error(`${at}.files: a folder of the repository is required`);
    const full = path.resolve(root, d);
    if (!statSync(full, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${at}.files: ${d} is not a folder`);
    return full;
  };
  const uploads = entries(world["s3"]).flatMap(([bucket, keys]) => entries(keys).map(([key, o]) => ({ bucket, key, dir: dir((o as Obj)["files"], `world.s3.${bucket}.${key}`) })));
  const stores = [pipeline.artifactStore?.location, ...Object.values(pipeline.artifactStores ?? {}).map((s) => s.location)].filter((b): b is string => typeof b === "string");
  const repositories = new Map(
    entries(world["codecommit"]).map(([repo, branches]) => [
      repo,
      entries(branches).map(([branch, o]) => {
        const files = dir((o as Obj)["files"], `world.codecommit.${repo}.${branch}`);
        const message = (o as Obj)["message"] as string | undefined;
        return { branch, dir: files, commitId: commitIdOf(files, branch, message), ...(message !== undefined && { message }) };
      }),
    ]),
  );
  const projects = [
    // The stack's git-fetch project as CloudFormation creates it: no buildspec of its own (every fetch sends one).
    { name: gitFetchProject },
    ...entries(world["codebuild"]).map(([name, o]) => ({ name, ...(o as Obj) })),
  ];
  const applications = Object.fromEntries(
    entries(world["groups"]).map(([app, groups]) => [
      app,
      {
        computePlatform: "Lambda",
        deploymentGroups: Object.fromEntries(
          entries(groups).map(([group, g]) => {
            const o = g as { function?: string; alias?: string; deploymentConfig?: string; alarms?: string[] };
            return [
              group,
              {
                target: { functionName: o.function, alias: o.alias },
                ...(o.deploymentConfig && { deploymentConfigName: o.deploymentConfig }),
                ...(o.alarms?.length && { alarmConfiguration: { enabled: true, alarms: o.alarms.map((name) => ({ name })) } }),
              },
            ];
          }),
        ),
      },
    ]),
  );
  const setup: Obj = { codebuild: { projects } };
  for (const k of ["functions", "alarms", "hooks", "topics", "ecs", "cloudformation", "elasticbeanstalk"]) if (world[k] !== undefined) setup[k] = world[k];
  return {
    setup,
    timeline: [...((world["alarmTimeline"] as unknown[] | undefined) ?? []), ...((world["ecsTimeline"] as unknown[] | undefined) ?? [])],
    // The local stack's region and account (local/runtime/stack.ts defaults) name EB's storage bucket.
    buckets: [...new Set([...stores, ...uploads.map((u) => u.bucket), ...(world["elasticbeanstalk"] ? [storageBucket(process.env.AWS_REGION ?? "us-east-1", "123456789012")] : [])])],
    uploads,
    repositories,
    groupsJson: JSON.stringify({ revisionBuckets: stores, applications }),
  };
}

/** The pinned revision of every git source action at a start: the branch's commit in the world. */
export function gitRevisions(pipeline: Pipeline, w: PipelineWorld): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const action of pipeline.stages[0]?.actions ?? []) {
    if (action.actionTypeId.provider !== "CodeCommit") continue;
    const repo = action.configuration["RepositoryName"] as string;
    const branch = action.configuration["BranchName"] as string;
    const head = w.repositories.get(repo)?.find((b) => b.branch === branch);
    if (head) out[action.name] = { CommitId: head.commitId, BranchName: branch, ...(head.message !== undefined && { CommitMessage: head.message }) };
  }
  return out;
}
