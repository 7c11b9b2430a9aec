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
 *   "starts": [{ "atSeconds", "trigger"?, "variables"?, "upload"?: {bucket, key, files: dir} }],   (upload: a new source object just before the start)
 *              or, routed through the stack's trigger code instead of a direct start (it may start nothing):
 *             [{ "atSeconds", "upload": {...}, "via": "trigger" }]   the upload's S3 "Object Created" event on the simulated EventBridge
 *             [{ "atSeconds", "ecrPush": {repository, tag?, digest?, result?} }]   a push to the simulated ECR, which sends "ECR Image Action"
 *             [{ "atSeconds", "codecommitPush": {repository, branch, event?, files?, message?} }]   "CodeCommit Repository State Change"
 *                 (event: referenceUpdated (default), referenceCreated or referenceDeleted; files: the branch's new tree, a new commit)
 *               these three reach the trigger Lambda only through the stack's trigger rules (triggerPatterns) on the default bus
 *             [{ "atSeconds", "githubPush": {repository, branch? | tag?, files?} }]   a signed GitHub push delivery through the webhook's V2 filters
 *   "timeline": [{ "atSeconds", "approve" | "reject": {stage, action, summary?},
 *                  "disableTransition": {stage, reason}, "enableTransition": {stage},
 *                  "retry": {execution, stage, mode?} }],
 *   "expect": { "executions": [{ "status", "stages"?: {stage: status}, "actions"?: {"Stage.Action": status},
 *                                "trigger"?: type, "sourceRevisions"?: {action: {field: value}}, "namespaces"?: {namespace: {variable: value}} }],
 *               "steps"?: [{ "after": n, "executions": [...as above] }] }   (n: the n-th start or timeline entry, in time order;
 *                                                                       a step's list names every execution there is by then)
 *   (sourceRevisions and namespaces: the fields given must have these values; "<any>" only says the field is there)
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
  /** The execution's trigger type (`CloudWatchEvent` for a start by a trigger rule, `StartPipelineExecution`, ...). */
  trigger?: string;
  /** The revisions pinned at the start, by source action. */
  sourceRevisions?: Record<string, Record<string, string>>;
  /** The actions' output variables, by namespace. */
  namespaces?: Record<string, Record<string, string>>;
}

export interface PipelineScenario {
  name: string;
  description: string;
  pipeline: Pipeline;
  world: Record<string, unknown>;
  starts: { atSeconds: number; trigger?: string; variables?: Record<string, string>; upload?: { bucket: string; key: string; files: string }; via?: "trigger"; githubPush?: GitHubPush; ecrPush?: EcrPush; codecommitPush?: CodeCommitPush }[];
  timeline: TimelineEntry[];
  expect: { executions: ExpectedExecution[]; steps?: { after: number; executions: ExpectedExecution[] }[] };
}

/** A GitHub push as the scenario writes it: the runner makes GitHub's payload (`after`: the branch's commit in the world). */
export interface GitHubPush {
  repository: string;
  branch?: string;
  tag?: string;
  /** The changed paths (added, modified or removed). */
  files?: string[];
}

/** A `docker push` to the simulated ECR (its "ECR Image Action" event goes to the default bus). */
export interface EcrPush {
  repository: string;
  /** The pushed tag (absent: an untagged push). */
  tag?: string;
  /** sha256:<64 hex>; derived from the push when absent. */
  digest?: string;
  result?: "SUCCESS" | "FAILURE";
}

export const CODECOMMIT_REFERENCE_EVENTS = ["referenceUpdated", "referenceCreated", "referenceDeleted"] as const;

/** A change of a CodeCommit branch, sent as CodeCommit's "CodeCommit Repository State Change" event. */
export interface CodeCommitPush {
  repository: string;
  branch: string;
  event?: (typeof CODECOMMIT_REFERENCE_EVENTS)[number];
  /** The branch's new tree (a folder of the repository): a new commit. Without it, the branch's commit in the world. */
  files?: string;
  message?: string;
}

export type ScenarioRead = { ok: true; scenario: PipelineScenario } | { ok: false; errors: PipelineIssue[] };

const KINDS = ["approve", "reject", "disableTransition", "enableTransition", "retry"] as const;

/** Reads a scenario file; relative paths in it are relative to `root` (the repository). */
export function readScenarioFile(file: string, root: string, given?: Pipeline): ScenarioRead {
  return readScenario(JSON.parse(readFileSync(file, "utf8")), root, given);
}

/** `pipeline` replaces the scenario's own (`stepdeploy pipeline simulate <definition> --scenario <file>`). */
export function readScenario(raw: Record<string, unknown>, root: string, given?: Pipeline): ScenarioRead {
  const errors: PipelineIssue[] = [];
  const err = (p: string, message: string) => errors.push({ path: p, message });
  const source = raw["pipeline"];
  const read = given ? { errors: [], pipeline: given } : typeof source === "string" ? readPipeline(readFileSync(path.resolve(root, source), "utf8")) : readPipelineValue(source);
  for (const e of read.errors) err(`pipeline${e.path ? ` ${e.path}` : ""}`, e.message);
  const pipeline = read.pipeline;
  if (!pipeline) return { ok: false, errors };
  const stage = (name: unknown) => pipeline.stages.find((s) => s.name === name);
  const action = (s: unknown, a: unknown) => stage(s)?.actions.find((x) => x.name === a);
  for (const k of ["name", "description"]) if (typeof raw[k] !== "string" || !raw[k]) err(k, "is required (a string)");
  const starts = Array.isArray(raw["starts"]) ? (raw["starts"] as PipelineScenario["starts"]) : [];
  if (starts.length === 0) err("starts", "needs at least one start ({atSeconds})");
  starts.forEach((st, i) => {
    if (typeof st.atSeconds !== "number" || st.atSeconds < 0) err(`starts[${i}].atSeconds`, "must be a number of seconds >= 0");
    const u = st.upload;
    if (u !== undefined && !(typeof u.bucket === "string" && typeof u.key === "string" && typeof u.files === "string")) err(`starts[${i}].upload`, "must be {bucket, key, files: a folder of the repository}");
    if (st.via !== undefined && !(st.via === "trigger" && u !== undefined)) err(`starts[${i}].via`, 'can only be "trigger", with an upload (its S3 event goes through the trigger rules)');
    const g = st.githubPush;
    if (g !== undefined) {
      const ok = typeof g.repository === "string" && (typeof g.branch === "string") !== (typeof g.tag === "string") && (g.files === undefined || (Array.isArray(g.files) && g.files.every((f) => typeof f === "string")));
      if (!ok) err(`starts[${i}].githubPush`, "must be {repository: owner/repo, branch or tag, files?: [paths]}");
    }
    const e = st.ecrPush;
    if (e !== undefined && !(typeof e.repository === "string" && [e.tag, e.digest].every((x) => x === undefined || typeof x === "string") && (e.digest === undefined || /^sha256:[0-9a-f]{64}$/.test(e.digest)) && [undefined, "SUCCESS", "FAILURE"].includes(e.result))) {
      err(`starts[${i}].ecrPush`, "must be {repository, tag?, digest?: sha256:<64 hex>, result?: SUCCESS | FAILURE}");
    }
    const c = st.codecommitPush;
    if (c !== undefined && !(typeof c.repository === "string" && typeof c.branch === "string" && (c.event === undefined || CODECOMMIT_REFERENCE_EVENTS.includes(c.event)) && [c.files, c.message].every((x) => x === undefined || typeof x === "string"))) {
      err(`starts[${i}].codecommitPush`, `must be {repository, branch, event?: ${CODECOMMIT_REFERENCE_EVENTS.join(" | ")}, files?: a folder of the repository, message?}`);
    }
    const own = [["githubPush", g], ["ecrPush", e], ["codecommitPush", c]].filter(([, v]) => v !== undefined).map(([k]) => k as string);
    if (own.length > 1) err(`starts[${i}]`, `${own.join(" and ")}: one event per start`);
    else if (own.length === 1 && (u !== undefined || st.trigger !== undefined || st.variables !== undefined)) err(`starts[${i}].${own[0]}`, "is a start of its own: no upload, trigger or variables beside it");
  });
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
  const expectRaw = (raw["expect"] ?? {}) as { executions?: ExpectedExecution[]; steps?: { after: number; executions: ExpectedExecution[] }[] };
  const expected = expectRaw.executions ?? [];
  if (expected.length === 0) err("expect.executions", "say what each execution ends as");
  const stepCount = starts.length + timeline.length;
  const steps = expectRaw.steps ?? [];
  steps.forEach((s, i) => {
    if (!Number.isInteger(s.after) || s.after < 1 || s.after > stepCount) err(`expect.steps[${i}].after`, `must be the number of a step (1-${stepCount}: starts and timeline entries in time order)`);
  });
  const all = [...expected.map((x, i) => [`expect.executions[${i}]`, x] as const), ...steps.flatMap((s, i) => (s.executions ?? []).map((x, j) => [`expect.steps[${i}].executions[${j}]`, x] as const))];
  all.forEach(([at, x]) => {
    if (!(PIPELINE_STATUSES as readonly string[]).includes(x.status)) err(`${at}.status`, `'${x.status}' is not one of ${PIPELINE_STATUSES.join(", ")}`);
    for (const [s, st] of Object.entries(x.stages ?? {})) {
      if (!stage(s)) err(`${at}.stages.${s}`, `the pipeline has no stage '${s}'`);
      if (!(STAGE_STATUSES as readonly string[]).includes(st)) err(`${at}.stages.${s}`, `'${st}' is not one of ${STAGE_STATUSES.join(", ")}`);
    }
    for (const a of Object.keys(x.sourceRevisions ?? {})) if (!pipeline.stages[0]?.actions.some((y) => y.name === a)) err(`${at}.sourceRevisions.${a}`, "names no source action of the pipeline");
    for (const n of Object.keys(x.namespaces ?? {})) if (!pipeline.stages.some((st) => st.actions.some((y) => y.namespace === n))) err(`${at}.namespaces.${n}`, "is the namespace of no action of the pipeline");
    for (const [key, st] of Object.entries(x.actions ?? {})) {
      const dot = key.indexOf(".");
      if (!action(key.slice(0, dot), key.slice(dot + 1))) err(`${at}.actions.${key}`, "names no action of the pipeline (Stage.Action)");
      if (!(ACTION_STATUSES as readonly string[]).includes(st)) err(`${at}.actions.${key}`, `'${st}' is not one of ${ACTION_STATUSES.join(", ")}`);
    }
  });
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    scenario: { name: raw["name"] as string, description: raw["description"] as string, pipeline, world: (raw["world"] ?? {}) as Record<string, unknown>, starts, timeline: timeline as TimelineEntry[], expect: { executions: expected, ...(steps.length && { steps }) } },
  };
}

/**
 * The run `stepdeploy pipeline simulate <definition>` makes without a scenario: `sourceDir` is every S3
 * source object and every CodeCommit branch, every CodeBuild project exists (the source's
 * buildspec.yml), one start at 0 s, each manual approval approved a minute after the previous one,
 * and the execution is expected to succeed. Deploy actions use the stack's own groups
 * (config/groups.local.yml) and need their functions: give a scenario for those.
 */
export function defaultScenario(pipeline: Pipeline, sourceDir: string): PipelineScenario {
  const actions = pipeline.stages.flatMap((s) => s.actions.map((a) => ({ stage: s.name, a })));
  const s3: Record<string, Record<string, { files: string }>> = {};
  const codecommit: Record<string, Record<string, { files: string }>> = {};
  const codebuild: Record<string, object> = {};
  for (const { a } of actions) {
    const c = a.configuration;
    const put = (into: typeof s3, outer: string, inner: string) => {
      into[outer] = { ...into[outer], [inner]: { files: sourceDir } };
    };
    if (a.actionTypeId.category === "Source" && a.actionTypeId.provider === "S3") put(s3, c["S3Bucket"] as string, c["S3ObjectKey"] as string);
    if (a.actionTypeId.provider === "CodeCommit") put(codecommit, c["RepositoryName"] as string, c["BranchName"] as string);
    if (a.actionTypeId.provider === "CodeBuild") codebuild[c["ProjectName"] as string] = {};
  }
  const approvals = actions.filter(({ a }) => a.actionTypeId.provider === "Manual");
  return {
    name: `${pipeline.name} (no scenario)`,
    description: `one start; ${approvals.length ? "every approval approved a minute after the previous" : "no approvals"}`,
    pipeline,
    world: { ...(Object.keys(s3).length && { s3 }), ...(Object.keys(codecommit).length && { codecommit }), ...(Object.keys(codebuild).length && { codebuild }) },
    starts: [{ atSeconds: 0 }],
    timeline: approvals.map(({ stage, a }, i) => ({ atSeconds: 60 * (i + 1), approve: { stage, action: a.name, summary: "approved by pipeline simulate (no scenario)" } })),
    expect: { executions: [{ status: "Succeeded" }] },
  };
}
