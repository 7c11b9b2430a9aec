import { ValidationError } from "../errors.js";
import type { Groups, ServerDeploymentGroup } from "../groups/groups.js";
import { parseGroupDeployment } from "../groups/request.js";
import { serverDeployInputOf } from "../groups/platforms.js";
import type { RecordedServerRevision } from "./run.js";

/**
 * CodeDeploy's launch lifecycle hook, as stepdeploy puts it on the Auto Scaling groups an in-place deployment names
 * (services/server/lifecycle-hook.ts): one hook per deployment group, so the event names the group. A launched
 * instance waits in Pending:Wait (not InService, not in the group's load balancers) until its launch deployment ends:
 * CONTINUE on success, ABANDON on failure (Auto Scaling terminates it and launches another). HeartbeatTimeout 3600 s
 * (a lifecycle event's longest script timeout) with DefaultResult ABANDON: an instance nobody deployed to is not let
 * into service. CodeDeploy's own hook is "CodeDeploy-managed-automatic-launch-deployment-hook-<group>-<uuid>".
 */
export const LAUNCH_HOOK_PREFIX = "stepdeploy-launch-";
export const LAUNCH_HOOK = { heartbeatTimeoutSeconds: 3600, defaultResult: "ABANDON" } as const;
export const launchHookName = (deploymentGroupId: string): string => `${LAUNCH_HOOK_PREFIX}${deploymentGroupId}`;

/** What an "EC2 Instance-launch Lifecycle Action" event (source aws.autoscaling) says: which group launched which instance, held by which of our hooks. */
export interface InstanceLaunch {
  autoScalingGroup: string;
  instanceId: string;
  /** The deployment group whose hook holds the instance (from the hook's name). */
  deploymentGroupId: string;
  lifecycleHook: { name: string; token: string };
}

const LAUNCH_ACTION = "EC2 Instance-launch Lifecycle Action";

/**
 * Reads the launch from the event EventBridge delivers (Amazon EC2 Auto Scaling User Guide, event reference,
 * "EC2 Instance-launch Lifecycle Action": `detail.AutoScalingGroupName`, `EC2InstanceId`, `LifecycleHookName`,
 * `LifecycleActionToken`, `LifecycleTransition`); anything else is refused naming the field. Another hook's action
 * (not ours: its name lacks the prefix) is `undefined`: someone else completes it.
 */
export function parseLaunchEvent(event: unknown): InstanceLaunch | undefined {
  return parseLifecycleActionEvent(event, { detailType: LAUNCH_ACTION, transition: "autoscaling:EC2_INSTANCE_LAUNCHING", prefix: LAUNCH_HOOK_PREFIX, what: "launched" });
}

/** A lifecycle action event of one kind (launch or terminate), held by one of our hooks (`prefix`); see parseLaunchEvent. */
export function parseLifecycleActionEvent(event: unknown, kind: { detailType: string; transition: string; prefix: string; what: string }): InstanceLaunch | undefined {
  const e = (event ?? {}) as { source?: unknown; "detail-type"?: unknown; detail?: Record<string, unknown> };
  if (e.source !== "aws.autoscaling" || e["detail-type"] !== kind.detailType) throw new ValidationError("detail-type", `must be an aws.autoscaling "${kind.detailType}" event, not ${String(e.source)} "${String(e["detail-type"])}"`);
  const d = e.detail ?? {};
  const group = d.AutoScalingGroupName;
  const instanceId = d.EC2InstanceId;
  const hook = d.LifecycleHookName;
  const token = d.LifecycleActionToken;
  if (typeof group !== "string" || group === "") throw new ValidationError("detail.AutoScalingGroupName", `is required: the Auto Scaling group that ${kind.what} the instance`);
  if (typeof instanceId !== "string" || !/^i-[0-9a-f]{8,17}$/.test(instanceId)) throw new ValidationError("detail.EC2InstanceId", `must be the ${kind.what} EC2 instance's id (i-...)`);
  if (d.LifecycleTransition !== kind.transition) throw new ValidationError("detail.LifecycleTransition", `must be ${kind.transition}, not ${String(d.LifecycleTransition)}`);
  if (typeof hook !== "string" || hook === "") throw new ValidationError("detail.LifecycleHookName", "is required: the hook that holds the instance");
  if (typeof token !== "string" || token === "") throw new ValidationError("detail.LifecycleActionToken", "is required: what completes the lifecycle action");
  if (!hook.startsWith(kind.prefix) || hook.length === kind.prefix.length) return undefined;
  return { autoScalingGroup: group, instanceId, deploymentGroupId: hook.slice(kind.prefix.length), lifecycleHook: { name: hook, token } };
}

/** The stage's in-place Server group whose hook it is, if it lists the Auto Scaling group (a BLUE_GREEN group replaces its fleet instead). */
export function groupOfLaunch(groups: Groups, launch: InstanceLaunch): ServerDeploymentGroup | undefined {
  return groups.groups.find((g): g is ServerDeploymentGroup => g.computePlatform === "Server" && g.id === launch.deploymentGroupId && !g.blueGreen && g.autoScalingGroups.includes(launch.autoScalingGroup));
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
  const base = lastRevisionInput(a.groups, group, last.revision, a.deploymentId);
  return {
    action: "deploy",
    input: {
      ...base,
      target: { instanceIds: [launch.instanceId] },
      deploymentConfig: "CodeDeployDefault.AllAtOnce",
      autoRollback: { enabled: false },
      launch: { instanceId: launch.instanceId, autoScalingGroup: launch.autoScalingGroup, lifecycleHook: launch.lifecycleHook, ...(a.holder ? { during: a.holder } : {}) },
      description: `Launch of ${launch.instanceId} into ${launch.autoScalingGroup}: the revision of ${last.deploymentId}${a.holder ? ` (while ${a.holder} runs)` : ""}`,
    },
  };
}

/** The group's deploy-server input for its last successful revision (pinned to its ETag): a launch or termination deployment's base. */
export function lastRevisionInput(groups: Groups, group: ServerDeploymentGroup, revision: RecordedServerRevision, deploymentId: string): Record<string, unknown> {
  const { bucket, key, bundleType, version, eTag } = revision;
  const request = parseGroupDeployment({ application: group.application, deploymentGroup: group.deploymentGroup, revision: { s3: { bucket, key, bundleType, eTag, ...(version ? { version } : {}) } } });
  return serverDeployInputOf(groups, group, request, deploymentId);
}
