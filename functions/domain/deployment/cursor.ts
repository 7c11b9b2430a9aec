import { ErrorNames } from "../errors.js";
import type { ControlIntent } from "../control/waiting.js";
import type { TrafficPlan } from "./plan.js";

/**
 * Where a deployment stands in its plan, carried between the ShiftTraffic task, the Choice after it and the
 * Bake (`$.cursor`). One shift per step; the Bake's timeout is `waitSeconds`.
 */
export interface StepCursor {
  /** Index of the step applied last (-1 before the first shift). */
  step: number;
  /** Percent on the new version now. */
  weight: number;
  /** Seconds to bake at this weight before the next step (0: no bake). */
  bakeSeconds: number;
  /** The Bake task's timeout: the bake itself, or (with a bake watcher) the bake plus the watcher's grace. */
  waitSeconds: number;
  /** A bake watcher (alarm polling, metric gates) reports the end of the bake on the token. */
  watcher: boolean;
  /** 100% reached: no more steps. */
  done: boolean;
  /** The traffic target's revision after our last read or write: the precondition of the next write. */
  revision: string;
}

/**
 * How the last wait ended, as the Bake or the Paused task leaves it in `$.signal`: a timeout (the bake ran
 * out), the bake watcher's `baked`, an operator's `promote`, a `resume` with the bake time left; absent
 * before the first shift.
 */
export type WaitSignal = { Error: string; Cause?: string } | { action: "baked" } | { action: "promote" } | { action: "resume"; remainingSeconds?: number } | undefined;

export type NextMove =
  | { kind: "shift"; step: number; weight: number; bakeSeconds: number }
  | { kind: "rebake"; bakeSeconds: number }
  | { kind: "pause"; remainingSeconds: number }
  | { kind: "fail"; error: string; cause: string };

/** Seconds the Bake waits past the bake's end for a bake watcher's answer before it declares it lost. */
export const WATCHER_GRACE_SECONDS = 300;

/**
 * The step engine's one decision, taken right before traffic moves: from the plan, where we stand, how the
 * last wait ended and the operator's recorded request (stop wins, then promote, then pause).
 */
export function decideNextMove(plan: TrafficPlan, cursor: StepCursor | undefined, signal: WaitSignal, pending: { intent: ControlIntent; by: string } | undefined): NextMove {
  const last = plan.steps.length - 1;
  const step = cursor?.step ?? -1;
  if (pending?.intent === "stop" || pending?.intent === "stop-no-rollback") {
    const error = pending.intent === "stop" ? ErrorNames.Stopped : ErrorNames.StoppedWithoutRollback;
    return { kind: "fail", error, cause: `stopped on request by ${pending.by}${pending.intent === "stop" ? "" : " (no rollback: traffic left where it is)"}` };
  }
  if (signal && "Error" in signal && signal.Error === "States.Timeout" && cursor?.watcher) {
    return { kind: "fail", error: ErrorNames.BakeWatcherLost, cause: `the bake watcher did not report within ${cursor.waitSeconds} s of the bake's start` };
  }
  const promote = pending?.intent === "promote" || (signal && "action" in signal && signal.action === "promote");
  if (promote) return shiftTo(plan, last);
  if (pending?.intent === "pause") return { kind: "pause", remainingSeconds: 0 };
  if (signal && "action" in signal && signal.action === "resume" && step >= 0 && (signal.remainingSeconds ?? 0) > 0) {
    return { kind: "rebake", bakeSeconds: signal.remainingSeconds ?? 0 };
  }
  return shiftTo(plan, Math.min(step + 1, last));
}

function shiftTo(plan: TrafficPlan, index: number): NextMove {
  const s = plan.steps[index];
  if (!s) return { kind: "fail", error: ErrorNames.InvalidConfig, cause: "the plan has no steps" };
  const final = index === plan.steps.length - 1;
  return { kind: "shift", step: index, weight: final ? 100 : s.weight, bakeSeconds: final ? 0 : s.bakeSeconds };
}

/** The cursor after a move, with the revision the router reported. */
export function cursorAfter(move: { step: number; weight: number; bakeSeconds: number }, watcher: boolean, revision: string): StepCursor {
  const waitSeconds = move.bakeSeconds > 0 ? move.bakeSeconds + (watcher ? WATCHER_GRACE_SECONDS : 0) : 0;
  return { step: move.step, weight: move.weight, bakeSeconds: move.bakeSeconds, waitSeconds, watcher, done: move.weight >= 100, revision };
}

/** Before any shift. */
export function startCursor(watcher: boolean, revision: string): StepCursor {
  return { step: -1, weight: 0, bakeSeconds: 0, waitSeconds: 0, watcher, done: false, revision };
}
