import { ErrorNames } from "../errors.js";
import type { RollbackEvent } from "./input.js";

/** What the workflow caught: Step Functions' error output `{Error, Cause}`. */
export interface CaughtFailure {
  Error: string;
  Cause?: string;
}

export interface Outcome {
  /** The execution's final error name (stable, matchable). */
  error: string;
  reason: string;
  /** CodeDeploy's state for the notification: alarms and stop requests are STOP, the rest FAILURE. */
  state: "FAILURE" | "STOP";
  rollback: boolean;
  /** Fields merged into the terminal EventBridge event's detail. */
  eventFields: { state: "FAILURE" | "STOP"; reason: string; rollback: boolean; error: string };
}

/** Lambda puts `{errorType, errorMessage, trace}` in Cause; SDK integrations put plain text. */
export function reasonFromCause(cause: string | undefined): string {
  if (!cause) return "no cause reported";
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (parsed && typeof parsed.errorMessage === "string") return parsed.errorMessage;
  } catch {
    // plain text cause
  }
  return cause;
}

function classify(failure: CaughtFailure): { error: string; reason: string } {
  const reason = reasonFromCause(failure.Cause);
  // Only hook tasks carry TimeoutSeconds, so a task timeout is a hook that did not answer in time.
  if (failure.Error === "States.Timeout") return { error: ErrorNames.HookTimedOut, reason: `hook did not finish in time: ${reason}` };
  if (failure.Error.startsWith("Deploy.")) return { error: failure.Error, reason };
  return { error: ErrorNames.AwsError, reason: `${failure.Error}: ${reason}` };
}

/** An explicit stop request decides rollback itself (CodeDeploy's StopDeployment autoRollbackEnabled). */
const EXPLICIT_ROLLBACK: Record<string, boolean> = { [ErrorNames.Stopped]: true, "Deploy.StoppedWithoutRollback": false };

function triggeringEvent(error: string): RollbackEvent {
  if (error === ErrorNames.AlarmTriggered) return "DEPLOYMENT_STOP_ON_ALARM";
  if (error === ErrorNames.Stopped) return "DEPLOYMENT_STOP_ON_REQUEST";
  return "DEPLOYMENT_FAILURE";
}

/** Decides how a failed deployment ends: which error, which event state, and whether to roll back. */
export function concludeFailure(failure: CaughtFailure, autoRollback: { enabled: boolean; events: RollbackEvent[] }): Outcome {
  const { error, reason } = classify(failure);
  const state = error === ErrorNames.AlarmTriggered || error in EXPLICIT_ROLLBACK ? "STOP" : "FAILURE";
  const rollback = EXPLICIT_ROLLBACK[error] ?? (autoRollback.enabled && autoRollback.events.includes(triggeringEvent(error)));
  return { error, reason, state, rollback, eventFields: { state, reason, rollback, error } };
}
