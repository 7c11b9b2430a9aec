import type { Action, Stage } from "../types.js";
import { type AslState, type AslStates, catchAll, invoke } from "./asl.js";
import type { StateNames } from "./names.js";
import { providerKind, providerStates } from "./provider-tasks.js";
import type { PipelineResources } from "./resources.js";

/**
 * One action as states:
 *
 *   <S>.<A>(start) -> <S>.<A>(skip?) -> <S>.<A> [-> (done?) -> (wait) -> (poll) ...] -> <S>.<A>(ok)
 *                                    \-> <S>.<A>(skipped)             any error -> <S>.<A>(error)
 *
 * `start` resolves the configuration's variables, records the action InProgress, emits its STARTED
 * event and builds the provider's request; on a FAILED_ACTIONS retry it answers `skip` for an action
 * that already succeeded. `ok` and `error` record the outcome and emit SUCCEEDED/FAILED. The outcome
 * is `$.outcome.failed`; inside a Parallel branch it is the branch's whole output, so the group can
 * see whether any sibling failed once all have finished (CodePipeline lets siblings finish).
 */
export interface ActionFlow {
  first: string;
  states: AslStates;
  /** The `<Stage>.<Action>` state: the one whose name carries the action's name. */
  taskName: string;
}

export interface ActionExits {
  /** Next state after success; undefined inside a Parallel branch (the branch ends). */
  success?: string;
  /** Next state after failure; undefined inside a Parallel branch. */
  failure?: string;
}

/** What every Lambda of the action gets, compiled in: the action as declared. */
export function staticAction(stage: Stage, action: Action): Record<string, unknown> {
  const { path: _path, ...declared } = action;
  return { stage: stage.name, ...declared };
}

export function actionFlow(stage: Stage, action: Action, names: StateNames, resources: PipelineResources, exits: ActionExits): ActionFlow {
  const n = (step?: string) => names.action(stage.name, action.name, step, action.path);
  const task = n();
  const state = { start: n("start"), skip: n("skip?"), skipped: n("skipped"), ok: n("ok"), error: n("error") };
  const loop = providerKind(action) === "poll" ? { done: n("done?"), wait: n("wait"), poll: n("poll") } : { done: "", wait: "", poll: "" };
  const declared = staticAction(stage, action);
  const comment = { Comment: `stage ${stage.name}, action ${action.name} (runOrder ${action.runOrder})` };
  const end = (failed: boolean, next: string | undefined): AslState =>
    next === undefined ? { ResultSelector: { failed }, ResultPath: "$.outcome", OutputPath: "$.outcome.failed", End: true } : { ResultSelector: { failed }, ResultPath: "$.outcome", Next: next };
  const provider = providerStates(action, declared, { task, ...loop, ok: state.ok, error: state.error }, resources);
  const states: AslStates = {
    [state.start]: invoke(resources.functions.pipelineActionStart, { "run.$": "$.run", action: declared }, {
      ...comment,
      ResultSelector: { "skip.$": "$.Payload.skip", "request.$": "$.Payload.request" },
      ResultPath: "$.action",
      Next: state.skip,
      Catch: catchAll(state.error),
    }),
    [state.skip]: { Type: "Choice", Choices: [{ Variable: "$.action.skip", BooleanEquals: true, Next: state.skipped }], Default: task },
    [state.skipped]: { Type: "Pass", Comment: "succeeded in the attempt being retried (FAILED_ACTIONS): not run again", Result: { failed: false }, ResultPath: "$.outcome", ...(exits.success === undefined ? { OutputPath: "$.outcome.failed", End: true } : { Next: exits.success }) },
    ...provider,
    [state.ok]: invoke(resources.functions.pipelineActionEnd, { "run.$": "$.run", action: declared, status: "Succeeded", "request.$": "$.action.request", "result.$": "$.result" }, {
      ...end(false, exits.success),
      Catch: catchAll(state.error),
    }),
    [state.error]: invoke(resources.functions.pipelineActionEnd, { "run.$": "$.run", action: declared, status: "Failed", "error.$": "$.error" }, {
      ...end(true, exits.failure),
      // Recording the failure itself failing still fails the stage (inside a Parallel, the group's Catch does).
      ...(exits.failure !== undefined && { Catch: catchAll(exits.failure) }),
    }),
  };
  return { first: state.start, states, taskName: task };
}
