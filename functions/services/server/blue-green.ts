import { ErrorNames } from "../../domain/errors.js";
import type { ServerRun } from "../../domain/fleet/run.js";
import type { ServerBlueGreen } from "../../domain/fleet/blue-green.js";
import type { Deps } from "../../wiring.js";
import { openPhaseWait } from "../waits.js";
import { restoreWeighted } from "./weighted.js";
import { deregisterFrom } from "./traffic.js";
import { type NextBatch, nextServerBatch } from "./batches.js";
import type { DeploymentTargetGroup } from "../../domain/fleet/traffic.js";
import type { BatchResult, DeploymentContext, FleetState, InstanceOutcome } from "./state.js";

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
      return { fleet, next: { action: "fail", error: ErrorNames.BlockTrafficFailed, cause: `${failed.length} original instance(s) failed to leave the target groups: ${named(failed)}` } };
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

/** The next step of a blue/green rollback: a batch child to run (its own deployment context), or the end with its message. */
export type BlueGreenRollbackStep =
  | { fleet: FleetState; batch: { batch: string[]; batchNumber: number; phase: "restore" | "block"; deployment: DeploymentContext } }
  | { fleet: FleetState; batch?: undefined; message: string; failed: boolean };

type RollbackDeps = Pick<Deps, "loadBalancer" | "autoScaling" | "log"> & Partial<Pick<Deps, "classicLoadBalancer">>;

/**
 * CodeDeploy's blue/green rollback (codedeploy-spec §5.3: traffic allowed back on the originals, blocked on the
 * replacements), one call per step, through the same batch children as the reroute:
 *  - before traffic moved (install, ready wait): the originals never left the target groups; only a copied group goes;
 *  - from AllowTraffic on, first `restore`: the original instances get BeforeAllowTraffic | AllowTraffic (registered,
 *    healthy) | AfterAllowTraffic with their own last revision's scripts; then `block`: the replacements get
 *    BeforeBlockTraffic | BlockTraffic (deregistered, drained) | AfterBlockTraffic with the new revision's scripts; so
 *    traffic is never on neither fleet. A weighted reroute's listener goes back to 100% blue first, while the originals
 *    are still in the blue group (else right after their restore); its batches move only the blue / green group.
 *  - an original failing its restore: the rollback fails there and the replacements keep serving (never neither
 *    fleet); a replacement failing its block: it is deregistered anyway (traffic leaves the new revision) and the
 *    rollback is named failed. A copied group is deleted once traffic has left it, never while it still serves.
 * DISCOVER_EXISTING green instances are not terminated: the deployment did not create them.
 */
export async function rollBackBlueGreen(deps: RollbackDeps, deploymentId: string, bg: ServerBlueGreen, fleet: FleetState, deployment: DeploymentContext, last?: BatchResult): Promise<BlueGreenRollbackStep> {
  const green = fleet.installed ?? fleet.instances;
  const r = fleet.reroute;
  if (!r) {
    const rerouted = (fleet.phase === "allow" && fleet.cursor > 0) || fleet.phase === "shift" || fleet.phase === "block" || fleet.phase === "retire";
    if (!rerouted) return finish(deps, deploymentId, bg, fleet, ["the original instances kept serving"], false);
    const state = { stage: "restore" as const, routeRestored: false, notes: [] as string[] };
    // Weighted, the originals still in blue (they leave it only at BlockTraffic): the listener goes back at once.
    if (bg.weighted && (fleet.phase === "allow" || fleet.phase === "shift")) {
      state.notes.push(await restoreWeighted(deps, bg.weighted));
      state.routeRestored = true;
    }
    if (bg.original.length === 0) return rollBackBlueGreen(deps, deploymentId, bg, { ...fleet, reroute: state }, deployment, { outcomes: [] });
    return rerouteBatch({ ...fleet, reroute: state }, "restore", bg.original, deployment, bg);
  }
  const failed = (last?.outcomes ?? []).filter((o) => o.status === "Failed");
  const broken = last?.interrupted ? `its ${r.stage} batch ended with ${last.interrupted.error}: ${last.interrupted.cause}` : undefined;
  if (r.stage === "restore") {
    if (failed.length || broken) {
      const why = broken ?? `${failed.length} original instance(s) failed the rollback's AllowTraffic events: ${named(failed)}`;
      deps.log(deploymentId).error("blue/green rollback failed", { stage: r.stage, failed: failed.map((o) => o.instanceId) });
      return { fleet, message: `rollback failed: ${[...r.notes, why, `the ${green.length} replacement instance(s) keep serving${bg.greenGroup ? ` and the replacement group ${bg.greenGroup} is kept` : ""}`].join("; ")}`, failed: true };
    }
    const notes = [...r.notes, `the ${bg.original.length} original instance(s) through AllowTraffic`];
    let routeRestored = r.routeRestored;
    if (bg.weighted && !routeRestored) {
      notes.push(await restoreWeighted(deps, bg.weighted));
      routeRestored = true;
    }
    const next = { ...fleet, reroute: { stage: "block" as const, routeRestored, notes } };
    if (green.length === 0) return finish(deps, deploymentId, bg, next, notes, false);
    return rerouteBatch(next, "block", green, deployment, bg);
  }
  const notes = [...r.notes, `the ${green.length - failed.length} replacement instance(s) through BlockTraffic`];
  if (failed.length || broken) {
    // Traffic must leave the new revision: the replacements that failed their block are deregistered anyway.
    const out = failed.length ? failed.map((o) => o.instanceId) : green;
    for (const tg of rerouteGroups(deployment, bg, "block")) await deregisterFrom(deps, tg, out);
    notes.push(`${broken ?? `${failed.length} replacement instance(s) failed the rollback's BlockTraffic events: ${named(failed)}`}; deregistered anyway`);
  }
  return finish(deps, deploymentId, bg, fleet, notes, failed.length > 0 || broken !== undefined);
}

/** The last step: a copied group is deleted (traffic has left it), and the message. */
async function finish(deps: RollbackDeps, deploymentId: string, bg: ServerBlueGreen, fleet: FleetState, notes: string[], failed: boolean): Promise<BlueGreenRollbackStep> {
  if (bg.greenGroup) await deps.autoScaling.deleteGroup(bg.greenGroup);
  const parts = [...notes, bg.greenGroup ? `the replacement group ${bg.greenGroup} deleted` : "the replacement instances left running"];
  deps.log(deploymentId).warn(failed ? "blue/green rollback failed" : "blue/green rolled back", { greenGroup: bg.greenGroup, stage: fleet.reroute?.stage ?? "none" });
  return { fleet, message: `${failed ? "rollback failed" : "rolled back"}: ${parts.join("; ")}`, failed };
}

/** A rollback batch child: the instances and a deployment context whose traffic events move only the groups of its side. */
function rerouteBatch(fleet: FleetState, phase: "restore" | "block", batch: string[], deployment: DeploymentContext, bg: ServerBlueGreen): BlueGreenRollbackStep {
  const { weighted: _weighted, ...plain } = deployment;
  const batchNumber = fleet.batches + 1;
  return { fleet: { ...fleet, batches: batchNumber }, batch: { batch, batchNumber, phase, deployment: { ...plain, targetGroups: rerouteGroups(deployment, bg, phase) } } };
}

/** Every target group, or in a weighted reroute the blue group (restore) or the green one (block). */
function rerouteGroups(deployment: DeploymentContext, bg: ServerBlueGreen, phase: "restore" | "block"): DeploymentTargetGroup[] {
  const all = deployment.targetGroups ?? [];
  if (!bg.weighted) return all;
  const { blue, green } = bg.weighted.deployment.target;
  return all.filter((t) => t.arn === (phase === "restore" ? blue : green));
}

const named = (failed: InstanceOutcome[]): string =>
  failed
    .slice(0, 5)
    .map((o) => `${o.instanceId} (${o.event ?? "?"}: ${o.message ?? o.errorCode ?? "failed"})`)
    .join("; ");

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
