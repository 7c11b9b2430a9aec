import { pendingIntent } from "../domain/control/waiting.js";
import { cursorAfter, decideNextMove, type StepCursor, type WaitSignal } from "../domain/deployment/cursor.js";
import type { TrafficPlan } from "../domain/deployment/plan.js";
import type { LambdaDeployment } from "../domain/deployment/state.js";
import { ErrorNames, StepDeployError } from "../domain/errors.js";
import type { Deps } from "../wiring.js";
import { checkAlarms } from "./alarms.js";
import { routerFor } from "./routers/index.js";

export interface ShiftEvent {
  deployment: LambdaDeployment;
  plan: TrafficPlan;
  cursor: StepCursor;
  /** How the last wait ended (absent before the first shift). */
  signal?: WaitSignal;
}

/**
 * One traffic step: decides the move (next step, promote, the rest of a resumed bake, stop, pause), and for a
 * shift checks the alarms right before the write, writes the step's weight with the revision it last read or
 * wrote, verifies that the weight landed, records the progress and returns the next cursor. The router is
 * chosen by the target's kind.
 */
export async function shiftTraffic(deps: Pick<Deps, "registry" | "alarms" | "lambda" | "loadBalancer" | "log">, event: ShiftEvent): Promise<StepCursor> {
  const d = event.deployment;
  const pending = pendingIntent((await deps.registry.getDeployment(d.deploymentId))?.control);
  const move = decideNextMove(event.plan, event.cursor, event.signal, pending);
  if (move.kind === "fail") throw new StepDeployError(move.error, move.cause);
  if (move.kind === "pause") throw new StepDeployError(ErrorNames.PauseRequested, JSON.stringify({ remainingSeconds: move.remainingSeconds, pausedBy: pending?.by }));
  const { cursor } = event;
  if (move.kind === "rebake") return cursorAfter({ step: cursor.step, weight: cursor.weight, bakeSeconds: move.bakeSeconds }, cursor.watcher, cursor.revision);
  await checkAlarms(deps, d);
  const router = routerFor(deps, d.target);
  // The plan's weights are this deployment's own: a retried step finds its earlier write there (see the router).
  await router.setWeight(d.target, move.weight, cursor.revision, event.plan.steps.map((s) => s.weight));
  const landed = await router.verify(d.target, move.weight);
  await deps.registry.recordProgress(d.deploymentId, { weight: move.weight, step: move.step, totalSteps: event.plan.steps.length });
  deps.log(d.deploymentId).info("traffic shifted", { step: move.step, weight: move.weight, bakeSeconds: move.bakeSeconds });
  return cursorAfter(move, cursor.watcher, landed.revision);
}
