import { ErrorNames } from "../errors.js";
import { type DeploymentRecord, isFinalStatus } from "../registry/types.js";
import { type FinalState, stateOfError } from "./outcome.js";

/** What to do about a deployment whose execution ended (the janitor) or that ended before it started. */
export type CleanupDecision =
  | { action: "none"; why: string }
  /** It ended properly: only make sure its lock was released (a crash between its finalize's steps). */
  | { action: "release" }
  /** It never moved traffic: record the ending, leave the queue, pass a handed-over lock on. */
  | { action: "close-unstarted"; state: FinalState; error: string; reason: string }
  /** It died mid-deployment: restore traffic (unless someone else changed it), record, release, notify. */
  | { action: "restore"; state: FinalState; error: string; reason: string };

/** Step Functions "Execution Status Change" statuses the janitor hears (codepipeline-spec §4.6). */
export type DeadStatus = "ABORTED" | "TIMED_OUT" | "FAILED" | string;

const JANITOR_ERRORS: Record<string, string> = { ABORTED: ErrorNames.ExecutionAborted, TIMED_OUT: ErrorNames.ExecutionTimedOut };

/**
 * The janitor's decision for an execution that ended without its own cleanup. A record that is final was
 * finalized (release only); one that never started (Created) did not touch traffic; one InProgress died
 * mid-deployment. `error` is the execution's own error when it failed on a named one (a queued deployment
 * stopped while waiting fails with Deploy.Stopped): that name and its STOP/FAILURE state are kept.
 */
export function decideCleanup(record: DeploymentRecord | undefined, execution: { status: DeadStatus; error?: string | null; cause?: string | null }): CleanupDecision {
  if (!record) return { action: "none", why: "no deployment recorded for this execution" };
  if (isFinalStatus(record.status)) return { action: "release" };
  const named = execution.error?.startsWith("Deploy.") ? execution.error : undefined;
  const error = JANITOR_ERRORS[execution.status] ?? named ?? ErrorNames.ExecutionFailed;
  const state = stateOfError(error);
  const how = `execution ${execution.status.toLowerCase()}${execution.error && execution.error !== error ? ` (${execution.error})` : ""}`;
  if (record.status !== "InProgress") return { action: "close-unstarted", state, error, reason: `${how} before the deployment started${execution.cause ? `: ${execution.cause}` : ""}`.slice(0, 1000) };
  return { action: "restore", state, error, reason: how };
}

/** The same decision for a deployment the workflow itself saw end before it started (rejected, stopped in line). */
export function closeUnstartedOf(record: DeploymentRecord | undefined, failure: { Error?: string; Cause?: string }): CleanupDecision {
  if (!record) return { action: "none", why: "nothing was recorded" };
  if (isFinalStatus(record.status)) return { action: "release" };
  const error = failure.Error?.startsWith("Deploy.") ? failure.Error : ErrorNames.ExecutionFailed;
  return { action: "close-unstarted", state: stateOfError(error), error, reason: (failure.Cause ?? "ended before it started").slice(0, 1000) };
}
