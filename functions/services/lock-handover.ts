import { ErrorNames } from "../domain/errors.js";
import type { NextDeployment } from "../domain/registry/index.js";
import type { Deps } from "../wiring.js";

/**
 * Releases a deployment's target lock, then wakes the deployment the lock was handed to (the head of the
 * target's queue): fails its waiting Start task with Deploy.LockHandedOver, which makes it look again and start.
 * The one place every end path (finalize, a deployment that never started, the janitor) gives a lock up.
 * Safe to repeat and to lose: a queued deployment whose token is not stored yet finds the lock its own when it
 * stores it, and a queued wait re-checks every hour.
 */
export async function releaseAndWakeNext(
  deps: Pick<Deps, "registry" | "callbacks" | "stepFunctions" | "log">,
  lockKey: string | undefined,
  deploymentId: string,
): Promise<{ released: boolean; next?: string }> {
  if (!lockKey) return { released: false };
  const { released, next } = await deps.registry.release({ lockKey }, deploymentId);
  await wake(deps, next);
  return { released, ...(next ? { next: next.deploymentId } : {}) };
}

async function wake(deps: Pick<Deps, "callbacks" | "stepFunctions" | "log">, next: NextDeployment | undefined): Promise<void> {
  if (!next) return;
  const waiting = await deps.callbacks.getWaiting(next.deploymentId);
  if (waiting?.kind !== "queue") return;
  const delivered = await deps.stepFunctions.sendTaskFailure(waiting.token, ErrorNames.LockHandedOver, "the traffic target's lock was handed over to this deployment");
  if (delivered) await deps.callbacks.clearWaiting(next.deploymentId, []);
  deps.log(next.deploymentId).info("woken: the target's lock was handed over", { delivered });
}
