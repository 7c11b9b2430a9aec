import { type Checker, joinPath } from "./checker.js";
import { LIMITS } from "./limits.js";
import { findProvider } from "./providers.js";
import type { Action, Pipeline, Stage } from "./types.js";
import { CODEPIPELINE_NAMESPACE, CODEPIPELINE_VARIABLES, findReferences, PIPELINE_VARIABLES_NAMESPACE } from "./variables.js";

/**
 * Rules across actions (reference-pipeline-structure; codepipeline-spec §1.1, §2):
 * - the first stage holds source actions only, and no other stage holds one;
 * - output artifact names are unique in the pipeline, and every input artifact is produced by an
 *   earlier action: an earlier stage, or a lower runOrder of the same stage;
 * - namespaces are unique, and a `#{Namespace.Var}` reference names an action that runs before;
 * - cross-region actions need a per-region artifact store.
 */
interface Position {
  stage: number;
  runOrder: number;
  label: string;
}

function runsBefore(a: Position, b: Position): boolean {
  return a.stage < b.stage || (a.stage === b.stage && a.runOrder < b.runOrder);
}

function label(stage: Stage, action: Action): string {
  return `${stage.name}.${action.name}`;
}

export function checkFlow(c: Checker, pipeline: Pipeline): void {
  checkSourceStage(c, pipeline.stages);
  const total = pipeline.stages.reduce((n, s) => n + s.actions.length, 0);
  if (total > LIMITS.actionsPerPipeline) c.error(pipeline.stages[0]?.path ?? "", `a pipeline has at most ${LIMITS.actionsPerPipeline} actions, got ${total}`);
  const producers = new Map<string, Position>();
  const namespaces = new Map<string, Position & { action: Action }>();
  pipeline.stages.forEach((stage, s) => {
    for (const action of stage.actions) {
      const at: Position = { stage: s, runOrder: action.runOrder, label: label(stage, action) };
      action.outputArtifacts.forEach((out, i) => {
        if (!out.name) return;
        const first = producers.get(out.name);
        if (first) c.error(joinPath(joinPath(c.at(action.path, "outputArtifacts"), i), c.key("name")), `output artifact '${out.name}' is already produced by ${first.label}; output artifact names are unique in a pipeline`);
        else producers.set(out.name, at);
      });
      if (action.namespace === undefined) continue;
      const taken = namespaces.get(action.namespace);
      if ([CODEPIPELINE_NAMESPACE, PIPELINE_VARIABLES_NAMESPACE].includes(action.namespace)) c.error(c.at(action.path, "namespace"), `'${action.namespace}' is a reserved namespace`);
      else if (taken) c.error(c.at(action.path, "namespace"), `namespace '${action.namespace}' is already used by ${taken.label}; namespaces are unique in a pipeline`);
      else namespaces.set(action.namespace, { ...at, action });
    }
  });
  const declared = new Set(pipeline.variables.map((v) => v.name));
  pipeline.stages.forEach((stage, s) => {
    for (const action of stage.actions) {
      const at: Position = { stage: s, runOrder: action.runOrder, label: label(stage, action) };
      action.inputArtifacts.forEach((name, i) => {
        if (!name) return;
        const path = joinPath(joinPath(c.at(action.path, "inputArtifacts"), i), c.key("name"));
        const from = producers.get(name);
        if (!from) c.error(path, `no action produces artifact '${name}'${producers.size ? ` (produced in this pipeline: ${[...producers.keys()].join(", ")})` : ""}`);
        else if (!runsBefore(from, at)) c.error(path, `artifact '${name}' is produced by ${from.label}, which does not run before this action (an input must come from an earlier stage or a lower runOrder)`);
      });
      checkReferences(c, action, at, namespaces, declared);
    }
  });
  checkRegions(c, pipeline);
}

function checkSourceStage(c: Checker, stages: Stage[]): void {
  stages.forEach((stage, s) => {
    for (const action of stage.actions) {
      const path = c.at(c.at(action.path, "actionTypeId"), "category");
      const isSource = action.actionTypeId.category === "Source";
      if (s === 0 && !isSource) c.error(path, `the first stage holds source actions only; '${action.name}' is a ${action.actionTypeId.category} action (put it in a later stage)`);
      if (s > 0 && isSource) c.error(path, `only the first stage can hold source actions; move '${action.name}' to stage '${stages[0]?.name}'`);
    }
  });
}

function checkReferences(c: Checker, action: Action, at: Position, namespaces: Map<string, Position & { action: Action }>, declared: Set<string>): void {
  for (const [key, value] of Object.entries(action.configuration)) {
    const path = joinPath(c.at(action.path, "configuration"), key);
    for (const ref of findReferences(value)) {
      if (ref.namespace === CODEPIPELINE_NAMESPACE) {
        if (!(CODEPIPELINE_VARIABLES as readonly string[]).includes(ref.name)) c.error(path, `${ref.text}: the codepipeline namespace provides ${CODEPIPELINE_VARIABLES.join(", ")}`);
        continue;
      }
      if (ref.namespace === PIPELINE_VARIABLES_NAMESPACE) {
        if (!declared.has(ref.name)) c.error(path, `${ref.text}: no pipeline variable '${ref.name}' is declared${declared.size ? ` (declared: ${[...declared].join(", ")})` : ""}`);
        continue;
      }
      const owner = namespaces.get(ref.namespace);
      if (!owner) {
        c.error(path, `${ref.text}: no action has namespace '${ref.namespace}'`);
        continue;
      }
      if (!runsBefore(owner, at)) {
        c.error(path, `${ref.text}: namespace '${ref.namespace}' belongs to ${owner.label}, which does not run before this action`);
        continue;
      }
      const spec = findProvider(owner.action.actionTypeId.category, owner.action.actionTypeId.provider);
      if (spec && spec.variables !== "*" && !spec.variables.includes(ref.name)) {
        c.error(path, `${ref.text}: a ${spec.provider} ${spec.category} action emits ${spec.variables.length ? spec.variables.join(", ") : "no variables"}`);
      }
    }
  }
}

function checkRegions(c: Checker, pipeline: Pipeline): void {
  for (const stage of pipeline.stages) {
    for (const action of stage.actions) {
      const crossRegionAllowed = action.actionTypeId.category !== "Source" && action.actionTypeId.owner === "AWS";
      if (action.region === undefined || action.region.startsWith("!") || !crossRegionAllowed) continue;
      const path = c.at(action.path, "region");
      if (pipeline.artifactStores === undefined) c.error(path, `a cross-region action needs artifactStores with a store for ${action.region} (and one for the pipeline's region) instead of artifactStore`);
      else if (!pipeline.artifactStores[action.region]) c.error(path, `artifactStores has no store for ${action.region}`);
    }
  }
}
