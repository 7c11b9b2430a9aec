import type { ExecutionMode, RetryMode, StageFailure } from "../types.js";

/**
 * What a failed stage does next (codepipeline-spec §1.6):
 * - FAIL: the execution fails.
 * - RETRY: the stage runs again in the same execution, FAILED_ACTIONS (only what failed) or
 *   ALL_ACTIONS. How many automatic retries CodePipeline makes is not documented; stepdeploy makes
 *   AUTOMATIC_RETRIES (1) and then fails, so a flaky action gets a second chance and a broken one
 *   does not loop.
 * - ROLLBACK: the execution fails and a new ROLLBACK execution redeploys the last execution that
 *   succeeded in this stage, with its artifacts and variables. Without such an execution (the stage
 *   never succeeded under this structure version) there is nothing to roll back to: it just fails.
 *   Never in PARALLEL mode, never for the source stage (refused at validation too).
 */
export const AUTOMATIC_RETRIES = 1;

export interface StageFailureInput {
  onFailure: StageFailure;
  mode: ExecutionMode;
  stageIndex: number;
  /** Automatic retries this stage already had in this execution. */
  retriesSoFar: number;
  /** The most recent execution that succeeded in this stage (same pipeline version), if any. */
  lastSucceeded?: string;
  /** This execution is itself a rollback: never roll a rollback back. */
  isRollback: boolean;
}

export type StageFailureDecision =
  | { next: "FAIL"; reason: string }
  | { next: "RETRY"; retryMode: RetryMode; reason: string }
  | { next: "ROLLBACK"; targetPipelineExecutionId: string; reason: string };

export function decideStageFailure(input: StageFailureInput): StageFailureDecision {
  const { onFailure } = input;
  if (onFailure.result === "RETRY") {
    if (input.retriesSoFar < AUTOMATIC_RETRIES) return { next: "RETRY", retryMode: onFailure.retryMode ?? "FAILED_ACTIONS", reason: `automatic retry ${input.retriesSoFar + 1} of ${AUTOMATIC_RETRIES} (${onFailure.retryMode ?? "FAILED_ACTIONS"})` };
    return { next: "FAIL", reason: `failed again after ${AUTOMATIC_RETRIES} automatic retr${AUTOMATIC_RETRIES === 1 ? "y" : "ies"}` };
  }
  if (onFailure.result === "ROLLBACK") {
    if (input.mode === "PARALLEL" || input.stageIndex === 0) return { next: "FAIL", reason: "rollback is not available here (PARALLEL mode or the source stage)" };
    if (input.isRollback) return { next: "FAIL", reason: "a rollback execution is not rolled back again" };
    if (!input.lastSucceeded) return { next: "FAIL", reason: "no earlier execution succeeded in this stage, so there is nothing to roll back to" };
    return { next: "ROLLBACK", targetPipelineExecutionId: input.lastSucceeded, reason: `rolling back to execution ${input.lastSucceeded}, the last that succeeded in this stage` };
  }
  return { next: "FAIL", reason: "onFailure FAIL" };
}
