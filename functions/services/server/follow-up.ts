import { deploymentIdFrom } from "../../domain/deployment/ids.js";
import { ErrorNames } from "../../domain/errors.js";
import { isFinalStatus, type LastSuccessful } from "../../domain/registry/types.js";
import { executionArnOf, lastServerRevision, rollbackConfigOf, type ServerRun } from "../../domain/fleet/run.js";
import type { Deps } from "../../wiring.js";
import { launchDeploymentIdOf } from "./launch.js";
import { discover } from "./start.js";
import type { FleetState } from "./state.js";

export type FollowUpDeps = Pick<Deps, "registry" | "runCommand" | "log"> & Partial<Pick<Deps, "instances">>;

/** A follow-on deployment planned at a deployment's success: recorded, first in the group's queue; the workflow starts it after Finalize. */
export interface PlannedFollowUp {
  deploymentId: string;
  input: Record<string, unknown>;
  /** The error its record is closed with when its execution cannot be started (CloseFollowUp). */
  notStartedError: string;
}

/**
 * The follow-on id of a deployment: derived from it, so a retried NextBatch finds the record it already created
 * instead of queueing a second one.
 */
export function followUpIdOf(deploymentId: string): string {
  return deploymentIdFrom(`${deploymentId}/autoUpdate`);
}

/**
 * CodeDeploy's outdatedInstancesStrategy UPDATE (UG "Integrating CodeDeploy with Amazon EC2 Auto Scaling",
 * "Scale-out events during a deployment": "CodeDeploy automatically starts a follow-on deployment (immediately
 * after the first) to update any outdated instances"): at the success of an in-place deployment whose target names
 * Auto Scaling groups, the groups' running, online instances that were not in its fleet were launched while it ran
 * and got the previous revision (a launch deployment). A NEW deployment (creator CodeDeployAutoUpdate, `autoUpdateOf`)
 * of this revision to them is recorded and put first in the group's queue, so Finalize hands it the group's lock.
 * IGNORE, no Auto Scaling group, blue/green, or no such instance: none.
 */
export async function planFollowUp(deps: FollowUpDeps, run: ServerRun, fleet: FleetState, stateMachineArn: string): Promise<PlannedFollowUp | { waitFor: string[] } | undefined> {
  if (!run.autoScalingGroups?.length || run.outdatedInstancesStrategy !== "UPDATE" || run.blueGreen || !stateMachineArn) return undefined;
  const known = new Set([...fleet.instances, ...fleet.unreachable.map((u) => u.instanceId)]);
  const { reachable } = await discover(deps, { autoScalingGroups: run.autoScalingGroups });
  const launched = reachable.filter((id) => !known.has(id));
  if (launched.length === 0) return undefined;
  // The guard: never commands from two deployments on one instance at once. A launched instance whose launch
  // deployment has not ended yet (Pending:Wait) is waited for: the caller looks again after pollSeconds.
  const waitFor = await launchesRunning(deps, run, launched);
  if (waitFor.length) return { waitFor };
  const own = await deps.registry.requireDeployment(run.deploymentId);
  const revision = lastServerRevision({ platform: "Server", target: own.target } as unknown as LastSuccessful);
  if (!revision) return undefined;
  const deploymentId = followUpIdOf(run.deploymentId);
  const input: Record<string, unknown> = {
    deploymentId,
    application: run.application,
    deploymentGroup: run.deploymentGroup,
    deploymentGroupId: run.deploymentGroupId,
    target: { instanceIds: launched },
    revision,
    deploymentConfig: rollbackConfigOf(run.deploymentConfig, launched.length),
    pollSeconds: run.pollSeconds,
    ...(run.deploymentRoot ? { deploymentRoot: run.deploymentRoot } : {}),
    ...(run.targetGroups?.length ? { targetGroups: run.targetGroups } : {}),
    ...(run.classicLoadBalancers?.length ? { classicLoadBalancers: run.classicLoadBalancers } : {}),
    alarms: run.alarms,
    ignorePollAlarmFailure: run.ignorePollAlarmFailure,
    autoRollback: run.autoRollback,
    autoUpdateOf: run.deploymentId,
    description: `Auto-update of ${launched.length} outdated instance${launched.length === 1 ? "" : "s"} launched during ${run.deploymentId}`,
  };
  const executionArn = executionArnOf(stateMachineArn, deploymentId);
  if (!(await deps.registry.getDeployment(deploymentId))) {
    await deps.registry.createDeployment({
      deploymentId,
      application: run.application,
      deploymentGroup: run.deploymentGroup,
      deploymentConfigName: typeof input.deploymentConfig === "string" ? input.deploymentConfig : "custom",
      platform: "Server",
      target: { deploymentGroupId: run.deploymentGroupId, revision: { bucket: revision.bucket, key: revision.key } },
      creator: "CodeDeployAutoUpdate",
      description: String(input.description),
      executionArn,
      lockKey: run.lockKey,
    });
  }
  await deps.registry.acquireOrEnqueue({ lockKey: run.lockKey, application: run.application, deploymentGroup: run.deploymentGroup, deploymentId, executionArn });
  deps.log(run.deploymentId).info("follow-on deployment to instances launched meanwhile", { followUp: deploymentId, instances: launched });
  return { deploymentId, input, notStartedError: ErrorNames.AutoUpdateFailed };
}

/** The launched instances whose launch deployment (creator autoscaling, id derived from group and instance) is recorded and not ended. */
async function launchesRunning(deps: FollowUpDeps, run: ServerRun, launched: string[]): Promise<string[]> {
  const running: string[] = [];
  for (const id of launched) {
    const launch = await deps.registry.getDeployment(launchDeploymentIdOf(run.deploymentGroupId, id));
    if (launch && !isFinalStatus(launch.status)) running.push(id);
  }
  return running;
}
