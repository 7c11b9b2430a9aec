import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { readPipeline } from "../functions/domain/pipeline/index.js";
import { GIT_FETCH_PROJECT_ID, GIT_FETCH_ROLE_ID, gitFetchProject } from "../functions/domain/pipeline/stack/git-fetch-project.js";
import { type Cfn, type PipelineStackPart, pipelineStackPart } from "../functions/domain/pipeline/stack/stack.js";
import { type PipelineTrigger, type TriggerPatterns, triggerPatterns } from "../functions/domain/pipeline/stack/triggers.js";
import type { Pipeline } from "../functions/domain/pipeline/types.js";

/**
 * Every definition in `pipelines/` (JSON or YAML, any shape `pipeline validate` reads), compiled for
 * the stack: read by config/pipelines.cjs (serverless variables: triggers, grants) and
 * config/pipelines-plugin.cjs (the state machines and their roles) at package time. An invalid
 * definition stops packaging with its errors.
 */
export interface PipelineStack {
  parts: PipelineStackPart[];
  /** The git-fetch CodeBuild project and its role by logical id, when a pipeline has a git source. */
  gitFetch?: Record<string, Cfn>;
  triggers: PipelineTrigger[];
  /** The trigger Lambda's EventBridge rule patterns (config/pipelines.cjs takes their `detail`). */
  rules: TriggerPatterns;
  pipelines: Pipeline[];
}

export function readPipelinesDir(root: string): Pipeline[] {
  const dir = path.join(root, "pipelines");
  const files = readdirSync(dir).filter((f) => /\.(json|ya?ml)$/.test(f)).sort();
  return files.map((f) => {
    const read = readPipeline(readFileSync(path.join(dir, f), "utf8"));
    if (!read.valid || !read.pipeline) throw new Error(`pipelines/${f}: invalid pipeline definition:\n${read.errors.map((e) => `  ${e.path}: ${e.message}`).join("\n")}`);
    return read.pipeline;
  });
}

export function pipelineStack(root: string, service: string, stage: string): PipelineStack {
  const pipelines = readPipelinesDir(root);
  const names = new Set<string>();
  for (const p of pipelines) {
    if (names.has(p.name)) throw new Error(`pipelines/: two definitions name the pipeline '${p.name}'`);
    names.add(p.name);
  }
  const parts = pipelines.map((p) => pipelineStackPart(p, { service, stage }));
  const made = gitFetchProject(pipelines, { service, stage });
  const gitFetch = made && { [GIT_FETCH_PROJECT_ID]: made.project, [GIT_FETCH_ROLE_ID]: made.role };
  const triggers = parts.flatMap((p) => p.triggers);
  return { parts, ...(gitFetch && { gitFetch }), triggers, rules: triggerPatterns(triggers), pipelines };
}

export { triggerPatterns };
