import { resolveSchedule } from "../domain/configs/index.js";
import { deploymentIdFromExecutionName, newDeploymentId } from "../domain/deployment/ids.js";
import { parseDeployLambdaInput } from "../domain/deployment/input.js";
import { withDeployment } from "../lib/logger.js";
import { registry } from "../lib/registry.js";

export interface JoinQueueEvent {
  input: unknown;
  executionName?: string;
  executionArn: string;
}

export interface JoinQueueResult {
  deploymentId: string;
  acquired: boolean;
  /** When waiting: who holds the lock, our 1-based place, the queue's length (else null). */
  queuedBehind: string | null;
  position: number | null;
  queueLength: number | null;
}

/**
 * `queue: true`: takes the group's lock or waits in its FIFO queue, before anything else is looked at
 * (the alias may be mid-deployment now; Prepare validates it once the lock is ours). Records the
 * deployment as Created/queued, so status, list and stop see it while it waits. Safe to repeat:
 * the workflow calls it again after each wait, and it answers `acquired` once the lock was handed over.
 */
export async function handler(event: JoinQueueEvent): Promise<JoinQueueResult> {
  const input = parseDeployLambdaInput(event.input);
  const config = resolveSchedule(input.deploymentConfig).config;
  const deploymentId = input.deploymentId ?? deploymentIdFromExecutionName(event.executionName) ?? newDeploymentId();
  const log = withDeployment(deploymentId);
  const reg = registry();
  const group = { application: input.application, deploymentGroup: input.deploymentGroup };
  await reg.createDeployment({
    deploymentId,
    ...group,
    deploymentConfigName: config,
    platform: "Lambda",
    target: { functionName: input.functionName, alias: input.alias, targetVersion: input.targetVersion, ...(input.currentVersion ? { currentVersion: input.currentVersion } : {}) },
    executionArn: event.executionArn,
    queued: true,
  });
  const r = await reg.acquireOrEnqueue({ ...group, deploymentId, executionArn: event.executionArn });
  if (r.acquired) {
    log.info("queue: lock held", { group });
    return { deploymentId, acquired: true, queuedBehind: null, position: null, queueLength: null };
  }
  log.info("queue: waiting for the group's lock", { group, queuedBehind: r.queuedBehind, position: r.position });
  return { deploymentId, acquired: false, queuedBehind: r.queuedBehind, position: r.position, queueLength: r.queueLength };
}
