import { clearWaiting, getWaiting } from "../adapters/dynamodb-callbacks.js";
import { sendTaskSuccess } from "../adapters/sfn.js";
import type { NextDeployment } from "../domain/registry/index.js";
import { logger } from "./logger.js";

/**
 * Wakes the queued deployment a release handed the group's lock to: answers its WaitInLine token.
 * Safe to repeat and to lose: a deployment whose token is not stored yet finds the lock its own when it
 * opens the wait (waitInLine checks after storing), and a queued wait re-polls the lock when it times out.
 */
export async function wakeNext(next: NextDeployment | undefined): Promise<boolean> {
  if (!next) return false;
  const waiting = await getWaiting(next.deploymentId);
  if (waiting?.kind !== "queue") return false;
  const delivered = await sendTaskSuccess(waiting.token, { lockGranted: true });
  if (delivered) await clearWaiting(next.deploymentId, []);
  logger.info("woke the next deployment in line", { next: next.deploymentId, delivered });
  return delivered;
}
