import { PipelineErrorNames } from "../errors.js";
import type { Pipeline, PipelineIssue } from "../types.js";
import { type AslStates, catchAll, invoke } from "./asl.js";
import { StateNames } from "./names.js";
import { defaultResources, type PipelineResources } from "./resources.js";
import { type PipelineExits, stageFlow } from "./stage.js";

/**
 * Compiles a validated pipeline into one Step Functions state machine (ASL, JSONPath mode; no
 * JSONata or Assign, which the local engine does not run):
 *
 *   Start(pipeline) -> Entry(pipeline) -> stage 1 -> stage 2 -> ... -> Succeeded(pipeline)
 *
 * `Start` records the execution, resolves the pipeline variables and emits STARTED; `Entry` jumps to
 * the stage a retry or rollback execution resumes at. Deterministic: the same pipeline and resources
 * always give the same JSON, states in graph order.
 */
export interface SynthOptions {
  resources?: PipelineResources;
}

export interface SynthResult {
  definition: Record<string, unknown>;
  /** stage name -> action name -> the `<Stage>.<Action>` state. */
  actionStates: Record<string, Record<string, string>>;
  warnings: PipelineIssue[];
}

export function synthesize(pipeline: Pipeline, options: SynthOptions = {}): SynthResult {
  const resources = options.resources ?? defaultResources();
  const names = new StateNames();
  const start = names.pipeline("Start");
  const entry = names.pipeline("Entry");
  const exits: PipelineExits = {
    succeeded: names.pipeline("Succeeded"),
    failed: names.pipeline("Failed"),
    superseded: names.pipeline("Superseded"),
    stopped: names.pipeline("Stopped"),
    errored: names.pipeline("Errored"),
  };
  const enters = pipeline.stages.map((s) => names.stage(s.name, "enter"));
  const flows = pipeline.stages.map((stage, i) => {
    const next = enters[i + 1] ?? exits.succeeded;
    return stageFlow(stage, i, i === pipeline.stages.length - 1, next, names, resources, exits, enters[i] as string);
  });
  const declared = {
    name: pipeline.name,
    pipelineType: pipeline.pipelineType,
    executionMode: pipeline.executionMode,
    version: pipeline.version,
    stages: pipeline.stages.map((s) => s.name),
    variables: pipeline.variables,
    ...(pipeline.artifactStore && { artifactStore: pipeline.artifactStore }),
    ...(pipeline.artifactStores && { artifactStores: pipeline.artifactStores }),
  };
  const states: AslStates = {
    [start]: invoke(resources.functions.pipelineStart, { "input.$": "$", pipeline: declared, "executionName.$": "$$.Execution.Name" }, {
      Comment: `pipeline ${pipeline.name} (${pipeline.pipelineType}, ${pipeline.executionMode}): record the execution, resolve variables, emit STARTED`,
      OutputPath: "$.Payload",
      Next: entry,
      Catch: catchAll(exits.errored),
    }),
    [entry]: {
      Type: "Choice",
      Comment: "a retry or rollback execution resumes at its stage; a new execution starts at the first",
      Choices: pipeline.stages.slice(1).map((s, i) => ({ And: [{ Variable: "$.run.entry", IsString: true }, { Variable: "$.run.entry", StringEquals: s.name }], Next: enters[i + 1] })),
      Default: enters[0],
    },
    ...Object.assign({}, ...flows.map((f) => f.states)),
    [exits.succeeded]: invoke(resources.functions.pipelineFinish, { "run.$": "$.run" }, { Comment: "record Succeeded, emit SUCCEEDED", OutputPath: "$.Payload", End: true }),
    [exits.failed]: { Type: "Fail", Error: PipelineErrorNames.StageFailed, CausePath: "$.failure.cause" },
    [exits.superseded]: { Type: "Fail", Comment: "a newer execution took this one's place at a stage entrance (SUPERSEDED mode)", Error: PipelineErrorNames.Superseded, Cause: "superseded by a newer execution while waiting between stages" },
    [exits.stopped]: { Type: "Fail", Error: PipelineErrorNames.Stopped, Cause: "stopped while waiting at a stage entrance" },
    [exits.errored]: { Type: "Fail", Comment: "stepdeploy itself failed (not an action): the error is the Lambda's", ErrorPath: "$.error.Error", CausePath: "$.error.Cause" },
  };
  const definition = {
    Comment: `CodePipeline ${pipeline.name}, compiled by stepdeploy: ${pipeline.stages.map((s) => s.name).join(" -> ")}`,
    StartAt: start,
    States: states,
  };
  return {
    definition,
    actionStates: Object.fromEntries(pipeline.stages.map((s, i) => [s.name, flows[i]?.actionStates ?? {}])),
    warnings: names.warnings,
  };
}
