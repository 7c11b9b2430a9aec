import { deploymentIdFrom } from "../../domain/deployment/ids.js";
import { decideLaunch, groupOfLaunch, type InstanceLaunch, LAUNCH_HOOK, launchHookName, parseLaunchEvent } from "../../domain/fleet/launch.js";
import { TERMINATION_HOOK, terminationHookName } from "../../domain/fleet/termination.js";
import { executionArnOf, lastServerRevision, type RecordedServerRevision, serverLockKey } from "../../domain/fleet/run.js";
import type { ServerDeploymentGroup } from "../../domain/groups/groups.js";
import type { Deps } from "../../wiring.js";
import type { FleetState } from "./state.js";

export type LaunchDeps = Pick<Deps, "registry" | "executions" | "log" | "autoScaling"> & Pick<Deps, "config"> & Partial<Pick<Deps, "instances">>;

export interface LaunchResult {
  started: { deploymentId: string; group: string; during?: string }[];
  ignored: { group?: string; reason: string }[];
  /** The lifecycle action completed at once (CONTINUE) because nothing is deployed to the instance. */
  continued?: boolean;
}

/** The launch deployment's id: one per group and instance, so a second delivery of the event starts nothing new. */
export function launchDeploymentIdOf(groupId: string, instanceId: string): string {
  return deploymentIdFrom(`${groupId}/${instanceId}/launch`);
}

/**
 * The scale-out half of CodeDeploy's Auto Scaling integration (docs/ec2.md#auto-scaling): the launched instance waits in
 * Pending:Wait under the deployment group's launch hook; it gets a deployment (creator autoscaling) of the group's last
 * successful revision, whose end completes the lifecycle action (CONTINUE or ABANDON, in the workflow). When nothing
 * is deployed (the group never succeeded, or is not in the stage's groups file) the action is completed CONTINUE here
 * at once, as CodeDeploy lets an instance of a group with no revision yet into service; an instance that is no longer
 * running (terminating) has no action left to complete. Another hook's action is ignored. The record is created here
 * and the execution started once by name (a duplicate event finds it).
 */
export async function deployToLaunchedInstance(deps: LaunchDeps, event: unknown, stateMachineArn: string): Promise<LaunchResult> {
  return deployToHeldInstance(deps, event, stateMachineArn, {
    parse: parseLaunchEvent,
    idOf: launchDeploymentIdOf,
    creator: "autoscaling",
    what: "deploying the last successful revision to a launched instance",
    decide: async (a) => decideLaunch({ ...a, groups: deps.config.groups, launch: a.held }),
  });
}

/** What differs between a launch and a termination deployment: the event, the id, the decision (domain/fleet). */
export interface HeldInstanceKind {
  parse(event: unknown): InstanceLaunch | undefined;
  idOf(groupId: string, instanceId: string): string;
  /** The record's creator, as CodeDeploy names them: `autoscaling` (a launch), `autoscalingTermination` (API reference, DeploymentInfo.creator). */
  creator: "autoscaling" | "autoscalingTermination";
  what: string;
  decide(a: { group: ServerDeploymentGroup; held: InstanceLaunch; instanceState: string | undefined; last: { deploymentId: string; revision: RecordedServerRevision } | undefined; holder: string | undefined; deploymentId: string }): Promise<{ action: "ignore" | "continue"; reason: string } | { action: "deploy"; input: Record<string, unknown> }>;
}

/**
 * An instance an Auto Scaling lifecycle hook of ours holds (Pending:Wait or Terminating:Wait): the group whose hook it
 * is, the instance's EC2 state, the group's last success and lock holder, then `kind.decide`. A deployment: its record
 * is created here (creator autoscaling, the instance's own lock beside a holder) and the execution started once by
 * name (a duplicate event finds it). Nothing to do: the action is completed CONTINUE at once.
 */
export async function deployToHeldInstance(deps: LaunchDeps, event: unknown, stateMachineArn: string, kind: HeldInstanceKind): Promise<LaunchResult> {
  const launch = kind.parse(event);
  const result: LaunchResult = { started: [], ignored: [] };
  if (!launch) return { ...result, ignored: [{ reason: "another lifecycle hook's action: not stepdeploy's to complete" }] };
  const group = groupOfLaunch(deps.config.groups, launch);
  const found = deps.instances ? await deps.instances.findInstances({ instanceIds: [launch.instanceId] }) : [{ id: launch.instanceId, state: "running" }];
  const instanceState = found.find((i) => i.id === launch.instanceId)?.state;
  if (!group) return continueLaunch(deps, launch, instanceState, { ...result, ignored: [{ reason: `no in-place Server group of this stage has id ${launch.deploymentGroupId} and lists Auto Scaling group ${launch.autoScalingGroup}` }] });
  const name = `${group.application}/${group.deploymentGroup}`;
  const lastRecord = await deps.registry.getLastSuccessful({ application: group.application, deploymentGroup: group.deploymentGroup });
  const revision = lastServerRevision(lastRecord);
  const lock = await deps.registry.getLock({ lockKey: serverLockKey(group.application, group.deploymentGroup) });
  const deploymentId = kind.idOf(group.id, launch.instanceId);
  const holder = lock?.holderDeploymentId && lock.holderDeploymentId !== deploymentId ? lock.holderDeploymentId : undefined;
  const last = revision && lastRecord ? { deploymentId: lastRecord.deploymentId, revision } : undefined;
  const decision = await kind.decide({ group, held: launch, instanceState, last, holder, deploymentId });
  if (decision.action !== "deploy") return continueLaunch(deps, launch, instanceState, { ...result, ignored: [{ group: name, reason: decision.reason }] });
  const executionArn = executionArnOf(stateMachineArn, deploymentId);
  if (!(await deps.registry.getDeployment(deploymentId))) {
    await deps.registry.createDeployment({
      deploymentId,
      application: group.application,
      deploymentGroup: group.deploymentGroup,
      deploymentConfigName: "CodeDeployDefault.AllAtOnce",
      platform: "Server",
      target: { deploymentGroupId: group.id, revision: { bucket: revision?.bucket ?? "", key: revision?.key ?? "" } },
      creator: kind.creator,
      description: String(decision.input.description),
      executionArn,
      lockKey: serverLockKey(group.application, group.deploymentGroup, { instanceId: launch.instanceId, ...(holder ? { during: holder } : {}) }),
    });
  }
  await deps.executions.startOnce(stateMachineArn, deploymentId, decision.input);
  deps.log(deploymentId).info(kind.what, { instanceId: launch.instanceId, autoScalingGroup: launch.autoScalingGroup, group: name, during: holder });
  return { ...result, started: [{ deploymentId, group: name, ...(holder ? { during: holder } : {}) }] };
}

/** Nothing to deploy: a running instance's lifecycle action is completed CONTINUE (else it would wait for its heartbeat timeout: a launch abandoned, a termination delayed). */
async function continueLaunch(deps: LaunchDeps, launch: InstanceLaunch, instanceState: string | undefined, result: LaunchResult): Promise<LaunchResult> {
  if (instanceState !== "running") return result;
  const done = await deps.autoScaling.completeLifecycleAction({ group: launch.autoScalingGroup, hook: launch.lifecycleHook.name, token: launch.lifecycleHook.token, result: "CONTINUE" });
  return { ...result, continued: done };
}

/**
 * Puts the deployment group's launch hook on each Auto Scaling group an in-place deployment names, at its Start
 * (PutLifecycleHook creates or updates: idempotent, one call per group and deployment). CodeDeploy puts its hook when
 * the deployment group is created or updated; stepdeploy's groups are files with no such moment, and a deployment's
 * Start is the first time stepdeploy acts on the group. Instances launched before it are the deployment's own fleet.
 * With `terminationHookEnabled`, the group's termination hook too (a second call per group).
 */
export async function putLaunchHooks(deps: Partial<Pick<Deps, "autoScaling">> & Pick<Deps, "log">, deploymentId: string, deploymentGroupId: string, autoScalingGroups: string[], terminationHookEnabled = false): Promise<void> {
  for (const group of autoScalingGroups) {
    const put = await deps.autoScaling?.putLaunchHook(group, { name: launchHookName(deploymentGroupId), ...LAUNCH_HOOK });
    // CodeDeploy refuses such a group when it is created; here the deployment goes on with the instances it finds by tag.
    if (put === false) {
      deps.log(deploymentId).warn("Auto Scaling group not found: its launches are not held for a launch deployment", { autoScalingGroup: group });
      continue;
    }
    // terminationHookEnabled: scale-ins wait in Terminating:Wait for their termination deployment (services/server/termination.ts).
    if (terminationHookEnabled) await deps.autoScaling?.putLaunchHook(group, { name: terminationHookName(deploymentGroupId), ...TERMINATION_HOOK, transition: "autoscaling:EC2_INSTANCE_TERMINATING" });
  }
}

/**
 * An in-place deployment's fleet leaves out the instances its Auto Scaling groups are still launching (Pending, or
 * Pending:Wait under a launch hook, DescribeAutoScalingGroups; 1 call per group): each gets its own launch deployment,
 * and this deployment's success brings them its revision (the follow-on deployment, after their launch deployments
 * end). Without this, a deployment started while a launch deployment runs (after a failed or IGNORE one released the
 * group) would send the same instance commands beside it, and an instance EC2 still reports pending would count failed.
 */
export async function leaveOutLaunching(deps: Partial<Pick<Deps, "autoScaling">> & Pick<Deps, "log">, deploymentId: string, autoScalingGroups: string[], found: { reachable: string[]; unreachable: FleetState["unreachable"] }): Promise<typeof found> {
  const launching = new Set<string>();
  for (const name of autoScalingGroups) {
    const group = await deps.autoScaling?.describeGroup(name);
    for (const i of group?.instances ?? []) if (i.lifecycleState.startsWith("Pending")) launching.add(i.id);
  }
  if (launching.size === 0) return found;
  deps.log(deploymentId).info("instances still launching left out of the fleet (their launch deployment, then the follow-on one, cover them)", { instances: [...launching] });
  return { reachable: found.reachable.filter((id) => !launching.has(id)), unreachable: found.unreachable.filter((u) => !launching.has(u.instanceId)) };
}
