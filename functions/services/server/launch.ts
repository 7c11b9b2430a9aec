import { deploymentIdFrom } from "../../domain/deployment/ids.js";
import { decideLaunch, groupsOfAutoScalingGroup, parseLaunchEvent } from "../../domain/fleet/launch.js";
import { executionArnOf, lastServerRevision, serverLockKey } from "../../domain/fleet/run.js";
import type { Deps } from "../../wiring.js";

export type LaunchDeps = Pick<Deps, "registry" | "executions" | "log"> & Pick<Deps, "config"> & Partial<Pick<Deps, "instances">>;

export interface LaunchResult {
  started: { deploymentId: string; group: string; during?: string }[];
  ignored: { group?: string; reason: string }[];
}

/** The launch deployment's id: one per group and instance, so a second delivery of the event starts nothing new. */
export function launchDeploymentIdOf(groupId: string, instanceId: string): string {
  return deploymentIdFrom(`${groupId}/${instanceId}/launch`);
}

/**
 * The scale-out half of CodeDeploy's Auto Scaling integration (docs/ec2.md#auto-scaling): for each in-place Server
 * group listing the Auto Scaling group that launched the instance, a deployment (creator autoscaling) of the group's
 * last successful revision to that instance, unless it is not running or the group has none (domain/fleet/launch).
 * Its record is created here and its execution started once by name (a duplicate event finds it).
 */
export async function deployToLaunchedInstance(deps: LaunchDeps, event: unknown, stateMachineArn: string): Promise<LaunchResult> {
  const launch = parseLaunchEvent(event);
  const groups = groupsOfAutoScalingGroup(deps.config.groups, launch.autoScalingGroup);
  const result: LaunchResult = { started: [], ignored: [] };
  if (groups.length === 0) return { ...result, ignored: [{ reason: `no in-place Server group lists Auto Scaling group ${launch.autoScalingGroup}` }] };
  const found = deps.instances ? await deps.instances.findInstances({ instanceIds: [launch.instanceId] }) : [{ id: launch.instanceId, state: "running" }];
  const instanceState = found.find((i) => i.id === launch.instanceId)?.state;
  for (const group of groups) {
    const name = `${group.application}/${group.deploymentGroup}`;
    const lastRecord = await deps.registry.getLastSuccessful({ application: group.application, deploymentGroup: group.deploymentGroup });
    const revision = lastServerRevision(lastRecord);
    const lock = await deps.registry.getLock({ lockKey: serverLockKey(group.application, group.deploymentGroup) });
    const deploymentId = launchDeploymentIdOf(group.id, launch.instanceId);
    const holder = lock?.holderDeploymentId && lock.holderDeploymentId !== deploymentId ? lock.holderDeploymentId : undefined;
    const last = revision && lastRecord ? { deploymentId: lastRecord.deploymentId, revision } : undefined;
    const decision = decideLaunch({ groups: deps.config.groups, group, launch, instanceState, last, holder, deploymentId });
    if (decision.action === "ignore") {
      result.ignored.push({ group: name, reason: decision.reason });
      continue;
    }
    const executionArn = executionArnOf(stateMachineArn, deploymentId);
    if (!(await deps.registry.getDeployment(deploymentId))) {
      await deps.registry.createDeployment({
        deploymentId,
        application: group.application,
        deploymentGroup: group.deploymentGroup,
        deploymentConfigName: "CodeDeployDefault.AllAtOnce",
        platform: "Server",
        target: { deploymentGroupId: group.id, revision: { bucket: revision?.bucket ?? "", key: revision?.key ?? "" } },
        creator: "autoscaling",
        description: String(decision.input.description),
        executionArn,
        lockKey: serverLockKey(group.application, group.deploymentGroup, { instanceId: launch.instanceId, ...(holder ? { during: holder } : {}) }),
      });
    }
    await deps.executions.startOnce(stateMachineArn, deploymentId, decision.input);
    deps.log(deploymentId).info("deploying the last successful revision to a launched instance", { instanceId: launch.instanceId, autoScalingGroup: launch.autoScalingGroup, group: name, during: holder });
    result.started.push({ deploymentId, group: name, ...(holder ? { during: holder } : {}) });
  }
  return result;
}
