import { ErrorNames } from "../errors.js";
import type { ControlIntent, WaitingCallback } from "./waiting.js";

export type { ControlIntent, WaitingCallback } from "./waiting.js";
export { pendingIntent, type RecordedControl } from "./waiting.js";

/** What to send to the waiting workflow for an operator's intent. */
export type ControlAction =
  | { send: "success"; output: { action: "promote" } | { action: "resume"; remainingSeconds: number } }
  | { send: "failure"; error: string; cause: string }
  | { send: "none"; reason: string };

/**
 * How an intent reaches the workflow: a stop fails the open wait (with or without rollback), a pause fails a
 * bake with the bake time left in its Cause, promote and resume answer it with success. With no wait open (a
 * hook runs, a step shifts) the recorded intent is applied at the next step (ShiftTraffic reads it).
 */
export function decideControlDelivery(intent: ControlIntent, waiting: WaitingCallback | undefined, nowMs: number, by = "operator"): ControlAction {
  if (intent === "stop" || intent === "stop-no-rollback") {
    const error = intent === "stop" ? ErrorNames.Stopped : ErrorNames.StoppedWithoutRollback;
    const cause = `stopped on request by ${by}${intent === "stop" ? "" : " (no rollback: traffic left where it is)"}`;
    return waiting ? { send: "failure", error, cause } : { send: "none", reason: "recorded; applied when the current hook or step finishes" };
  }
  if (!waiting) return { send: "none", reason: "recorded; applied at the next step" };
  if (waiting.kind === "queue") return { send: "none", reason: "recorded; the deployment is waiting for its target's lock and applies it at its first step" };
  // An ECS ready or termination wait: promote ends it now (as `continue` does); pause and resume are about traffic steps.
  if ((waiting.kind === "ready" || waiting.kind === "termination") && intent !== "promote") return { send: "none", reason: `recorded; the deployment is in its ${waiting.kind} wait and applies it at its next traffic step` };
  if (intent === "promote") return { send: "success", output: { action: "promote" } };
  if (intent === "pause") {
    if (waiting.kind === "pause") return { send: "none", reason: "already paused" };
    const remainingSeconds = Math.max(0, Math.ceil(((waiting.bakeEndsAtMs ?? nowMs) - nowMs) / 1000));
    return { send: "failure", error: ErrorNames.PauseRequested, cause: JSON.stringify({ remainingSeconds, pausedBy: by }) };
  }
  // resume
  if (waiting.kind !== "pause") return { send: "none", reason: "not paused" };
  return { send: "success", output: { action: "resume", remainingSeconds: Math.max(0, waiting.remainingSeconds ?? 0) } };
}
