/**
 * Runtime control of a running deployment (pause, resume, promote, stop). While the workflow waits (a bake, a
 * pause, a place in a target's queue) it holds a task token, stored with what it waits in; an operator's intent
 * is recorded in the registry and, when a wait is open, delivered by answering that token (delivery.ts).
 */
export type ControlIntent = "pause" | "resume" | "promote" | "stop" | "stop-no-rollback";

/** What the workflow is waiting in, as the bake, the pause and the queue store it. */
export interface WaitingCallback {
  deploymentId: string;
  token: string;
  /**
   * `queue`: waiting for the target's lock (nothing changed yet: a stop ends it without rollback). `ready` and
   * `termination`: an ECS deployment's ready wait and termination wait, ended early by `stepdeploy continue`.
   */
  kind: "bake" | "pause" | "queue" | "ready" | "termination";
  stepIndex: number;
  weight: number;
  /** Simulated or real epoch ms at which this bake ends on its own (bake only). */
  bakeEndsAtMs?: number;
  /** Seconds of bake left when the deployment was paused (pause only). */
  remainingSeconds?: number;
  /** Alarms whose ALARM event ends this wait (events mode). */
  alarms: string[];
  /** Account and region of those alarms (the deployment's); an event from elsewhere is not theirs. */
  account?: string;
  region?: string;
}

/** The registry's record of operator requests (see domain/registry ControlState). */
export interface RecordedControl {
  paused: boolean;
  pauseRequested?: { requestedBy: string };
  promoteRequested?: { requestedBy: string };
  stopRequested?: { requestedBy: string; rollback: boolean };
}

/** A request recorded while no wait was open, which the workflow applies at its next step. Stop wins, then promote, then pause. */
export function pendingIntent(control: RecordedControl | undefined): { intent: ControlIntent; by: string } | undefined {
  if (!control) return undefined;
  if (control.stopRequested) return { intent: control.stopRequested.rollback === false ? "stop-no-rollback" : "stop", by: control.stopRequested.requestedBy };
  if (control.promoteRequested) return { intent: "promote", by: control.promoteRequested.requestedBy };
  if (control.paused && control.pauseRequested) return { intent: "pause", by: control.pauseRequested.requestedBy };
  return undefined;
}
