import { ErrorNames, ValidationErrors } from "../errors.js";
import type { Problem } from "../schema/fields.js";
import type { DeploymentGroup, EcsDeploymentGroup, Groups, ServerDeploymentGroup } from "./groups.js";
import { configOf, type GroupDeployment, watchFieldsOf } from "./request.js";
import type { TagFilter } from "./schema.js";

/**
 * Group deployments of ECS and Server groups (docs/groups.md): `{application, deploymentGroup, revision}` becomes the
 * deploy-ecs or deploy-server input (docs/ecs.md, docs/ec2.md), as `deployInputOf` makes the deploy-lambda one.
 * Each platform takes the revisions CodeDeploy takes for it: Lambda an appspec or a version, ECS an appspec (an S3
 * YAML/JSON file or inline), Server an archive in S3 (zip, tar, tgz).
 */

/** The state machine that runs a group's deployments. */
export const MACHINE_OF = { Lambda: "deploy-lambda", ECS: "deploy-ecs", Server: "deploy-server" } as const;

const refuse = (problems: Problem[]) => new ValidationErrors(problems, ErrorNames.InvalidRevision);

/**
 * What a group of another platform than the state machine's is refused with: the group names the machine to start
 * (`stepdeploy deploy --application ... --deployment-group ...` picks it from the group).
 */
export function platformMismatch(group: DeploymentGroup, machine: keyof typeof MACHINE_OF): ValidationErrors {
  return new ValidationErrors(
    [{ field: "deploymentGroup", reason: `${group.application}/${group.deploymentGroup} is ${group.computePlatform === "ECS" ? "an" : "a"} ${group.computePlatform} group: start the ${MACHINE_OF[group.computePlatform]} state machine, not ${MACHINE_OF[machine]}` }],
    ErrorNames.InvalidInput,
  );
}

/** The revision forms and deployment fields a platform does not take, each named with the reason. */
export function revisionProblems(group: DeploymentGroup, request: GroupDeployment): Problem[] {
  const r = request.revision;
  const out: Problem[] = [];
  if (group.computePlatform === "ECS") {
    // An AppSpec file in S3 (YAML/JSON, as CodeDeploy takes ECS revisions), or a zip/tar/tgz bundle holding appspec.yml
    // (read by the same hardened reader as Lambda bundles; the "file, bundle or inline"), or inline.
    if (r.targetVersion !== undefined) out.push({ field: "revision.targetVersion", reason: "is for Lambda groups; an ECS revision is an AppSpec: s3 {bundleType: YAML|JSON|zip|tar|tgz} or appSpecContent" });
  }
  if (group.computePlatform === "Server") {
    if (r.targetVersion !== undefined) out.push({ field: "revision.targetVersion", reason: "is for Lambda groups; a Server revision is an archive in S3 (zip, tar, tgz)" });
    if (r.appSpecContent !== undefined) out.push({ field: "revision.appSpecContent", reason: "is for Lambda and ECS groups; a Server revision is an archive in S3 holding appspec.yml and the files it installs" });
    if (r.s3 && !["zip", "tar", "tgz"].includes(r.s3.bundleType)) out.push({ field: "revision.s3.bundleType", reason: `is ${r.s3.bundleType}; a Server revision is an archive (zip, tar or tgz)` });
    for (const k of ["ignoreAlarmsFiringAtStart", "queue"] as const) {
      if (request[k] !== undefined && request[k] !== null) out.push({ field: k, reason: "is not taken by Server deployments: alarms are read before each batch, and a second deployment of the group is refused, as CodeDeploy's (docs/ec2.md)" });
    }
  }
  return out;
}

export function checkRevision(group: DeploymentGroup, request: GroupDeployment): void {
  const problems = [...revisionProblems(group, request), ...targetInstancesProblems(group, request)];
  if (problems.length) throw refuse(problems);
}

/** CreateDeployment's targetInstances is for EC2 blue/green only (CodeDeploy: InvalidTargetInstancesException, codedeploy-spec §10). */
export function targetInstancesProblems(group: DeploymentGroup, request: GroupDeployment): Problem[] {
  if (!request.targetInstances || (group.computePlatform === "Server" && group.blueGreen)) return [];
  return [{ field: "targetInstances", reason: "is for a BLUE_GREEN Server group (CodeDeploy: InvalidTargetInstancesException)" }];
}

/**
 * The full deploy-ecs input for `request` on an ECS group, given the revision's AppSpec text (from S3 or inline).
 * The AppSpec is passed as it is: deploy-ecs validates it (TaskDefinition, LoadBalancerInfo, Hooks replacing the
 * group's hook defaults event by event) and names what is wrong under `revision.appSpecContent`.
 */
export function ecsDeployInputOf(groups: Groups, group: EcsDeploymentGroup, request: GroupDeployment, appSpecText: string): Record<string, unknown> {
  checkRevision(group, request);
  return {
    ...(request.deploymentId ? { deploymentId: request.deploymentId } : {}),
    application: group.application,
    deploymentGroup: group.deploymentGroup,
    ecs: group.ecs,
    revision: { appSpecContent: appSpecText },
    deploymentConfig: configOf(groups, group, request),
    blueGreen: group.blueGreen,
    ...(Object.keys(group.hooks).length ? { hooks: group.hooks } : {}),
    ...watchFieldsOf(group, request),
  };
}

/** The Auto Scaling group tag EC2 puts on every instance it launches for a group (Auto Scaling User Guide, tagging). */
export const ASG_TAG = "aws:autoscaling:groupName";

/** Every way the group names its instances, as tag filters: an instance matching any of them is the group's. */
export function serverTagFilters(group: ServerDeploymentGroup): TagFilter[] {
  return [...group.ec2TagFilters, ...group.onPremisesInstanceTagFilters, ...group.autoScalingGroups.map((name) => ({ Key: ASG_TAG, Value: name, Type: "KEY_AND_VALUE" as const }))];
}

/**
 * The full deploy-server input for `request` on a Server group: the group's instances as tag filters, the S3 archive
 * (read pinned to its version and ETag when given; else deploy-server pins it to the ETag it reads), the group's id
 * as the agent's deployment-group id (it names the deployment root's folder on the instance, as CodeDeploy's agent does).
 */
export function serverDeployInputOf(groups: Groups, group: ServerDeploymentGroup, request: GroupDeployment, deploymentId: string): Record<string, unknown> {
  checkRevision(group, request);
  const s3 = request.revision.s3;
  if (!s3) throw refuse([{ field: "revision.s3", reason: "is required: a Server revision is an archive in S3 {bucket, key, bundleType: zip|tar|tgz}" }]);
  return {
    deploymentId,
    application: group.application,
    deploymentGroup: group.deploymentGroup,
    deploymentGroupId: group.id,
    ...serverTargets(groups, group, request),
    revision: { bucket: s3.bucket, key: s3.key, bundleType: s3.bundleType, ...(s3.version ? { version: s3.version } : {}), ...(s3.eTag ? { eTag: s3.eTag } : {}) },
    ...(group.targetGroups.length ? { targetGroups: group.targetGroups } : {}),
    ...(group.classicLoadBalancers.length ? { classicLoadBalancers: group.classicLoadBalancers } : {}),
    deploymentConfig: configOf(groups, group, request),
    ...(group.autoScalingGroups.length ? { outdatedInstancesStrategy: group.outdatedInstancesStrategy } : {}),
    ...(group.autoScalingGroups.length && group.terminationHookEnabled && !group.blueGreen ? { terminationHookEnabled: true } : {}),
    ...serverWatchFields(group, request),
  };
}

/**
 * Where the instances are: the group's tag filters and Auto Scaling groups; a BLUE_GREEN group's copy takes its
 * Auto Scaling group itself (COPY_AUTO_SCALING_GROUP), and DISCOVER_EXISTING the request's targetInstances as green.
 */
function serverTargets(groups: Groups, group: ServerDeploymentGroup, request: GroupDeployment): Record<string, unknown> {
  if (!group.blueGreen) return { target: { tagFilters: serverTagFilters(group) } };
  const copy = group.blueGreen.greenFleetProvisioningOption?.action === "COPY_AUTO_SCALING_GROUP";
  const target = copy ? { autoScalingGroups: group.autoScalingGroups } : { tagFilters: serverTagFilters(group) };
  return { target, blueGreen: { ...group.blueGreen, ...(request.targetInstances ? { targetInstances: request.targetInstances } : {}), ...serverTrafficRouting(groups, group) } };
}

/** A pair group's weighted reroute (docs/ec2.md#weighted): its production listener and steps (a custom config of the file as the config itself). */
function serverTrafficRouting(groups: Groups, group: ServerDeploymentGroup): Record<string, unknown> {
  const r = group.trafficRouting;
  if (!r) return {};
  const deploymentConfig = Object.hasOwn(groups.deploymentConfigs, r.configName) ? groups.deploymentConfigs[r.configName] : r.configName;
  const watch = { alarmMonitoring: group.alarmMonitoring, ...(group.alarmPollSeconds ? { alarmPollSeconds: group.alarmPollSeconds } : {}), ...(group.metricGates ? { metricGates: group.metricGates } : {}) };
  return { trafficRouting: { prodTrafficRoute: { listenerArn: r.listenerArn }, deploymentConfig, ...watch } };
}

/** The group's alarms and rollback, with CreateDeployment's overrides (the watch fields deploy-server takes). */
function serverWatchFields(group: ServerDeploymentGroup, request: GroupDeployment) {
  const { alarms, ignorePollAlarmFailure, autoRollback, description } = watchFieldsOf(group, request);
  return { alarms, ignorePollAlarmFailure, autoRollback, ...(description ? { description } : {}) };
}
