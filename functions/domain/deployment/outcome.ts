import { ErrorNames } from "../errors.js";
import type { FinalStatus } from "../registry/types.js";
import type { RollbackEvent } from "./input.js";

/** How a deployment ends, in CodeDeploy's notification terms. */
export type FinalState = "SUCCESS" | "FAILURE" | "STOP";

/**
 * The registry status of an ending, written once for every end path (finalize, a deployment that ends before it
 * starts, the janitor): STOP is Stopped, FAILURE is Failed, SUCCESS is Succeeded (codedeploy-spec §7.1).
 */
export function recordStatusOf(state: FinalState): FinalStatus {
  return state === "SUCCESS" ? "Succeeded" : state === "STOP" ? "Stopped" : "Failed";
}

/**
 * CodeDeploy marks alarm-stopped and operator-stopped deployments STOP (spec §5.2, §5.4), and an ECS deployment
 * not continued within a STOP_DEPLOYMENT ready wait (codedeploy-spec §6.1); every other failure is FAILURE.
 */
export function stateOfError(error: string): "FAILURE" | "STOP" {
  return error === ErrorNames.AlarmTriggered || error === ErrorNames.Stopped || error === ErrorNames.StoppedWithoutRollback || error === ErrorNames.ExecutionAborted || error === ErrorNames.ReadyWaitExpired
    ? "STOP"
    : "FAILURE";
}

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

/**
 * Failures that decide rollback themselves: an explicit stop (CodeDeploy's StopDeployment autoRollbackEnabled),
 * a traffic conflict, where rolling back would overwrite another writer's change, and an ECS ready wait that
 * expired with STOP_DEPLOYMENT (production never moved; the replacement and the test route are taken back).
 */
const EXPLICIT_ROLLBACK: Record<string, boolean> = { [ErrorNames.Stopped]: true, [ErrorNames.StoppedWithoutRollback]: false, [ErrorNames.TrafficConflict]: false, [ErrorNames.ReadyWaitExpired]: true };

function triggeringEvent(error: string): RollbackEvent {
  if (error === ErrorNames.AlarmTriggered) return "DEPLOYMENT_STOP_ON_ALARM";
  if (error === ErrorNames.Stopped) return "DEPLOYMENT_STOP_ON_REQUEST";
  return "DEPLOYMENT_FAILURE";
}

/** Decides how a failed deployment ends: which error, which event state, and whether to roll back. */
export function concludeFailure(failure: CaughtFailure, autoRollback: { enabled: boolean; events: RollbackEvent[] }): Outcome {
  const { error, reason } = classify(failure);
  const state = stateOfError(error);
  const rollback = EXPLICIT_ROLLBACK[error] ?? (autoRollback.enabled && autoRollback.events.includes(triggeringEvent(error)));
  return { error, reason, state, rollback, eventFields: { state, reason, rollback, error } };
}
