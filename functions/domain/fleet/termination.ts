import type { Groups, ServerDeploymentGroup } from "../groups/groups.js";
import { groupOfLaunch, type InstanceLaunch, lastRevisionInput, parseLifecycleActionEvent } from "./launch.js";
import type { RecordedServerRevision } from "./run.js";

/**
 * CodeDeploy's termination hook (CreateDeploymentGroup `terminationHookEnabled`: "CodeDeploy install[s] a termination
 * hook into your Auto Scaling group ... When this hook is installed, CodeDeploy will perform termination deployments";
 * UG "Enabling termination deployments during Auto Scaling scale-in events"), as stepdeploy puts it: one per deployment
 * group, `autoscaling:EC2_INSTANCE_TERMINATING`. A scaled-in instance waits in Terminating:Wait (still running, its SSM
 * agent answering) until its termination deployment completes the action. DefaultResult CONTINUE: for a termination
 * hook both results terminate the instance, so nothing is gained by ABANDON; HeartbeatTimeout 3600 s as the launch hook.
 */
export const TERMINATION_HOOK_PREFIX = "stepdeploy-terminate-";
export const TERMINATION_HOOK = { heartbeatTimeoutSeconds: 3600, defaultResult: "CONTINUE" } as const;
export const terminationHookName = (deploymentGroupId: string): string => `${TERMINATION_HOOK_PREFIX}${deploymentGroupId}`;

/** What an "EC2 Instance-terminate Lifecycle Action" says: which group scales in which instance, held by which of our hooks. */
export type InstanceTermination = InstanceLaunch;

/**
 * Reads the scale-in from the event EventBridge delivers (Amazon EC2 Auto Scaling User Guide, event reference,
 * "Scale-in lifecycle action": detail-type "EC2 Instance-terminate Lifecycle Action", `LifecycleTransition`
 * autoscaling:EC2_INSTANCE_TERMINATING); anything else is refused naming the field; another hook's action is `undefined`.
 */
export function parseTerminationEvent(event: unknown): InstanceTermination | undefined {
  return parseLifecycleActionEvent(event, { detailType: "EC2 Instance-terminate Lifecycle Action", transition: "autoscaling:EC2_INSTANCE_TERMINATING", prefix: TERMINATION_HOOK_PREFIX, what: "terminates" });
}

/** The stage's in-place Server group whose termination hook it is, if it lists the Auto Scaling group (as for a launch). */
export const groupOfTermination: (groups: Groups, t: InstanceTermination) => ServerDeploymentGroup | undefined = groupOfLaunch;

export type TerminationDecision = { action: "continue"; reason: string } | { action: "deploy"; input: Record<string, unknown> };

/**
 * What a scaled-in instance gets: a termination deployment (one instance, AllAtOnce, no rollback: there is nothing to
 * roll back to on an instance that goes) that runs ApplicationStop, BeforeBlockTraffic, BlockTraffic (out of the group's
 * target groups / Classic Load Balancers, drained) and AfterBlockTraffic with the scripts of the last revision installed
 * on it (its deployment root, as the agent finds them). `installed`: what the group's deployments recorded for the
 * instance (any record: a failed install still leaves the earlier revision's scripts on its disk). Nothing to do (the
 * action is completed CONTINUE at once) when the instance has no revision of ours, is no longer running (its action is
 * gone), or the group never succeeded (the input's nominal revision is its last successful one; nothing is downloaded).
 */
export function decideTermination(a: {
  groups: Groups;
  group: ServerDeploymentGroup;
  termination: InstanceTermination;
  instanceState: string | undefined;
  installed: { deploymentId: string; revision?: string } | undefined;
  last: { deploymentId: string; revision: RecordedServerRevision } | undefined;
  /** The target groups / Classic Load Balancers of the instance's last deployment (where it serves), when it recorded them; else the group's. */
  traffic?: { targetGroups?: string[]; classicLoadBalancers?: string[] };
  holder: string | undefined;
  deploymentId: string;
}): TerminationDecision {
  const { group, termination: t, last } = a;
  const name = `${group.application}/${group.deploymentGroup}`;
  if (a.instanceState !== "running") return { action: "continue", reason: `${t.instanceId} is ${a.instanceState ?? "unknown to EC2"}, not running: nothing runs on it` };
  if (!a.installed) return { action: "continue", reason: `${name} never deployed to ${t.instanceId}: no scripts of ours to stop it with` };
  if (!last) return { action: "continue", reason: `${name} has no successful deployment: no revision of ours on ${t.instanceId}` };
  const { outdatedInstancesStrategy: _o, terminationHookEnabled: _t, ...base } = lastRevisionInput(a.groups, group, last.revision, a.deploymentId);
  return {
    action: "deploy",
    input: {
      ...base,
      ...(a.traffic?.targetGroups?.length ? { targetGroups: a.traffic.targetGroups } : {}),
      ...(a.traffic?.classicLoadBalancers?.length ? { classicLoadBalancers: a.traffic.classicLoadBalancers } : {}),
      target: { instanceIds: [t.instanceId] },
      deploymentConfig: "CodeDeployDefault.AllAtOnce",
      autoRollback: { enabled: false },
      termination: { instanceId: t.instanceId, autoScalingGroup: t.autoScalingGroup, lifecycleHook: t.lifecycleHook, ...(a.holder ? { during: a.holder } : {}) },
      description: `Termination of ${t.instanceId} (scale-in of ${t.autoScalingGroup}): ApplicationStop and BlockTraffic with the scripts of ${a.installed.deploymentId}${a.holder ? ` (while ${a.holder} runs)` : ""}`,
    },
  };
}
