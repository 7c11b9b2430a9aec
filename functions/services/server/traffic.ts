import { ErrorNames, StepDeployError } from "../../domain/errors.js";
import { type DeploymentTargetGroup, judgeTraffic, type TrafficEvent, trafficWait } from "../../domain/fleet/traffic.js";
import type { Deps } from "../../wiring.js";
import type { DeploymentContext, InstanceOutcome } from "./state.js";
import { joinGreenAtZero, trafficGroupsFor } from "./weighted.js";

export type TrafficDeps = Pick<Deps, "loadBalancer" | "classicLoadBalancer" | "log"> & { clock: Pick<Deps["clock"], "nowMs"> };

/** Where a batch's BlockTraffic or AllowTraffic stands (the batch execution's `$.traffic`). */
export interface TrafficStep {
  event: TrafficEvent;
  /** The batch's instances still succeeding, in batch order: in the event, then on to the next command. */
  instances: string[];
  /** How many: 0 ends the batch (every instance failed). */
  left: number;
  /** Instances of the batch that failed so far (a command segment or a traffic event). */
  failed: InstanceOutcome[];
  startedAtMs: number;
  /** Every instance left is through the event. */
  done: boolean;
  /** The segment the instances left get next (the one after the command the traffic event follows; phaseSegments). */
  nextSegment: number;
  /** Seconds until the next look at the target groups (trafficWait). */
  waitSeconds: number;
}

/**
 * Starts BlockTraffic (DeregisterTargets) or AllowTraffic (RegisterTargets) for the instances whose last command
 * succeeded, in every target group of the deployment. The others failed and stay out: an instance that failed before
 * AllowTraffic is never registered again, as CodeDeploy leaves it (codedeploy-spec §3.1: AllowTraffic comes after
 * ValidateService and runs only on instances whose earlier events succeeded).
 */
export async function beginTraffic(deps: TrafficDeps, deployment: DeploymentContext, event: TrafficEvent, outcomes: InstanceOutcome[], segment?: number): Promise<TrafficStep> {
  const instances = outcomes.filter((o) => o.status === "Succeeded").map((o) => o.instanceId);
  const failed = outcomes.filter((o) => o.status === "Failed");
  const groups = trafficGroupsFor(deployment, event);
  if (instances.length) await joinGreenAtZero(deps, deployment, event);
  for (const tg of instances.length ? groups : []) {
    if (event === "BlockTraffic") await deregisterFrom(deps, tg, instances);
    else if (tg.classic) await deps.classicLoadBalancer.registerInstances(tg.name, instances);
    else await deps.loadBalancer.registerInstances(tg.arn, instances);
  }
  deps.log(deployment.deploymentId).info(`${event} started`, { instances: instances.length, targetGroups: groups.map((t) => t.name) });
  const waitSeconds = trafficWait(event, groups, { first: true, elapsedSeconds: 0, pollSeconds: deployment.pollSeconds });
  return { event, instances, left: instances.length, failed, startedAtMs: deps.clock.nowMs(), done: instances.length === 0, nextSegment: (segment ?? (event === "BlockTraffic" ? 0 : 1)) + 1, waitSeconds };
}

/**
 * Reads every target group's health (DescribeTargetHealth) and decides (domain/fleet/traffic judgeTraffic): done once
 * no instance is draining (BlockTraffic) or every one is healthy everywhere (AllowTraffic). At the timeout the
 * instances not through fail the event; one that failed AllowTraffic is deregistered again, so a failed instance is
 * never left in a target group (a load balancer whose targets are all unhealthy fails open onto them).
 */
export async function checkTraffic(deps: TrafficDeps, deployment: DeploymentContext, step: TrafficStep): Promise<TrafficStep> {
  const targetGroups = trafficGroupsFor(deployment, step.event);
  const readings = [];
  for (const tg of targetGroups) readings.push({ targetGroup: tg, targets: tg.classic ? await deps.classicLoadBalancer.instanceHealth(tg.name) : await deps.loadBalancer.targetHealth(tg.arn) });
  const elapsedSeconds = (deps.clock.nowMs() - step.startedAtMs) / 1000;
  const verdict = judgeTraffic(step.event, step.instances, readings, elapsedSeconds);
  const failedIds = new Set(verdict.failed.map((f) => f.instanceId));
  if (step.event === "AllowTraffic" && failedIds.size) for (const tg of targetGroups) await deregisterFrom(deps, tg, [...failedIds]);
  const instances = step.instances.filter((id) => !failedIds.has(id));
  const failed = [...step.failed, ...verdict.failed.map((f): InstanceOutcome => ({ instanceId: f.instanceId, status: "Failed", event: step.event, errorCode: "UnknownError", message: f.message }))];
  if (failedIds.size) deps.log(deployment.deploymentId).warn(`${step.event} failed`, { instances: [...failedIds] });
  const waitSeconds = trafficWait(step.event, targetGroups, { first: false, elapsedSeconds, pollSeconds: deployment.pollSeconds });
  return { ...step, instances, left: instances.length, failed, done: verdict.waiting.length === 0, waitSeconds };
}

/**
 * DeregisterTargets of a target group, or DeregisterInstancesFromLoadBalancer of a Classic Load Balancer (`classic`);
 * also the blue/green rollback's "deregistered anyway" (services/server/blue-green.ts), whose deps may lack Classic access.
 */
export function deregisterFrom(deps: Pick<Deps, "loadBalancer"> & Partial<Pick<Deps, "classicLoadBalancer">>, tg: DeploymentTargetGroup, instances: string[]): Promise<void> {
  if (!tg.classic) return deps.loadBalancer.deregisterInstances(tg.arn, instances);
  if (!deps.classicLoadBalancer) throw new StepDeployError(ErrorNames.RollbackFailed, `Classic Load Balancer ${tg.name} to deregister from, but no Classic Load Balancer access here`);
  return deps.classicLoadBalancer.deregisterInstances(tg.name, instances);
}
