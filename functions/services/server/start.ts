import { loadAppSpec } from "../../domain/appspec/index.js";
import { greenGroupName, type ServerBlueGreen } from "../../domain/fleet/blue-green.js";
import { type FleetTarget, type ServerDeploymentInput, parseServerInput } from "../../domain/fleet/input.js";
import { orderForDeployment, planFleet } from "../../domain/fleet/index.js";
import { DEFAULT_DEPLOYMENT_ROOT, DEFAULT_KEEP_REVISIONS, serverRevision } from "../../domain/server-install/index.js";
import { ErrorNames, StepDeployError, ValidationError } from "../../domain/errors.js";
import { instanceCounts, type RecordedServerRevision, type ServerRun, serverEventDetail, serverLockKey } from "../../domain/fleet/run.js";
import type { DeploymentTargetGroup } from "../../domain/fleet/traffic.js";
import type { JsonMap } from "../../domain/registry/types.js";
import type { Deps } from "../../wiring.js";
import { ASG_TAG } from "../../domain/groups/platforms.js";
import { expandServerGroupDeployment } from "../group-deployment.js";
import { recordCreated } from "../start.js";
import { resolveClassicLoadBalancers } from "./classic.js";
import { routeView, startWeighted } from "./weighted.js";
import { leaveOutLaunching, putLaunchHooks } from "./launch.js";
import type { DeploymentContext, FleetState } from "./state.js";

export type StartServerDeps = Pick<Deps, "bundles" | "runCommand" | "loadBalancer" | "classicLoadBalancer" | "registry" | "log"> & Partial<Pick<Deps, "config" | "autoScaling" | "instances" | "clock">>;

export interface ServerStartEvent {
  input: unknown;
  executionArn: string;
}

/**
 * Checks a server deployment before anything runs: the input, the revision (fetched pinned and inspected by
 * domain/bundles, its appspec validated as a server one), the fleet (SSM managed nodes by tag and id) and the
 * config against it (planFleet: NO_INSTANCES, OVER_MAX_INSTANCES, HEALTH_CONSTRAINTS_INVALID). Targeted instances
 * SSM cannot reach count as failed from the start, as CodeDeploy counts an instance whose agent does not answer.
 */
export async function startServerDeployment(deps: StartServerDeps, event: ServerStartEvent): Promise<{ deployment: DeploymentContext; fleet: FleetState; run: ServerRun }> {
  // A Server group plus an S3 archive (docs/groups.md) becomes the full input first; the full input passes as it is.
  const raw = event.input;
  const input = parseServerInput(deps.config ? expandServerGroupDeployment({ config: deps.config }, raw) : raw);
  const log = deps.log(input.deploymentId);
  const lockKey = await takeGroupLock(deps, input, event.executionArn);
  // Launches from now on wait in Pending:Wait for their launch deployment (services/server/launch.ts).
  if (!input.blueGreen) await putLaunchHooks(deps, input.deploymentId, input.deploymentGroupId, autoScalingOf(input).autoScalingGroups ?? [], input.terminationHookEnabled);
  const inspection: { appSpec: { text: string }; eTag?: string } = await deps.bundles.inspect({ ...input.revision });
  // Pinned to what was read: every instance downloads exactly this object (If-Match on the ETag).
  const eTag = input.revision.eTag ?? inspection.eTag;
  if (!eTag) throw new ValidationError("revision.eTag", "is required: the bundle store returned no ETag to pin the revision to");
  const revision = serverRevision(loadAppSpec(inspection.appSpec.text, { platform: "server", rejectPlaceholders: true }));
  // Target groups and Classic Load Balancers (a group's elbInfoList) alike: the batch's traffic targets (services/server/classic.ts).
  const resolved = await resolveTargetGroups(deps, input.targetGroups);
  const targetGroups = [...resolved.map(({ loadBalancerArns: _, ...t }) => t), ...(await resolveClassicLoadBalancers(deps, input.classicLoadBalancers))];
  // The weighted reroute's route and pair are checked before anything is created (a copied Auto Scaling group below).
  const weighted = input.blueGreen ? await startWeighted(deps, input, resolved, event.executionArn) : undefined;
  const found = await discover(deps, input.target);
  const original = input.blueGreen ? found : await leaveOutLaunching(deps, input.deploymentId, autoScalingOf(input).autoScalingGroups ?? [], found);
  const bg = input.blueGreen ? await blueGreenFleets(deps, input, original) : undefined;
  const { reachable, unreachable } = bg?.green ?? original;
  if (targetGroups.length) refuseOnPremisesTargets([...reachable, ...unreachable.map((u) => u.instanceId), ...(bg?.run.original ?? [])], targetGroups);
  const plan = planFleet(input.config, bg?.copies ?? reachable.length + unreachable.length);
  log.info("server deployment planned", { instances: plan.instances, minHealthy: plan.minHealthy, batches: plan.batches.length, unreachable: unreachable.length });
  const deployment: DeploymentContext = {
    deploymentId: input.deploymentId,
    applicationName: input.application,
    deploymentGroupName: input.deploymentGroup,
    deploymentGroupId: input.deploymentGroupId,
    bundle: { bucket: input.revision.bucket, key: input.revision.key, etag: eTag, bundleType: input.revision.bundleType, ...(input.revision.version ? { version: input.revision.version } : {}) },
    revision,
    deploymentRoot: input.deploymentRoot ?? DEFAULT_DEPLOYMENT_ROOT[revision.os],
    keepRevisions: DEFAULT_KEEP_REVISIONS,
    pollSeconds: input.pollSeconds,
    targetGroups,
    ...(weighted ? { weighted: { ...weighted.deployment.target, revision: weighted.start } } : {}),
  };
  const phase = input.termination ? "terminate" : !bg ? "inPlace" : bg.copies !== undefined ? "provision" : "install";
  const revisionKey = `s3://${input.revision.bucket}/${input.revision.key}#${eTag}`;
  const ordered = bg ? { instances: reachable, unhealthy: 0 } : await orderByHealth(deps, input, reachable, revisionKey);
  if (ordered.unhealthy) log.info("unhealthy instances first", { unhealthy: ordered.unhealthy, order: ordered.instances.slice(0, 10) });
  const fleet: FleetState = { config: plan.config, total: plan.instances, minHealthy: plan.minHealthy, ...ordered, cursor: 0, succeeded: 0, failed: unreachable.length, batches: 0, unreachable, phase, startedAtMs: deps.clock?.nowMs() ?? 0 };
  const recorded: RecordedServerRevision = { bucket: input.revision.bucket, key: input.revision.key, bundleType: input.revision.bundleType, eTag, ...(input.revision.version ? { version: input.revision.version } : {}) };
  const instances = instanceCounts(fleet);
  // Blue/green: what the janitor needs to put traffic back on the originals if the execution dies (services/server/janitor.ts).
  // In place: where the deployment put its instances' traffic, what a termination deployment later blocks (services/server/termination.ts).
  const trafficView = bg ? {} : { ...(input.targetGroups.length ? { targetGroups: input.targetGroups } : {}), ...(input.classicLoadBalancers.length ? { classicLoadBalancers: input.classicLoadBalancers } : {}) };
  const janitorView: Record<string, JsonMap> = bg ? { blueGreen: { original: bg.run.original, green: bg.green ? [...bg.green.reachable, ...bg.green.unreachable.map((u) => u.instanceId)] : [], targetGroups: input.targetGroups, ...(input.classicLoadBalancers.length ? { classicLoadBalancers: input.classicLoadBalancers } : {}), ...(bg.run.greenGroup ? { greenGroup: bg.run.greenGroup } : {}), ...(weighted ? { route: routeView(weighted) } : {}) } } : {};
  await deps.registry.markInProgress(input.deploymentId, event.executionArn, { deploymentConfigName: plan.config, target: { deploymentGroupId: input.deploymentGroupId, revision: { ...recorded }, instances: instances.total, ...trafficView, ...janitorView } });
  await deps.registry.recordProgress(input.deploymentId, { weight: 0, step: 0, instances });
  const run: ServerRun = {
    deploymentId: input.deploymentId,
    application: input.application,
    deploymentGroup: input.deploymentGroup,
    deploymentGroupId: input.deploymentGroupId,
    lockKey,
    alarms: input.alarms,
    ignorePollAlarmFailure: input.ignorePollAlarmFailure,
    autoRollback: input.autoRollback,
    deploymentConfig: input.deploymentConfig ?? plan.config,
    pollSeconds: input.pollSeconds,
    ...(input.deploymentRoot ? { deploymentRoot: input.deploymentRoot } : {}),
    ...(input.targetGroups.length ? { targetGroups: input.targetGroups } : {}),
    ...(input.classicLoadBalancers.length ? { classicLoadBalancers: input.classicLoadBalancers } : {}),
    ...(input.rollbackOf ? { rollbackOf: input.rollbackOf } : {}),
    ...(bg ? { blueGreen: { ...bg.run, ...(weighted ? { weighted } : {}) } } : {}),
    ...autoScalingOf(input),
    revisionKey,
    ...serverEventDetail(input, { executionArn: event.executionArn, config: plan.config, revision: recorded, instances }),
  };
  return { deployment, fleet, run };
}

/**
 * Records the deployment (Created) and takes its group's lock: one deployment per group at a time, a second one
 * fails fast with Deploy.ConflictingDeployment naming the holder (CodeDeploy refuses it too). A rollback deployment
 * finds the lock already its own: the failed deployment handed it over when it finished. A retried Start finds
 * its own record and lock.
 */
async function takeGroupLock(deps: StartServerDeps, input: ServerDeploymentInput, executionArn: string): Promise<string> {
  const lockKey = serverLockKey(input.application, input.deploymentGroup, input.launch ?? input.termination);
  const config = input.config.config;
  const target = { deploymentGroupId: input.deploymentGroupId, revision: { bucket: input.revision.bucket, key: input.revision.key } };
  const created = { deploymentId: input.deploymentId, lockKey, config, platform: "Server" as const, target, input: { application: input.application, deploymentGroup: input.deploymentGroup, queue: false, ...(input.description ? { description: input.description } : {}) } };
  await recordCreated(deps, created, executionArn);
  const request = { lockKey, application: input.application, deploymentGroup: input.deploymentGroup, deploymentId: input.deploymentId, executionArn };
  // Taking a lock already ours succeeds (the conditional write admits its holder): a rollback handed the lock, a retried Start.
  await deps.registry.acquireLock(request);
  return lockKey;
}

/** The run's Auto Scaling fields: the target's groups (named, or a group's aws:autoscaling:groupName filter) and the strategy for launches meanwhile. */
function autoScalingOf(input: ServerDeploymentInput): Pick<ServerRun, "autoScalingGroups" | "outdatedInstancesStrategy" | "launch" | "autoUpdateOf" | "termination" | "lifecycleAction"> {
  const named = [...(input.target.autoScalingGroups ?? []), ...(input.target.tagFilters ?? []).flatMap((f) => (f.Key === ASG_TAG && f.Type === "KEY_AND_VALUE" && f.Value ? [f.Value] : []))];
  const groups = [...new Set(named)];
  const hook = input.launch?.lifecycleHook ?? input.termination?.lifecycleHook;
  const held = hook ? { autoScalingGroup: (input.launch ?? input.termination)?.autoScalingGroup ?? "", lifecycleHook: hook } : undefined;
  return {
    ...(groups.length ? { autoScalingGroups: groups, outdatedInstancesStrategy: input.outdatedInstancesStrategy } : {}),
    ...(input.launch ? { launch: input.launch } : {}),
    ...(input.termination ? { termination: input.termination } : {}),
    ...(held ? { lifecycleAction: { autoScalingGroup: held.autoScalingGroup, ...held.lifecycleHook, onFailure: input.termination ? "CONTINUE" : "ABANDON" } } : {}),
    ...(input.autoUpdateOf ? { autoUpdateOf: input.autoUpdateOf } : {}),
  };
}

/**
 * CodeDeploy's deployment order from what the group's deployments left on each instance (registry instance health,
 * codedeploy-spec §2.4): Unhealthy (its last attempt failed) first, then Unknown revision (never deployed by the group, or
 * its install failed), Old, Current. An instance the group never deployed counts as healthy: the minimum is about
 * instances that serve, and a new group's instances do.
 */
async function orderByHealth(deps: Pick<StartServerDeps, "registry">, input: ServerDeploymentInput, reachable: string[], revisionKey: string): Promise<{ instances: string[]; unhealthy: number }> {
  const known = await deps.registry.instanceHealth({ application: input.application, deploymentGroup: input.deploymentGroup });
  const fleet = reachable.map((id) => {
    const r = known.get(id);
    return { id, health: r?.health ?? "Healthy", revision: !r?.revision ? "Unknown" : r.revision === revisionKey ? "Current" : "Old" } as const;
  });
  const ordered = orderForDeployment(fleet);
  return { instances: ordered.map((i) => i.id), unhealthy: ordered.filter((i) => i.health === "Unhealthy").length };
}

type Discovered = { reachable: string[]; unreachable: FleetState["unreachable"] };

/**
 * Tagged nodes plus listed ids; a listed id SSM does not know, a node whose agent is offline, or an EC2 instance that
 * is not running (pending, shutting-down, stopped: DescribeInstances) is unreachable: no deployment starts on it.
 */
export async function discover(deps: Pick<StartServerDeps, "runCommand" | "instances">, target: FleetTarget): Promise<Discovered> {
  const found = new Map((target.tags ? await deps.runCommand.findNodes({ tags: target.tags }) : []).map((n) => [n.id, n]));
  // CodeDeploy's tag filters: a node matching any of them is the group's; an Auto Scaling group's instances carry its name.
  for (const f of target.tagFilters ?? []) {
    for (const n of await deps.runCommand.findNodes(f.Type === "KEY_ONLY" ? { tagKeys: [f.Key] } : { tags: { [f.Key]: [f.Value ?? ""] } })) found.set(n.id, n);
  }
  for (const name of target.autoScalingGroups ?? []) for (const n of await deps.runCommand.findNodes({ tags: { "aws:autoscaling:groupName": [name] } })) found.set(n.id, n);
  if (target.instanceIds) for (const n of await deps.runCommand.findNodes({ instanceIds: target.instanceIds })) found.set(n.id, n);
  const unreachable: FleetState["unreachable"] = [];
  for (const id of target.instanceIds ?? []) if (!found.has(id)) unreachable.push({ instanceId: id, reason: "not an SSM managed node (no agent, or not registered)" });
  const reachable: string[] = [];
  for (const n of [...found.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    if (n.online) reachable.push(n.id);
    else unreachable.push({ instanceId: n.id, reason: "the SSM agent does not answer (PingStatus not Online)" });
  }
  const ec2 = reachable.filter((id) => id.startsWith("i-"));
  const notRunning = new Map((ec2.length && deps.instances ? await deps.instances.findInstances({ instanceIds: ec2 }) : []).filter((i) => i.state !== "running").map((i) => [i.id, i.state]));
  for (const [id, state] of notRunning) unreachable.push({ instanceId: id, reason: `its EC2 state is ${state}, not running` });
  return { reachable: reachable.filter((id) => !notRunning.has(id)), unreachable };
}

/**
 * The two fleets of a blue/green deployment. DISCOVER_EXISTING: the replacement instances are `targetInstances`, and
 * none of them may be one of the originals. COPY_AUTO_SCALING_GROUP: the original group's copy is created now with as
 * many instances as the original has InService (CodeDeploy: "the number of currently healthy instances"); its
 * instances are found once they are InService (NextBatch, phase `provision`). A retried Start finds its copy there.
 */
async function blueGreenFleets(deps: StartServerDeps, input: ServerDeploymentInput, original: Discovered): Promise<{ green?: Discovered; copies?: number; run: ServerBlueGreen }> {
  const { targetInstances, ...options } = input.blueGreen as NonNullable<ServerDeploymentInput["blueGreen"]>;
  const originalIds = [...original.reachable, ...original.unreachable.map((u) => u.instanceId)].sort();
  if (options.provisioning === "DISCOVER_EXISTING") {
    const green = await discover(deps, targetInstances ?? {});
    const shared = [...green.reachable, ...green.unreachable.map((u) => u.instanceId)].filter((id) => originalIds.includes(id));
    if (shared.length) throw new ValidationError("blueGreen.targetInstances", `finds ${shared.length} of the original instances (${shared.slice(0, 10).join(", ")}): the replacement fleet must be other instances`);
    return { green, run: { ...options, original: originalIds } };
  }
  const [originalGroup] = input.target.autoScalingGroups ?? [];
  const group = originalGroup ? await deps.autoScaling?.describeGroup(originalGroup) : undefined;
  if (!group || !originalGroup) throw new StepDeployError(ErrorNames.ResourceNotFound, `Auto Scaling group ${originalGroup} not found (COPY_AUTO_SCALING_GROUP copies it)`);
  if (!group.launchTemplate) throw new StepDeployError(ErrorNames.UnsupportedTrafficConfig, `Auto Scaling group ${originalGroup} has no launch template: stepdeploy copies groups launched from a launch template`);
  const copies = group.instances.filter((i) => i.lifecycleState === "InService").length;
  // The config must fit the copy before it is created (NO_INSTANCES, HEALTH_CONSTRAINTS_INVALID leave nothing behind).
  planFleet(input.config, copies);
  const greenGroup = greenGroupName(input.deploymentGroup, input.deploymentId);
  if (!(await deps.autoScaling?.describeGroup(greenGroup))) {
    await deps.autoScaling?.createGroup({ name: greenGroup, launchTemplate: group.launchTemplate, minSize: Math.min(group.minSize, copies), maxSize: Math.max(group.maxSize, copies), desiredCapacity: copies, tags: group.tags });
  }
  return { copies, run: { ...options, original: originalIds, originalGroup, greenGroup } };
}

/**
 * ELBv2 `instance` targets are EC2 instance ids: RegisterTargets refuses an on-premises `mi-` node (InvalidTarget),
 * so a fleet behind target groups with such nodes is refused before anything is touched, naming them (at most 10).
 */
function refuseOnPremisesTargets(ids: string[], targetGroups: DeploymentTargetGroup[]): void {
  const onPremises = ids.filter((id) => id.startsWith("mi-")).sort();
  if (onPremises.length === 0) return;
  const named = onPremises.slice(0, 10).join(", ") + (onPremises.length > 10 ? ` and ${onPremises.length - 10} more` : "");
  throw new StepDeployError(
    ErrorNames.UnsupportedTrafficConfig,
    `ELASTIC_LOAD_BALANCING_INVALID: on-premises nodes cannot be targets of ${targetGroups.map((t) => t.name).join(", ")} (load balancers take EC2 instance ids: RegisterTargets refuses others with InvalidTarget, RegisterInstancesWithLoadBalancer with InvalidInstance): ${named}`,
  );
}

/**
 * The deployment group's target groups, by name or ARN (DescribeTargetGroups), before any instance is touched: an
 * unknown one is `Deploy.ResourceNotFound`; one whose targets are not EC2 instances (`ip`, `lambda`, `alb`) cannot
 * take the fleet's instances and is `Deploy.UnsupportedTrafficConfig` (CodeDeploy's ELASTIC_LOAD_BALANCING_INVALID).
 * Each group's deregistration delay and time to healthy time the traffic waits (domain/fleet/traffic trafficWait).
 */
async function resolveTargetGroups(deps: StartServerDeps, refs: string[]): Promise<(DeploymentTargetGroup & { loadBalancerArns: string[] })[]> {
  if (refs.length === 0) return [];
  const found = await deps.loadBalancer.describeTargetGroups(refs);
  const wrong = found.filter((t) => t.targetType !== "instance");
  if (wrong.length) {
    throw new StepDeployError(ErrorNames.UnsupportedTrafficConfig, `ELASTIC_LOAD_BALANCING_INVALID: target group ${wrong.map((t) => `${t.name} has target type ${t.targetType}`).join(", ")}; an EC2/on-premises deployment registers instances, so its target groups need target type instance`);
  }
  const out: (DeploymentTargetGroup & { loadBalancerArns: string[] })[] = [];
  for (const t of found) out.push({ arn: t.arn, name: t.name, drainSeconds: await deps.loadBalancer.deregistrationDelay(t.arn), healthySeconds: t.healthCheck.intervalSeconds * t.healthCheck.healthyThresholdCount, loadBalancerArns: t.loadBalancerArns ?? [] });
  return out;
}
