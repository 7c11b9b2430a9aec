import { decideCleanup } from "../domain/deployment/cleanup.js";
import { eventResources } from "../domain/deployment/notification.js";
import { groupId } from "../domain/groups/id.js";
import { RegistryErrorNames } from "../domain/registry/index.js";
import type { DeploymentRecord } from "../domain/registry/types.js";
import { type LambdaAliasTarget, placementOfArn } from "../domain/traffic/target.js";
import { retryTransient } from "../lib/retry.js";
import type { Deps } from "../wiring.js";
import { releaseAndWakeNext } from "./lock-handover.js";
import { recordOutcome } from "./outcome.js";
import { ecsEventFields, restoreEcsForJanitor } from "./ecs/janitor.js";
import { routerFor } from "./routers/index.js";
import { blueGreenViewOf, restoreServerBlueGreen } from "./server/janitor.js";

/** Step Functions "Execution Status Change" (codepipeline-spec §4.6). */
export interface ExecutionStatusChangeEvent {
  detail: { executionArn: string; name: string; status: string; stateMachineArn?: string; error?: string | null; cause?: string | null };
  region?: string;
}

/**
 * The safety net for executions that die (aborted, timed out, or failed without reaching their own cleanup):
 * claims the outcome, restores traffic to the old version (unless another writer changed it), releases the lock
 * (waking the next in line) and emits the terminal event. Deployments that ended cleanly only get their lock
 * released if a crash left it; the decisions are domain/deployment/cleanup.ts.
 */
export type JanitorDeps = Pick<Deps, "registry" | "callbacks" | "stepFunctions" | "lambda" | "loadBalancer" | "ecs" | "events" | "log"> & Partial<Pick<Deps, "autoScaling" | "instances" | "classicLoadBalancer">>;

export async function cleanUpDeadExecution(deps: JanitorDeps, event: ExecutionStatusChangeEvent): Promise<{ deploymentId: string; action: string }> {
  const { name: deploymentId, executionArn } = event.detail;
  const record = await deps.registry.getDeployment(deploymentId);
  const decision = decideCleanup(record, event.detail);
  if (decision.action === "none" || !record) return { deploymentId, action: "none" };
  if (decision.action === "release") {
    const { released } = await releaseAndWakeNext(deps, record.lockKey, deploymentId);
    return { deploymentId, action: released ? "released-lock" : "none" };
  }
  // Claim the outcome first: if the workflow finished on its own meanwhile, its traffic is right as it is.
  try {
    await recordOutcome(deps, deploymentId, decision);
  } catch (e) {
    if ((e as Error).name !== RegistryErrorNames.DeploymentAlreadyCompleted) throw e;
    const { released } = await releaseAndWakeNext(deps, record.lockKey, deploymentId);
    return { deploymentId, action: released ? "released-lock" : "none" };
  }
  if (decision.action === "close-unstarted") {
    await deps.callbacks.clearWaiting(deploymentId, []);
    await releaseAndWakeNext(deps, record.lockKey, deploymentId);
    return { deploymentId, action: "closed-unstarted" };
  }
  // The janitor is the last line of defence for traffic and the last chance to tell anyone:
  // transient failures get more tries than the SDK's.
  const t = record.platform === "Lambda" ? lambdaTargetOf(record) : undefined;
  // An in-place server deployment has no traffic to put back (its rollback is a new deployment the janitor does not
  // start); a blue/green one is put back on its original instances.
  const restored = record.platform === "Server" ? await retryTransient(() => restoreServer(deps, record)) : await retryTransient(() => (t ? restoreTraffic(deps, t) : restoreEcsForJanitor(deps, record)));
  const restoredTo = t ? `version ${t.fromVersion}` : record.platform === "Server" ? "the original instances" : "the original task set";
  const reason = `${decision.reason}; ${restored === true ? `traffic restored to ${restoredTo} by the janitor` : `not rolled back: ${restored}`}`;
  await deps.registry.recordRollbackInfo(deploymentId, { rollbackMessage: reason });
  await deps.callbacks.clearWaiting(deploymentId, (await deps.callbacks.getWaiting(deploymentId))?.alarms ?? []);
  await releaseAndWakeNext(deps, record.lockKey, deploymentId);
  await retryTransient(() =>
    deps.events.putDeploymentEvent(
      {
        application: record.application,
        deploymentGroup: record.deploymentGroup,
        deploymentId,
        instanceGroupId: groupId(record.application, record.deploymentGroup),
        state: decision.state,
        region: event.region ?? placementOfArn(executionArn).region,
        config: record.deploymentConfigName,
        ...(t ? { functionName: t.functionName, alias: t.alias, currentVersion: t.fromVersion, targetVersion: t.toVersion } : record.platform === "Server" ? serverEventFields(record) : ecsEventFields(record)),
        reason,
        rollback: restored === true,
        error: decision.error,
      },
      eventResources(executionArn, placementOfArn(executionArn), record.application, record.deploymentGroup),
    ),
  );
  deps.log(deploymentId).warn("janitor closed a dead deployment", { status: event.detail.status, error: decision.error, restored: restored === true });
  return { deploymentId, action: restored === true ? "restored" : "closed-without-restore" };
}

const SERVER_NOT_RESTORED = "the execution ended before its own rollback decision; an in-place deployment is rolled back by a new deployment (stepdeploy deploy)";

async function restoreServer(deps: JanitorDeps, record: DeploymentRecord): Promise<true | string> {
  const view = blueGreenViewOf(record);
  if (!view) return SERVER_NOT_RESTORED;
  if (!deps.autoScaling || !deps.instances) return "the janitor has no EC2 or Auto Scaling access here";
  return restoreServerBlueGreen({ ...deps, autoScaling: deps.autoScaling, instances: deps.instances }, record.deploymentId, view);
}

/** The terminal event's server fields: the revision and the last recorded instance counts. */
const serverEventFields = (r: DeploymentRecord) => {
  const rev = (r.target as { revision?: { bucket?: string; key?: string } }).revision;
  return { revision: `s3://${rev?.bucket}/${rev?.key}`, ...(r.progress?.instances ? { instances: r.progress.instances } : {}) };
};

const lambdaTargetOf = (r: DeploymentRecord): LambdaAliasTarget => {
  const t = r.target as { functionName: string; alias: string; currentVersion?: string; targetVersion: string };
  return { kind: "lambda-alias", functionName: t.functionName, alias: t.alias, fromVersion: t.currentVersion ?? "", toVersion: t.targetVersion };
};

/** True when restored; otherwise why not (the alias is in a state this deployment did not make). */
async function restoreTraffic(deps: JanitorDeps, target: LambdaAliasTarget): Promise<true | string> {
  const router = routerFor(deps, target);
  const now = await router.read(target);
  if (now.weight === null) return `${target.functionName}:${target.alias} was changed by another writer (now ${now.describe}); stepdeploy did not overwrite it`;
  const r = await router.restore(target, now.revision);
  return r.restored ? true : r.reason;
}
