import { readFileSync } from "node:fs";
import path from "node:path";
import { type Pipeline, type PipelineIssue, readPipeline, readPipelineValue } from "../../../functions/domain/pipeline/index.js";

/**
 * A pipeline scenario (events/pipelines/*.json): a pipeline, the world it runs against, when
 * executions start, what operators do and when, and what must come out. `stepdeploy pipeline
 * simulate` runs it on the local engine against the simulated account; this module reads and checks
 * it, so a scenario that names a stage or action the pipeline does not have fails before anything runs.
 *
 * {
 *   "name", "description",
 *   "pipeline": "pipelines/seed-app.json" | { ...a definition inline },
 *   "world": { "codecommit": {repo: {branch: {"files": dir}}}, "s3": {bucket: {key: {"files": dir}}},
 *              "codebuild": {project: {"buildspec"?: text}}, "groups": {app: {group: {...}}} },
 *   "starts": [{ "atSeconds", "trigger"?, "variables"? }],
 *   "timeline": [{ "atSeconds", "approve" | "reject": {stage, action, summary?},
 *                  "disableTransition": {stage, reason}, "enableTransition": {stage},
 *                  "retry": {execution, stage, mode?} }],
 *   "expect": { "executions": [{ "status", "stages"?: {stage: status}, "actions"?: {"Stage.Action": status} }] }
 * }
 */
export const PIPELINE_STATUSES = ["Cancelled", "InProgress", "Stopped", "Stopping", "Succeeded", "Superseded", "Failed"] as const;
export const STAGE_STATUSES = ["Cancelled", "InProgress", "Failed", "Stopped", "Stopping", "Succeeded", "Skipped"] as const;
export const ACTION_STATUSES = ["InProgress", "Abandoned", "Succeeded", "Failed"] as const;

export type TimelineEntry =
  | { atSeconds: number; approve: { stage: string; action: string; summary?: string } }
  | { atSeconds: number; reject: { stage: string; action: string; summary?: string } }
  | { atSeconds: number; disableTransition: { stage: string; reason: string } }
  | { atSeconds: number; enableTransition: { stage: string } }
  | { atSeconds: number; retry: { execution: number; stage: string; mode?: "FAILED_ACTIONS" | "ALL_ACTIONS" } };

export interface ExpectedExecution {
  status: (typeof PIPELINE_STATUSES)[number];
  stages?: Record<string, (typeof STAGE_STATUSES)[number]>;
  actions?: Record<string, (typeof ACTION_STATUSES)[number]>;
}

export interface PipelineScenario {
  name: string;
  description: string;
  pipeline: Pipeline;
  world: Record<string, unknown>;
  starts: { atSeconds: number; trigger?: string; variables?: Record<string, string> }[];
  timeline: TimelineEntry[];
  expect: { executions: ExpectedExecution[] };
}

export type ScenarioRead = { ok: true; scenario: PipelineScenario } | { ok: false; errors: PipelineIssue[] };

const KINDS = ["approve", "reject", "disableTransition", "enableTransition", "retry"] as const;

/** Reads a scenario file; relative paths in it are relative to `root` (the repository). */
export function readScenarioFile(file: string, root: string): ScenarioRead {
  return readScenario(JSON.parse(readFileSync(file, "utf8")), root);
}

export function readScenario(raw: Record<string, unknown>, root: string): ScenarioRead {
  const errors: PipelineIssue[] = [];
  const err = (p: string, message: string) => errors.push({ path: p, message });
  const source = raw["pipeline"];
  const read = typeof source === "string" ? readPipeline(readFileSync(path.resolve(root, source), "utf8")) : readPipelineValue(source);
  for (const e of read.errors) err(`pipeline${e.path ? ` ${e.path}` : ""}`, e.message);
  const pipeline = read.pipeline;
  if (!pipeline) return { ok: false, errors };
  const stage = (name: unknown) => pipeline.stages.find((s) => s.name === name);
  const action = (s: unknown, a: unknown) => stage(s)?.actions.find((x) => x.name === a);
  for (const k of ["name", "description"]) if (typeof raw[k] !== "string" || !raw[k]) err(k, "is required (a string)");
  const starts = Array.isArray(raw["starts"]) ? (raw["starts"] as PipelineScenario["starts"]) : [];
  if (starts.length === 0) err("starts", "needs at least one start ({atSeconds})");
  const timeline = Array.isArray(raw["timeline"]) ? (raw["timeline"] as Record<string, unknown>[]) : [];
  timeline.forEach((entry, i) => {
    const at = `timeline[${i}]`;
    const kinds = KINDS.filter((k) => k in entry);
    if (typeof entry["atSeconds"] !== "number" || (entry["atSeconds"] as number) < 0) err(`${at}.atSeconds`, "must be a number of seconds >= 0");
    if (kinds.length !== 1) {
      err(at, `needs exactly one of ${KINDS.join(", ")}`);
      return;
    }
    const kind = kinds[0] as (typeof KINDS)[number];
    const body = entry[kind] as { stage?: string; action?: string; execution?: number };
    if (!stage(body.stage)) err(`${at}.${kind}.stage`, `the pipeline has no stage '${body.stage}'`);
    else if ((kind === "approve" || kind === "reject") && action(body.stage, body.action)?.actionTypeId.provider !== "Manual") err(`${at}.${kind}.action`, `'${body.stage}.${body.action}' is not a manual approval action`);
    else if ((kind === "disableTransition" || kind === "enableTransition") && pipeline.stages[0]?.name === body.stage) err(`${at}.${kind}.stage`, "the first stage has no inbound transition");
    if (kind === "retry" && !(typeof body.execution === "number" && body.execution >= 1 && body.execution <= starts.length)) err(`${at}.retry.execution`, `must be the number of a start (1-${starts.length})`);
  });
  const expected = ((raw["expect"] as { executions?: ExpectedExecution[] } | undefined)?.executions ?? []) as ExpectedExecution[];
  if (expected.length === 0) err("expect.executions", "say what each execution ends as");
  expected.forEach((x, i) => {
    const at = `expect.executions[${i}]`;
    if (!(PIPELINE_STATUSES as readonly string[]).includes(x.status)) err(`${at}.status`, `'${x.status}' is not one of ${PIPELINE_STATUSES.join(", ")}`);
    for (const [s, st] of Object.entries(x.stages ?? {})) {
      if (!stage(s)) err(`${at}.stages.${s}`, `the pipeline has no stage '${s}'`);
      if (!(STAGE_STATUSES as readonly string[]).includes(st)) err(`${at}.stages.${s}`, `'${st}' is not one of ${STAGE_STATUSES.join(", ")}`);
    }
    for (const [key, st] of Object.entries(x.actions ?? {})) {
      const dot = key.indexOf(".");
      if (!action(key.slice(0, dot), key.slice(dot + 1))) err(`${at}.actions.${key}`, "names no action of the pipeline (Stage.Action)");
      if (!(ACTION_STATUSES as readonly string[]).includes(st)) err(`${at}.actions.${key}`, `'${st}' is not one of ${ACTION_STATUSES.join(", ")}`);
    }
  });
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    scenario: { name: raw["name"] as string, description: raw["description"] as string, pipeline, world: (raw["world"] ?? {}) as Record<string, unknown>, starts, timeline: timeline as TimelineEntry[], expect: { executions: expected } },
  };
}
