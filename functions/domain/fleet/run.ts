import type { RollbackEvent } from "../deployment/input.js";
import type { ServerBlueGreen } from "./blue-green.js";
import { eventResources } from "../deployment/notification.js";
import { groupId } from "../groups/id.js";
import type { JsonMap, LastSuccessful } from "../registry/types.js";
import { placementOfArn } from "../traffic/target.js";
import { resolveServerConfig } from "./minimum-healthy.js";
import { FleetError, planFleet } from "./plan.js";

/**
 * What the deploy-server workflow keeps about a deployment beside its install context (`$.run`): the registry
 * lock, the alarms, the rollback settings, and the START event. The shared finalize and concludeFailure handlers
 * read it as their `deployment`.
 */
export interface ServerRun {
  deploymentId: string;
  application: string;
  deploymentGroup: string;
  deploymentGroupId: string;
  lockKey: string;
  alarms: string[];
  ignorePollAlarmFailure: boolean;
  autoRollback: { enabled: boolean; events: RollbackEvent[] };
  /** The config as the input gave it (a name or a custom object): a rollback deployment reuses it. */
  deploymentConfig: unknown;
  pollSeconds: number;
  deploymentRoot?: string;
  /** The target groups the deployment moved instances in (names or ARNs as given): its rollback moves them back in. */
  targetGroups?: string[];
  /** The Classic Load Balancers the same way (names). */
  classicLoadBalancers?: string[];
  /** Set on a rollback deployment: the deployment it rolls back (a rollback is never rolled back itself). */
  rollbackOf?: string;
  /** A blue/green deployment's options and original fleet (docs/ec2.md#blue-green). */
  blueGreen?: ServerBlueGreen;
  /** The Auto Scaling groups the target names (directly or as a group's aws:autoscaling:groupName tag filter). */
  autoScalingGroups?: string[];
  /** UPDATE: on success, a follow-on deployment of this revision to the instances those groups launched meanwhile. */
  outdatedInstancesStrategy?: "UPDATE" | "IGNORE";
  /** A deployment to one launched instance (creator autoscaling), or a follow-on one (autoUpdateOf). */
  launch?: { instanceId: string; autoScalingGroup: string; during?: string; lifecycleHook?: { name: string; token: string } };
  autoUpdateOf?: string;
  /** A termination deployment: the instance Auto Scaling scales in (docs/ec2.md#auto-scaling). */
  termination?: { instanceId: string; autoScalingGroup: string; during?: string; lifecycleHook: { name: string; token: string } };
  /**
   * The lifecycle action the deployment's end completes (deploy-server's ContinueLaunch on success, AbandonLaunch on
   * failure with `onFailure`): a launch deployment's (ABANDON: Auto Scaling replaces the instance) or a termination
   * deployment's (CONTINUE: the instance terminates anyway).
   */
  lifecycleAction?: { autoScalingGroup: string; name: string; token: string; onFailure: "CONTINUE" | "ABANDON" };
  /** What a successful install records as the instance's revision (`s3://bucket/key#eTag`, codedeploy-spec §2.4). */
  revisionKey?: string;
  eventDetail: Record<string, unknown>;
  resources: string[];
}

/** CodeDeploy's deploymentOverview, per instance: pending until attempted; skipped when the deployment ended first. */
export interface InstanceCounts {
  total: number;
  succeeded: number;
  failed: number;
  pending: number;
  skipped: number;
}

/**
 * One deployment per deployment group at a time (CodeDeploy, codedeploy-spec §8): the lock key is the group's, in
 * CodeDeploy's ARN-like resource form, so two groups sharing instances do not block each other (as in CodeDeploy).
 */
export function serverLockKey(application: string, deploymentGroup: string, launch?: { instanceId: string; during?: string }): string {
  const group = `codedeploy:deploymentgroup:${application}/${deploymentGroup}`;
  // A launch while another deployment holds the group: that instance's own lock (docs/ec2.md#auto-scaling).
  return launch?.during ? `${group}/launch/${launch.instanceId}` : group;
}

export function instanceCounts(fleet: { total: number; succeeded: number; failed: number }, ended = false): InstanceCounts {
  const left = Math.max(0, fleet.total - fleet.succeeded - fleet.failed);
  return { total: fleet.total, succeeded: fleet.succeeded, failed: fleet.failed, pending: ended ? 0 : left, skipped: ended ? left : 0 };
}

/** The revision as the registry keeps it (the group's last successful one is what a rollback deploys). */
export interface RecordedServerRevision {
  bucket: string;
  key: string;
  bundleType: "zip" | "tar" | "tgz";
  eTag: string;
  version?: string;
}

/** The START event's detail: CodeDeploy's state-change fields, the revision and the instance counts. */
export function serverEventDetail(run: Pick<ServerRun, "application" | "deploymentGroup" | "deploymentId">, a: { executionArn: string; config: string; revision: RecordedServerRevision; instances: InstanceCounts }): Pick<ServerRun, "eventDetail" | "resources"> {
  const where = placementOfArn(a.executionArn);
  return {
    eventDetail: {
      application: run.application,
      deploymentGroup: run.deploymentGroup,
      deploymentId: run.deploymentId,
      instanceGroupId: groupId(run.application, run.deploymentGroup),
      state: "START",
      region: where.region,
      config: a.config,
      revision: revisionUri(a.revision),
      instances: a.instances as unknown as Record<string, unknown>,
      reason: null,
      rollback: false,
    },
    // No single ARN names an instance fleet: the application and the group, as CodeDeploy's events name them.
    resources: eventResources(a.executionArn, where, run.application, run.deploymentGroup).slice(1),
  };
}

/** A revision as the events name it: `s3://bucket/key[?versionId=...]`. */
export const revisionUri = (r: Pick<RecordedServerRevision, "bucket" | "key" | "version">): string => `s3://${r.bucket}/${r.key}${r.version ? `?versionId=${r.version}` : ""}`;

/** The last successful revision of a Server group, if the registry has one (the first deployment has none). */
export function lastServerRevision(last: LastSuccessful | undefined): RecordedServerRevision | undefined {
  if (last?.platform !== "Server") return undefined;
  const r = (last.target as JsonMap).revision as unknown as RecordedServerRevision | undefined;
  return r && typeof r.bucket === "string" && typeof r.key === "string" && typeof r.eTag === "string" ? r : undefined;
}

/** The rollback uses the failed deployment's config unless its minimum leaves no room on fewer instances; then OneAtATime. */
export function rollbackConfigOf(config: unknown, instances: number): unknown {
  try {
    planFleet(resolveServerConfig(config), instances);
    return config ?? "CodeDeployDefault.OneAtATime";
  } catch (e) {
    if (e instanceof FleetError) return "CodeDeployDefault.OneAtATime";
    throw e;
  }
}

/**
 * CodeDeploy's rollback of an in-place deployment: a NEW deployment of the group's last successful revision to
 * the instances that got the new one, with the failed deployment's config; it watches no alarms and is not rolled
 * back itself (an alarm still firing would stop the rollback that is meant to heal it).
 */
export function rollbackInputOf(run: ServerRun, rollbackId: string, last: { deploymentId: string; revision: RecordedServerRevision }, instances: string[]): Record<string, unknown> {
  return {
    deploymentId: rollbackId,
    application: run.application,
    deploymentGroup: run.deploymentGroup,
    deploymentGroupId: run.deploymentGroupId,
    target: { instanceIds: instances },
    revision: last.revision,
    deploymentConfig: rollbackConfigOf(run.deploymentConfig, instances.length),
    pollSeconds: run.pollSeconds,
    ...(run.deploymentRoot ? { deploymentRoot: run.deploymentRoot } : {}),
    // Behind the same target groups: an instance left deregistered by the failure is registered again once healthy.
    ...(run.targetGroups?.length ? { targetGroups: run.targetGroups } : {}),
    ...(run.classicLoadBalancers?.length ? { classicLoadBalancers: run.classicLoadBalancers } : {}),
    autoRollback: { enabled: false },
    rollbackOf: run.deploymentId,
    description: `Rollback of ${run.deploymentId} to the revision of ${last.deploymentId}`,
  };
}

/** The execution ARN a state machine gives an execution of that name (Step Functions' ARN format). */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
}
