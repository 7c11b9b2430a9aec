import type { LambdaDeployment } from "../domain/deployment/state.js";
import { ErrorNames } from "../domain/errors.js";
import { RegistryErrorNames } from "../domain/registry/index.js";
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
  const overrideAlarms = d.ignoredAlarms.length > 0;
  try {
    await reg.createDeployment({ deploymentId: d.deploymentId, ...group, deploymentConfigName: d.config, platform: "Lambda", target, executionArn: event.executionArn, overrideAlarms });
  } catch (e) {
    // A queued deployment (`queue: true`) was recorded by joinQueue with the target as given and already
    // holds the lock; its final settings (Prepare ran after the wait) are written as it goes InProgress.
    const existing = (e as Error).name === RegistryErrorNames.DeploymentAlreadyExists ? await reg.getDeployment(d.deploymentId) : undefined;
    if (!(existing?.queued && existing.status === "Created")) throw e;
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
  // The settings apply only to a record created as queued (domain/registry/transitions.ts).
  await reg.markInProgress(d.deploymentId, event.executionArn, { deploymentConfigName: d.config, target, overrideAlarms });
  log.info("registered and locked", { group });
  return { acquired: true };
}
