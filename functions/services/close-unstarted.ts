import { closeUnstartedOf } from "../domain/deployment/cleanup.js";
import { deploymentIdFromExecutionName } from "../domain/deployment/ids.js";
import { reasonFromCause } from "../domain/deployment/outcome.js";
import { DEPLOYMENT_ID } from "../domain/deployment/ids.js";
import type { Deps } from "../wiring.js";
import { releaseAndWakeNext } from "./lock-handover.js";
import { recordOutcome } from "./outcome.js";

export interface CloseUnstartedEvent {
  /** The raw input (only `deploymentId` is read: it may be invalid). */
  input: unknown;
  executionName?: string;
  failure: { Error?: string; Cause?: string };
}

/**
 * A deployment that ends before it moved traffic (rejected, busy target, stopped while queued): records Failed or
 * Stopped with the error, leaves the target's queue and hands a lock it was given on to the next in line. Nothing
 * to roll back and no event: like CreateDeployment failing, nothing started.
 */
export async function closeUnstarted(deps: Pick<Deps, "registry" | "callbacks" | "stepFunctions" | "log">, event: CloseUnstartedEvent): Promise<{ status: string }> {
  const given = (event.input as { deploymentId?: unknown } | null)?.deploymentId;
  const deploymentId = typeof given === "string" && DEPLOYMENT_ID.test(given) ? given : deploymentIdFromExecutionName(event.executionName);
  if (!deploymentId) return { status: "none" };
  const record = await deps.registry.getDeployment(deploymentId);
  const decision = closeUnstartedOf(record, { Error: event.failure.Error, Cause: reasonFromCause(event.failure.Cause) });
  if (decision.action === "none") return { status: "none" };
  const status = decision.action === "close-unstarted" ? await recordOutcome(deps, deploymentId, decision) : String(record?.status);
  await deps.callbacks.clearWaiting(deploymentId, []);
  await releaseAndWakeNext(deps, record?.lockKey, deploymentId);
  deps.log(deploymentId).info("ended before it started", { status, error: event.failure.Error });
  return { status };
}
