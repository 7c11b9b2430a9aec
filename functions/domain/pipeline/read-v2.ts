import { type Checker, joinPath, type Raw } from "./checker.js";
import { globProblem } from "./execution/glob.js";
import { LIMITS, PULL_REQUEST_EVENTS, VARIABLE_NAME } from "./limits.js";
import type { ExecutionMode, GitFilterCriteria, Pipeline, PipelineTrigger, PipelineType, PipelineVariable } from "./types.js";

/**
 * V2 fields: pipeline variables, git triggers, and the rules tying features to the pipeline type and
 * execution mode (codepipeline-spec §1.2-§1.6): QUEUED/PARALLEL, variables, triggers and stage
 * rollback are V2 only; PARALLEL has no stage rollback; a source stage cannot roll back.
 */
export function readVariables(c: Checker, decl: Raw, base: string): PipelineVariable[] {
  const list = c.list(decl, base, "variables", { max: LIMITS.variables });
  const seen = new Set<string>();
  return list.flatMap((value, i) => {
    const path = joinPath(c.at(base, "variables"), i);
    const obj = c.object(value, path, "a variable");
    if (!obj) return [];
    c.allowOnly(obj, path, ["name", "defaultValue", "description"]);
    const name = c.string(obj, path, "name", { required: true, ...VARIABLE_NAME }) ?? "";
    if (seen.has(name)) c.error(c.at(path, "name"), `variable '${name}' is declared twice`);
    seen.add(name);
    const defaultValue = c.string(obj, path, "defaultValue", LIMITS.variableDefault);
    const description = c.string(obj, path, "description", { min: 0, max: LIMITS.variableDescription });
    return [{ name, ...(defaultValue !== undefined && { defaultValue }), ...(description !== undefined && { description }) }];
  });
}

export function readTriggers(c: Checker, decl: Raw, base: string): PipelineTrigger[] {
  const list = c.list(decl, base, "triggers", { max: LIMITS.triggers });
  return list.flatMap((value, i) => {
    const path = joinPath(c.at(base, "triggers"), i);
    const obj = c.object(value, path, "a trigger");
    if (!obj) return [];
    c.allowOnly(obj, path, ["providerType", "gitConfiguration"]);
    c.oneOf(obj, path, "providerType", ["CodeStarSourceConnection"], true);
    const gitPath = c.at(path, "gitConfiguration");
    if (!c.has(obj, "gitConfiguration")) c.error(gitPath, "is required");
    const git = c.has(obj, "gitConfiguration") ? c.object(c.raw(obj, "gitConfiguration"), gitPath, "gitConfiguration") : undefined;
    if (!git) return [];
    c.allowOnly(git, gitPath, ["sourceActionName", "push", "pullRequest"]);
    const sourceActionName = c.string(git, gitPath, "sourceActionName", { required: true }) ?? "";
    const push = c.list(git, gitPath, "push", LIMITS.gitFilters).map((f, j) => {
      const at = joinPath(c.at(gitPath, "push"), j);
      const filter = c.object(f, at, "a push filter") ?? {};
      c.allowOnly(filter, at, ["tags", "branches", "filePaths"]);
      return dropUndefined({ tags: criteria(c, filter, at, "tags"), branches: criteria(c, filter, at, "branches"), filePaths: criteria(c, filter, at, "filePaths") });
    });
    const pullRequest = c.list(git, gitPath, "pullRequest", LIMITS.gitFilters).map((f, j) => {
      const at = joinPath(c.at(gitPath, "pullRequest"), j);
      const filter = c.object(f, at, "a pull request filter") ?? {};
      c.allowOnly(filter, at, ["events", "branches", "filePaths"]);
      const events = c.list(filter, at, "events", { min: 1, max: 3 }).map((e, k) => {
        const text = c.stringValue(e, joinPath(c.at(at, "events"), k)) ?? "";
        if (text && !(PULL_REQUEST_EVENTS as readonly string[]).includes(text)) c.error(joinPath(c.at(at, "events"), k), `'${text}' is not one of ${PULL_REQUEST_EVENTS.join(", ")}`);
        return text;
      });
      const filePaths = criteria(c, filter, at, "filePaths");
      // Said where the choice shows (docs/pipelines.md#github-webhooks): the webhook cannot evaluate it.
      if (filePaths) c.warn(c.at(at, "filePaths"), "a pull request filter with filePaths never starts the pipeline through stepdeploy's GitHub webhook: GitHub's pull_request payload carries no file list (filter on branches, or on filePaths in a push filter)");
      return dropUndefined({ events: c.has(filter, "events") ? events : undefined, branches: criteria(c, filter, at, "branches"), filePaths });
    });
    if (push.length === 0 && pullRequest.length === 0) c.error(gitPath, "needs push or pullRequest filters");
    return [{ providerType: "CodeStarSourceConnection" as const, sourceActionName, push, pullRequest }];
  });
}

function criteria(c: Checker, filter: Raw, base: string, name: string): GitFilterCriteria | undefined {
  if (!c.has(filter, name)) return undefined;
  const path = c.at(base, name);
  const obj = c.object(c.raw(filter, name), path, name);
  if (!obj) return undefined;
  c.allowOnly(obj, path, ["includes", "excludes"]);
  const glob = (g: unknown, at: string) => {
    const text = c.stringValue(g, at) ?? "";
    const problem = text ? globProblem(text) : undefined;
    if (problem) c.error(at, problem);
    return text;
  };
  const read = (field: string) => (c.has(obj, field) ? c.list(obj, path, field, LIMITS.gitGlobs).map((g, i) => glob(g, joinPath(c.at(path, field), i))) : undefined);
  return dropUndefined({ includes: read("includes"), excludes: read("excludes") });
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The type the pipeline runs as: as declared, else V2 when it uses V2 features (and billed so), else V1. */
export function checkTypeAndMode(c: Checker, base: string, pipeline: Omit<Pipeline, "pipelineType">, declared: PipelineType | undefined): PipelineType {
  const features: { path: string; what: string }[] = [];
  if (pipeline.executionMode !== "SUPERSEDED") features.push({ path: c.at(base, "executionMode"), what: `executionMode ${pipeline.executionMode}` });
  if (pipeline.variables.length) features.push({ path: c.at(base, "variables"), what: "pipeline variables" });
  if (pipeline.triggers.length) features.push({ path: c.at(base, "triggers"), what: "triggers" });
  for (const stage of pipeline.stages) {
    if (stage.onFailure.result !== "FAIL") features.push({ path: c.at(c.at(stage.path, "onFailure"), "result"), what: `onFailure ${stage.onFailure.result}` });
  }
  if (declared === "V1") for (const f of features) c.error(f.path, `${f.what} needs pipelineType V2 (this pipeline declares V1)`);
  else if (declared === undefined && features.length) {
    c.warn(c.at(base, "pipelineType"), `absent, so V1 by default, but ${features.map((f) => f.what).join(", ")} make${features.length === 1 ? "s" : ""} it a V2 pipeline; declare pipelineType V2`);
  }
  checkModeRules(c, pipeline.executionMode, pipeline);
  checkTriggerSources(c, base, pipeline);
  return declared ?? (features.length ? "V2" : "V1");
}

function checkModeRules(c: Checker, mode: ExecutionMode, pipeline: Omit<Pipeline, "pipelineType">): void {
  pipeline.stages.forEach((stage, s) => {
    if (stage.onFailure.result !== "ROLLBACK") return;
    const path = c.at(c.at(stage.path, "onFailure"), "result");
    if (mode === "PARALLEL") c.error(path, "stage rollback is not available in PARALLEL execution mode");
    else if (s === 0) c.error(path, "a source stage cannot be rolled back");
  });
}

function checkTriggerSources(c: Checker, base: string, pipeline: Omit<Pipeline, "pipelineType">): void {
  const sources = pipeline.stages[0]?.actions ?? [];
  const seen = new Set<string>();
  pipeline.triggers.forEach((t, i) => {
    const path = c.at(c.at(joinPath(c.at(base, "triggers"), i), "gitConfiguration"), "sourceActionName");
    const action = sources.find((a) => a.name === t.sourceActionName);
    if (!t.sourceActionName) return;
    if (!action) c.error(path, `no source action named '${t.sourceActionName}' in stage '${pipeline.stages[0]?.name ?? "?"}'`);
    else if (action.actionTypeId.provider !== "CodeStarSourceConnection") c.error(path, `'${t.sourceActionName}' is a ${action.actionTypeId.provider} source; git triggers watch CodeStarSourceConnection sources only`);
    if (seen.has(t.sourceActionName)) c.error(path, `a second trigger for source action '${t.sourceActionName}'; merge their filters`);
    seen.add(t.sourceActionName);
  });
}
