import type { LambdaDeployment } from "../domain/deployment/state.js";
import { ErrorNames } from "../domain/errors.js";
import { withDeployment } from "../lib/logger.js";
import { registry } from "../lib/registry.js";

export interface RegisterEvent {
  deployment: LambdaDeployment;
  executionArn: string;
}

/**
 * Records the deployment and takes its group's lock (one active deployment per group, as
 * CodeDeploy). A second deployment fails fast with Deploy.ConflictingDeployment naming the active
 * one. Safe to run twice: re-creating the same record and re-acquiring a held lock are no-ops.
 */
export async function handler(event: RegisterEvent): Promise<{ acquired: true }> {
  const d = event.deployment;
  const log = withDeployment(d.deploymentId);
  const reg = registry();
  const group = { application: d.application, deploymentGroup: d.deploymentGroup };
  const target = { functionName: d.functionName, alias: d.alias, currentVersion: d.currentVersion, targetVersion: d.targetVersion };
  // A queued deployment (`queue: true`) was recorded by joinQueue and already holds the lock; its final
  // settings (Prepare ran after the wait) are written as it goes InProgress.
  const existing = await reg.getDeployment(d.deploymentId);
  const queued = existing?.queued === true && existing.status === "Created";
  if (!queued) {
    await reg.createDeployment({
      deploymentId: d.deploymentId,
      ...group,
      deploymentConfigName: d.config,
      platform: "Lambda",
      target,
      executionArn: event.executionArn,
      overrideAlarms: d.ignoredAlarms.length > 0,
    });
  }
  try {
    await reg.acquireLock({ ...group, deploymentId: d.deploymentId, executionArn: event.executionArn });
  } catch (e) {
    if ((e as Error).name === "Deploy.ConflictingDeployment") {
      await reg.markFailed(d.deploymentId, ErrorNames.ConflictingDeployment, (e as Error).message);
      log.warn("rejected: group busy", { error: (e as Error).message });
    }
    throw e;
  }
  await reg.markInProgress(d.deploymentId, event.executionArn, queued ? { deploymentConfigName: d.config, target, overrideAlarms: d.ignoredAlarms.length > 0 } : undefined);
  log.info("registered and locked", { group });
  return { acquired: true };
}
