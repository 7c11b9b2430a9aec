import { PipelineErrorNames } from "../errors.js";
import type { Action, Stage } from "../types.js";
import { actionFlow } from "./action.js";
import { type AslStates, catchAll, invoke } from "./asl.js";
import type { StateNames } from "./names.js";
import type { PipelineResources } from "./resources.js";

/**
 * One stage as states:
 *
 *   <S>(enter) -> runOrder groups in ascending order -> <S>(leave) [-> <S>(next?)] -> next stage
 *        any failed group -> <S>(failed) [-> <S>(on-failure) -> <S>(retry) -> <S>(enter)
 *                                                            -> <S>(rollback) -> Failed(pipeline)]
 *
 * `enter` is a callback task: the Lambda takes the stage's lock (SUPERSEDED, QUEUED) and answers its
 * own token, or records the execution as waiting at the stage (lock held, or the inbound transition
 * disabled) and leaves the token to whoever releases the lock or enables the transition. A newer
 * execution arriving at the same entrance fails the older one's token with `Pipeline.Superseded`
 * (SUPERSEDED only), so an execution is only ever superseded between stages (codepipeline-spec
 * §1.5). A group of several actions is a Parallel state whose branches catch their own errors, so
 * siblings finish before the stage fails (§2); a single action needs no Parallel.
 */
export interface PipelineExits {
  succeeded: string;
  failed: string;
  superseded: string;
  stopped: string;
  errored: string;
}

export interface StageFlow {
  first: string;
  states: AslStates;
  /** action name -> the `<Stage>.<Action>` state. */
  actionStates: Record<string, string>;
}

/** Actions grouped by runOrder, ascending; the declared order within a group. */
export function runOrderGroups(stage: Stage): Action[][] {
  const orders = [...new Set(stage.actions.map((a) => a.runOrder))].sort((a, b) => a - b);
  return orders.map((o) => stage.actions.filter((a) => a.runOrder === o));
}

/** `enter` is the stage's entrance state name, claimed by the caller (earlier stages jump to it). */
export function stageFlow(stage: Stage, index: number, isLast: boolean, next: string, names: StateNames, resources: PipelineResources, exits: PipelineExits, enter: string): StageFlow {
  const leave = names.stage(stage.name, "leave");
  const failed = names.stage(stage.name, "failed");
  const declared = { name: stage.name, index, onFailure: stage.onFailure, inboundTransition: stage.inboundTransition, actions: stage.actions.map((a) => a.name) };
  const groups = runOrderGroups(stage);
  const firstNames = groups.map((g) => (g.length > 1 ? names.stage(stage.name, `runOrder-${g[0]?.runOrder}`) : undefined));
  const states: AslStates = {};
  const actionStates: Record<string, string> = {};
  const built: { first: string; states: AslStates }[] = [];
  // Built last-to-first so each group knows where success leads.
  let after = leave;
  for (let g = groups.length - 1; g >= 0; g--) {
    const group = groups[g] as Action[];
    const parallel = firstNames[g];
    if (parallel === undefined) {
      const flow = actionFlow(stage, group[0] as Action, names, resources, { success: after, failure: failed });
      actionStates[(group[0] as Action).name] = flow.taskName;
      built.unshift(flow);
      after = flow.first;
      continue;
    }
    const check = names.stage(stage.name, `runOrder-${group[0]?.runOrder}-ok?`);
    const branches = group.map((action) => {
      const flow = actionFlow(stage, action, names, resources, {});
      actionStates[action.name] = flow.taskName;
      return { StartAt: flow.first, States: flow.states };
    });
    built.unshift({
      first: parallel,
      states: {
        [parallel]: {
          Type: "Parallel",
          Comment: `stage ${stage.name}: ${group.map((a) => a.name).join(", ")} in parallel (runOrder ${group[0]?.runOrder}); each branch catches its own failure`,
          Branches: branches,
          ResultSelector: { "failed.$": "States.ArrayContains($, true)" },
          ResultPath: "$.outcome",
          Next: check,
          Catch: catchAll(failed),
        },
        [check]: { Type: "Choice", Choices: [{ Variable: "$.outcome.failed", BooleanEquals: true, Next: failed }], Default: after },
      },
    });
    after = parallel;
  }
  Object.assign(
    states,
    {
      [enter]: invoke(resources.functions.pipelineEnterStage, { "run.$": "$.run", stage: declared, "taskToken.$": "$$.Task.Token" }, {
        Comment: `stage ${stage.name}: waits while the stage is locked or its inbound transition is disabled`,
        ResultPath: null,
        Next: after,
        Catch: [
          { ErrorEquals: [PipelineErrorNames.Superseded], ResultPath: "$.error", Next: exits.superseded },
          { ErrorEquals: [PipelineErrorNames.Stopped], ResultPath: "$.error", Next: exits.stopped },
          ...catchAll(failed),
        ],
      }, true),
    },
    ...built.map((b) => b.states),
  );
  // A rollback execution re-runs one stage, never the source stage, and ends after it.
  const nextCheck = isLast || index === 0 ? undefined : names.stage(stage.name, "next?");
  states[leave] = invoke(resources.functions.pipelineLeaveStage, { "run.$": "$.run", stage: declared }, {
    Comment: `stage ${stage.name} succeeded: release its lock to the execution waiting there`,
    ResultSelector: { "end.$": "$.Payload.end" },
    ResultPath: "$.leave",
    Next: nextCheck ?? (isLast ? exits.succeeded : next),
    Catch: catchAll(failed),
  });
  if (nextCheck) {
    states[nextCheck] = { Type: "Choice", Comment: "a rollback execution ends after the stage it rolls back", Choices: [{ Variable: "$.leave.end", BooleanEquals: true, Next: exits.succeeded }], Default: next };
  }
  Object.assign(states, failureStates(stage, declared, failed, enter, names, resources, exits));
  const inDeclaredOrder = Object.fromEntries(stage.actions.map((a) => [a.name, actionStates[a.name] as string]));
  return { first: enter, states, actionStates: inDeclaredOrder };
}

function failureStates(stage: Stage, declared: Record<string, unknown>, failed: string, enter: string, names: StateNames, resources: PipelineResources, exits: PipelineExits): AslStates {
  const handles = stage.onFailure.result !== "FAIL";
  const decide = handles ? names.stage(stage.name, "on-failure") : undefined;
  const states: AslStates = {
    [failed]: invoke(resources.functions.pipelineStageFailed, { "state.$": "$", stage: declared }, {
      Comment: `stage ${stage.name} failed (onFailure ${stage.onFailure.result}${stage.onFailure.retryMode ? ` ${stage.onFailure.retryMode}` : ""}): release the lock, record, decide`,
      ResultSelector: { "next.$": "$.Payload.next", "retryMode.$": "$.Payload.retryMode", "rollback.$": "$.Payload.rollback", "cause.$": "$.Payload.cause" },
      ResultPath: "$.failure",
      Next: decide ?? exits.failed,
      Catch: catchAll(exits.errored),
    }),
  };
  if (!decide) return states;
  const choices = [];
  if (stage.onFailure.result === "RETRY") {
    const retry = names.stage(stage.name, "retry");
    choices.push({ Variable: "$.failure.next", StringEquals: "RETRY", Next: retry });
    states[retry] = { Type: "Pass", Comment: "automatic stage retry", Parameters: { stage: stage.name, "mode.$": "$.failure.retryMode" }, ResultPath: "$.run.retry", Next: enter };
  }
  if (stage.onFailure.result === "ROLLBACK") {
    const rollback = names.stage(stage.name, "rollback");
    choices.push({ Variable: "$.failure.next", StringEquals: "ROLLBACK", Next: rollback });
    states[rollback] = {
      Type: "Task",
      Comment: "a new ROLLBACK execution of this pipeline redeploys the last execution that succeeded in this stage, with its artifacts",
      Resource: "arn:aws:states:::states:startExecution",
      Parameters: { "StateMachineArn.$": "$$.StateMachine.Id", "Name.$": "$.failure.rollback.name", "Input.$": "$.failure.rollback.input" },
      ResultPath: "$.rollbackExecution",
      Next: exits.failed,
      Catch: catchAll(exits.failed, "$.rollbackError"),
    };
  }
  states[decide] = { Type: "Choice", Choices: choices, Default: exits.failed };
  return states;
}
