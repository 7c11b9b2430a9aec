import { ErrorNames, StepDeployError } from "../../domain/errors.js";
import type { ServerRun } from "../../domain/fleet/run.js";
import type { ServerBlueGreen } from "../../domain/fleet/blue-green.js";
import type { Deps } from "../../wiring.js";
import { openPhaseWait } from "../waits.js";
import { restoreWeighted } from "./weighted.js";
import { type NextBatch, nextServerBatch } from "./batches.js";
import type { BatchResult, FleetState } from "./state.js";

export type BlueGreenDeps = Pick<Deps, "runCommand" | "autoScaling" | "instances" | "log"> & { clock: Pick<Deps["clock"], "nowMs"> };

/** How long a copied Auto Scaling group's instances may take to be InService and SSM managed nodes (ours: CodeDeploy's hour for a lifecycle event). */
export const PROVISION_TIMEOUT_SECONDS = 3600;

type Step = { fleet: FleetState; next: NextBatch };

/**
 * NextBatch of a blue/green deployment (codedeploy-spec §3.3, UG/welcome's sequence), one phase after another:
 *  - `provision` (COPY_AUTO_SCALING_GROUP): the copy's instances, once InService and online in SSM, are the green fleet;
 *  - `install`: CodeDeploy's batches on the green fleet (the deployment config's minimum healthy hosts), as in place;
 *  - then the ready wait (STOP_DEPLOYMENT) and `allow`: the installed green instances, all at once, get
 *    BeforeAllowTraffic | AllowTraffic (registered, healthy) | AfterAllowTraffic; fewer than max(minimum, 1) through
 *    fails the deployment (HEALTH_CONSTRAINTS);
 *  - `block`: the original instances, all at once, BeforeBlockTraffic | BlockTraffic (deregistered, drained) |
 *    AfterBlockTraffic; any of them failing fails the deployment (Deploy.BlockTrafficFailed): it may still serve;
 *  - the termination wait, then `retire`: TERMINATE terminates the originals (DISCOVER_EXISTING) or deletes the original
 *    group (COPY_AUTO_SCALING_GROUP); KEEP_ALIVE leaves them running, out of the target groups.
 * `fleet` arrives with the last install batch counted (foldBatch).
 */
export async function advanceBlueGreen(deps: BlueGreenDeps, deploymentId: string, bg: ServerBlueGreen, fleet: FleetState, last?: BatchResult): Promise<Step> {
  if (fleet.phase === "provision") {
    const green = await provisioned(deps, bg, fleet);
    if (green === "waiting") return { fleet, next: { action: "poll" } };
    if (green === "late") return { fleet, next: { action: "fail", error: ErrorNames.ReplacementUnhealthy, cause: `the ${fleet.total} instances of ${bg.greenGroup} (a copy of ${bg.originalGroup}) were not InService and online in SSM within ${PROVISION_TIMEOUT_SECONDS} seconds` } };
    deps.log(deploymentId).info("green fleet provisioned", { group: bg.greenGroup, instances: green.length });
    return advanceBlueGreen(deps, deploymentId, bg, { ...fleet, phase: "install", instances: green }, last);
  }
  if (fleet.phase === "install") {
    const step = nextServerBatch(fleet);
    if (step.next.action !== "succeed") return step;
    const ready = { ...step.fleet, phase: "allow" as const, cursor: 0 };
    return bg.readyWaitSeconds > 0 ? { fleet: ready, next: { action: "ready" } } : allowGreen(ready);
  }
  if (fleet.phase === "allow") {
    if (fleet.cursor === 0) return allowGreen(fleet);
    const failed = (last?.outcomes ?? []).filter((o) => o.status === "Failed").length;
    const counted = { ...fleet, succeeded: fleet.succeeded - failed, failed: fleet.failed + failed };
    const needed = Math.max(fleet.minHealthy, 1);
    if (counted.succeeded < needed) {
      return { fleet: counted, next: { action: "fail", error: ErrorNames.HealthConstraints, cause: `HEALTH_CONSTRAINTS: ${counted.succeeded} replacement instance(s) passed AllowTraffic, ${needed} needed` } };
    }
    // Weighted (docs/ec2.md#weighted): green serves from its own target group as the listener's steps move traffic to it.
    if (bg.weighted) return { fleet: { ...counted, phase: "shift" }, next: { action: "shift" } };
    return blockOriginals(deps, deploymentId, bg, counted);
  }
  // The listener's steps ended at 100% on green (ShiftTraffic's loop): the originals leave the blue group.
  if (fleet.phase === "shift") return blockOriginals(deps, deploymentId, bg, fleet);
  if (fleet.phase === "block") {
    const failed = (last?.outcomes ?? []).filter((o) => o.status === "Failed");
    if (failed.length) {
      const named = failed.map((o) => `${o.instanceId} (${o.event ?? "?"}: ${o.message ?? o.errorCode ?? "failed"})`).slice(0, 5);
      return { fleet, next: { action: "fail", error: ErrorNames.BlockTrafficFailed, cause: `${failed.length} original instance(s) failed to leave the target groups: ${named.join("; ")}` } };
    }
    if (bg.terminationWaitSeconds === null) return { fleet, next: { action: "succeed" } };
    if (bg.terminationWaitSeconds > 0) return { fleet: { ...fleet, phase: "retire" }, next: { action: "terminationWait" } };
  }
  await retireOriginals(deps, deploymentId, bg);
  return { fleet: { ...fleet, phase: "retire" }, next: { action: "succeed" } };
}

/** BlockTraffic for the original instances, as one batch child; none (nothing served before): nothing to block. */
function blockOriginals(deps: BlueGreenDeps, deploymentId: string, bg: ServerBlueGreen, fleet: FleetState): Promise<Step> | Step {
  if (bg.original.length === 0) return advanceBlueGreen(deps, deploymentId, bg, { ...fleet, phase: "block" });
  return { fleet: { ...fleet, phase: "block", batches: fleet.batches + 1 }, next: { action: "deploy", batch: bg.original, batchNumber: fleet.batches + 1, phase: "block" } };
}

/** AllowTraffic for every green instance whose install succeeded, as one batch child. */
function allowGreen(fleet: FleetState): Step {
  const batch = fleet.installed ?? [];
  return { fleet: { ...fleet, phase: "allow", cursor: batch.length, batches: fleet.batches + 1 }, next: { action: "deploy", batch, batchNumber: fleet.batches + 1, phase: "allow" } };
}

/** The copied group's instances once every one is InService and an online SSM managed node; "late" after the timeout. */
async function provisioned(deps: BlueGreenDeps, bg: ServerBlueGreen, fleet: FleetState): Promise<string[] | "waiting" | "late"> {
  const group = await deps.autoScaling.describeGroup(bg.greenGroup ?? "");
  const inService = new Set((group?.instances ?? []).filter((i) => i.lifecycleState === "InService").map((i) => i.id));
  const online = (await deps.runCommand.findNodes({ tags: { "aws:autoscaling:groupName": [bg.greenGroup ?? ""] } })).filter((n) => n.online && inService.has(n.id));
  if (online.length >= fleet.total) return online.map((n) => n.id).sort().slice(0, fleet.total);
  return deps.clock.nowMs() - fleet.startedAtMs > PROVISION_TIMEOUT_SECONDS * 1000 ? "late" : "waiting";
}

/** TERMINATE: the original instances (DISCOVER_EXISTING) or the original Auto Scaling group with its instances (COPY_AUTO_SCALING_GROUP). */
async function retireOriginals(deps: BlueGreenDeps, deploymentId: string, bg: ServerBlueGreen): Promise<void> {
  if (bg.originalGroup) await deps.autoScaling.deleteGroup(bg.originalGroup);
  else if (bg.original.length) await deps.instances.terminate(bg.original);
  deps.log(deploymentId).info("original fleet retired", bg.originalGroup ? { group: bg.originalGroup } : { instances: bg.original.length });
}

/**
 * CodeDeploy's blue/green rollback (codedeploy-spec §5.3: traffic allowed back on the originals, blocked on the
 * replacements): when traffic had started to move (phase allow or later), the original instances are registered
 * again and the green ones deregistered, in every target group; a copied group is deleted with its instances. Before
 * the reroute the originals never left the target groups, so only the copy goes. DISCOVER_EXISTING green instances
 * are not terminated: the deployment did not create them.
 */
export async function rollBackBlueGreen(deps: Pick<Deps, "loadBalancer" | "autoScaling" | "log"> & Partial<Pick<Deps, "classicLoadBalancer">>, deploymentId: string, bg: ServerBlueGreen, fleet: FleetState, targetGroups: string[], classicLoadBalancers: string[] = []): Promise<string> {
  const rerouted = (fleet.phase === "allow" && fleet.cursor > 0) || fleet.phase === "shift" || fleet.phase === "block" || fleet.phase === "retire";
  const green = fleet.installed ?? fleet.instances;
  if (rerouted && bg.weighted) {
    // Weighted: the originals back in blue (they left it only at BlockTraffic), the listener back to 100% blue, then green out of its group.
    const { blue, green: greenGroup } = bg.weighted.deployment.target;
    if (bg.original.length) await deps.loadBalancer.registerInstances(blue, bg.original);
    const route = await restoreWeighted(deps, bg.weighted);
    if (green.length) await deps.loadBalancer.deregisterInstances(greenGroup, green);
    if (bg.greenGroup) await deps.autoScaling.deleteGroup(bg.greenGroup);
    deps.log(deploymentId).warn("blue/green rolled back", { rerouted, route, greenGroup: bg.greenGroup });
    return `rolled back: ${route}; the ${bg.original.length} original instance(s) in the blue target group, the ${green.length} replacement instance(s) deregistered${bg.greenGroup ? `; the replacement group ${bg.greenGroup} deleted` : ""}`;
  }
  if (rerouted) {
    const groups = await deps.loadBalancer.describeTargetGroups(targetGroups);
    for (const tg of groups) if (bg.original.length) await deps.loadBalancer.registerInstances(tg.arn, bg.original);
    for (const tg of groups) if (green.length) await deps.loadBalancer.deregisterInstances(tg.arn, green);
    await swapClassic(deps, classicLoadBalancers, { register: bg.original, deregister: green });
  }
  if (bg.greenGroup) await deps.autoScaling.deleteGroup(bg.greenGroup);
  const parts = [rerouted ? `the ${bg.original.length} original instance(s) registered again and the ${green.length} replacement instance(s) deregistered` : "the original instances kept serving", bg.greenGroup ? `the replacement group ${bg.greenGroup} deleted` : "the replacement instances left running"];
  deps.log(deploymentId).warn("blue/green rolled back", { rerouted, greenGroup: bg.greenGroup });
  return `rolled back: ${parts.join("; ")}`;
}

/**
 * Blue/green behind Classic Load Balancers (elbInfoList): `register` go in, then `deregister` leave, on each one
 * (RegisterInstancesWithLoadBalancer, DeregisterInstancesFromLoadBalancer of those it lists: both safe to repeat).
 */
export async function swapClassic(deps: Partial<Pick<Deps, "classicLoadBalancer">>, names: string[], ids: { register: string[]; deregister: string[] }): Promise<void> {
  if (!names.length) return;
  if (!deps.classicLoadBalancer) throw new StepDeployError(ErrorNames.RollbackFailed, `Classic Load Balancers ${names.join(", ")} to restore, but no Classic Load Balancer access here`);
  for (const name of names) if (ids.register.length) await deps.classicLoadBalancer.registerInstances(name, ids.register);
  for (const name of names) if (ids.deregister.length) await deps.classicLoadBalancer.deregisterInstances(name, ids.deregister);
}

/**
 * The ready wait (STOP_DEPLOYMENT) or the termination wait on its task's token, as the ECS deployments open theirs: the
 * token is stored with a watch per alarm, so `stepdeploy continue` (CodeDeploy's ContinueDeployment READY_WAIT /
 * TERMINATION_WAIT), `stepdeploy stop` and an alarm all answer it at once; the task's timeout ends it otherwise.
 */
export async function openServerWait(
  deps: Pick<Deps, "registry" | "callbacks" | "stepFunctions" | "alarms" | "clock" | "log">,
  event: { run: Pick<ServerRun, "deploymentId" | "alarms" | "ignorePollAlarmFailure" | "blueGreen" | "eventDetail">; kind: "ready" | "termination"; taskToken: string },
): Promise<{ waiting: string; seconds: number }> {
  const { run } = event;
  const seconds = (event.kind === "ready" ? run.blueGreen?.readyWaitSeconds : run.blueGreen?.terminationWaitSeconds) ?? 0;
  await openPhaseWait(deps, { deploymentId: run.deploymentId, token: event.taskToken, kind: event.kind, seconds, alarms: run.alarms, region: String(run.eventDetail.region ?? "") }, { deploymentId: run.deploymentId, alarms: run.alarms, ignorePollAlarmFailure: run.ignorePollAlarmFailure });
  deps.log(run.deploymentId).info(`${event.kind} wait`, { seconds, watching: run.alarms });
  return { waiting: event.kind, seconds };
}
