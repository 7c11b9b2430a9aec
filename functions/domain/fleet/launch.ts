import { ValidationError } from "../errors.js";
import type { Groups, ServerDeploymentGroup } from "../groups/groups.js";
import { parseGroupDeployment } from "../groups/request.js";
import { serverDeployInputOf } from "../groups/platforms.js";
import type { RecordedServerRevision } from "./run.js";

/** What an "EC2 Instance Launch Successful" event (source aws.autoscaling) says: which group launched which instance. */
export interface InstanceLaunch {
  autoScalingGroup: string;
  instanceId: string;
}

/**
 * Reads the launch from the event EventBridge delivers (Amazon EC2 Auto Scaling event reference, "Successful scaling
 * events": `detail.AutoScalingGroupName`, `detail.EC2InstanceId`); anything else is refused naming the field.
 */
export function parseLaunchEvent(event: unknown): InstanceLaunch {
  const e = (event ?? {}) as { source?: unknown; "detail-type"?: unknown; detail?: Record<string, unknown> };
  if (e.source !== "aws.autoscaling" || e["detail-type"] !== "EC2 Instance Launch Successful") throw new ValidationError("detail-type", `must be an aws.autoscaling "EC2 Instance Launch Successful" event, not ${String(e.source)} "${String(e["detail-type"])}"`);
  const group = e.detail?.AutoScalingGroupName;
  const instanceId = e.detail?.EC2InstanceId;
  if (typeof group !== "string" || group === "") throw new ValidationError("detail.AutoScalingGroupName", "is required: the Auto Scaling group that launched the instance");
  if (typeof instanceId !== "string" || !/^i-[0-9a-f]{8,17}$/.test(instanceId)) throw new ValidationError("detail.EC2InstanceId", "must be the launched EC2 instance's id (i-...)");
  return { autoScalingGroup: group, instanceId };
}

/** The stage's in-place Server groups that list the Auto Scaling group (a BLUE_GREEN group replaces its fleet instead). */
export function groupsOfAutoScalingGroup(groups: Groups, autoScalingGroup: string): ServerDeploymentGroup[] {
  return groups.groups.filter((g): g is ServerDeploymentGroup => g.computePlatform === "Server" && !g.blueGreen && g.autoScalingGroups.includes(autoScalingGroup));
}

export type LaunchDecision = { action: "ignore"; reason: string } | { action: "deploy"; input: Record<string, unknown> };

/**
 * What a launch into one group's Auto Scaling group gets (UG "Integrating CodeDeploy with Amazon EC2 Auto Scaling"):
 * the revision the group last deployed successfully, never the one a running deployment is deploying. Nothing when
 * the instance is not running (terminating, terminated: "no deployment to an instance that is terminating") or the
 * group has no successful deployment yet (nothing to install). `holder`: the deployment holding the group's lock;
 * the launch deployment then runs beside it under the instance's own lock (`launch.during`), and that deployment's
 * success brings the instance its revision (outdatedInstancesStrategy UPDATE). One instance, AllAtOnce (no other
 * instance to keep healthy), no rollback (it installs the last good revision already).
 */
export function decideLaunch(a: {
  groups: Groups;
  group: ServerDeploymentGroup;
  launch: InstanceLaunch;
  instanceState: string | undefined;
  last: { deploymentId: string; revision: RecordedServerRevision } | undefined;
  holder: string | undefined;
  deploymentId: string;
}): LaunchDecision {
  const { group, launch, last } = a;
  if (a.instanceState !== "running") return { action: "ignore", reason: `${launch.instanceId} is ${a.instanceState ?? "unknown to EC2"}, not running: no deployment starts on it` };
  if (!last) return { action: "ignore", reason: `${group.application}/${group.deploymentGroup} has no successful deployment yet: nothing to install on ${launch.instanceId}` };
  const { bucket, key, bundleType, version, eTag } = last.revision;
  const request = parseGroupDeployment({ application: group.application, deploymentGroup: group.deploymentGroup, revision: { s3: { bucket, key, bundleType, eTag, ...(version ? { version } : {}) } } });
  const base = serverDeployInputOf(a.groups, group, request, a.deploymentId);
  return {
    action: "deploy",
    input: {
      ...base,
      target: { instanceIds: [launch.instanceId] },
      deploymentConfig: "CodeDeployDefault.AllAtOnce",
      autoRollback: { enabled: false },
      launch: { instanceId: launch.instanceId, autoScalingGroup: launch.autoScalingGroup, ...(a.holder ? { during: a.holder } : {}) },
      description: `Launch of ${launch.instanceId} into ${launch.autoScalingGroup}: the revision of ${last.deploymentId}${a.holder ? ` (while ${a.holder} runs)` : ""}`,
    },
  };
}
