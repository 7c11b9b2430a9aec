import type { StepCursor } from "../domain/deployment/cursor.js";
import type { Outcome } from "../domain/deployment/outcome.js";
import type { TrafficPlan } from "../domain/deployment/plan.js";
import type { LambdaDeployment } from "../domain/deployment/state.js";
import type { Deps } from "../wiring.js";
import { routerFor } from "./routers/index.js";

export interface RollBackEvent {
  deployment: LambdaDeployment;
  plan: TrafficPlan;
  cursor: StepCursor;
  outcome: Outcome;
}

/**
 * Puts the traffic back where the deployment found it (100% on the old version), with the revision of its last
 * read or write, so another writer's change is never overwritten: the outcome then says what the target is now
 * and that it was not rolled back. Returns the outcome the rest of the failure path records and emits.
 */
export async function rollBack(deps: Pick<Deps, "lambda" | "loadBalancer" | "log">, event: RollBackEvent): Promise<Outcome> {
  const { deployment: d, outcome } = event;
  if (!outcome.rollback) return outcome;
  const restored = await routerFor(deps, d.target).restore(d.target, event.cursor.revision, event.plan.steps.map((s) => s.weight));
  if (restored.restored) {
    deps.log(d.deploymentId).info("rolled back", { now: restored.reading.describe });
    return outcome;
  }
  const reason = `${outcome.reason}; not rolled back: ${restored.reason}`;
  deps.log(d.deploymentId).warn("rollback refused: another writer changed the traffic", { now: restored.reading.describe });
  return { ...outcome, rollback: false, reason, eventFields: { ...outcome.eventFields, rollback: false, reason } };
}
