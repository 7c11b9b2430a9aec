import { ErrorNames } from "../errors.js";

/**
 * Runtime control of a running deployment (pause, resume, promote, stop). While the workflow waits
 * in a bake or a pause it holds a task token; an intent is delivered by answering that token, so it
 * takes effect within one callback round-trip. Outside a wait, the intent is recorded and applied
 * by the next bake as it starts.
 */
export type ControlIntent = "pause" | "resume" | "promote" | "stop" | "stop-no-rollback";

/** What the workflow is waiting in, as stored by watchBake/holdPaused. */
export interface WaitingCallback {
  deploymentId: string;
  token: string;
  /** `queue`: waiting for the group's lock (nothing changed yet: a stop ends it without rollback). */
  kind: "bake" | "pause" | "queue";
  stepIndex: number;
  weight: number;
  /** Simulated or real epoch ms at which this bake ends on its own (bake only). */
  bakeEndsAtMs?: number;
  /** Seconds of bake left when the deployment was paused (pause only). */
  remainingSeconds?: number;
  alarms: string[];
}

export type ControlAction =
  | { send: "success"; output: { action: "promote" } | { action: "resume"; remainingSeconds: number } }
  | { send: "failure"; error: string; cause: string }
  | { send: "none"; reason: string };

export const StopErrors = {
  withRollback: ErrorNames.Stopped,
  withoutRollback: "Deploy.StoppedWithoutRollback",
  pause: "Deploy.PauseRequested",
} as const;

export function decideControl(intent: ControlIntent, waiting: WaitingCallback | undefined, nowMs: number, by = "operator"): ControlAction {
  if (intent === "stop" || intent === "stop-no-rollback") {
    const error = intent === "stop" ? StopErrors.withRollback : StopErrors.withoutRollback;
    const cause = `stopped on request by ${by}${intent === "stop" ? "" : " (no rollback: traffic left where it is)"}`;
    return waiting ? { send: "failure", error, cause } : { send: "none", reason: "recorded; applied when the current hook or step finishes" };
  }
  if (!waiting) return { send: "none", reason: "recorded; applied at the next bake" };
  if (waiting.kind === "queue") return { send: "none", reason: "recorded; the deployment is waiting for its group's lock and applies it at its first bake" };
  if (intent === "promote") return { send: "success", output: { action: "promote" } };
  if (intent === "pause") {
    if (waiting.kind === "pause") return { send: "none", reason: "already paused" };
    const remainingSeconds = Math.max(1, Math.ceil(((waiting.bakeEndsAtMs ?? nowMs) - nowMs) / 1000));
    return { send: "failure", error: StopErrors.pause, cause: JSON.stringify({ remainingSeconds, pausedBy: by }) };
  }
  // resume
  if (waiting.kind !== "pause") return { send: "none", reason: "not paused" };
  return { send: "success", output: { action: "resume", remainingSeconds: Math.max(1, waiting.remainingSeconds ?? 1) } };
}

/** The registry's record of operator requests (see domain/registry ControlState). */
export interface RecordedControl {
  paused: boolean;
  pauseRequested?: { requestedBy: string };
  promoteRequested?: { requestedBy: string };
  stopRequested?: { requestedBy: string; rollback: boolean };
}

/** A request recorded while no wait was open, which the next bake must apply. Stop wins, then promote, then pause. */
export function pendingIntent(control: RecordedControl | undefined): { intent: ControlIntent; by: string } | undefined {
  if (!control) return undefined;
  if (control.stopRequested) return { intent: control.stopRequested.rollback === false ? "stop-no-rollback" : "stop", by: control.stopRequested.requestedBy };
  if (control.promoteRequested) return { intent: "promote", by: control.promoteRequested.requestedBy };
  if (control.paused && control.pauseRequested) return { intent: "pause", by: control.pauseRequested.requestedBy };
  return undefined;
}
