import { ErrorNames, StepDeployError } from "../../domain/errors.js";
import type { DeploymentRecord } from "../../domain/registry/types.js";
import type { Deps } from "../../wiring.js";
import { listenerWeightsRouter } from "../routers/listener-weights.js";

/** Every weight a weighted reroute of ours can leave on the route (the janitor does not know the plan). */
const ANY_OF_OUR_WEIGHTS = Array.from({ length: 101 }, (_, w) => w);

export type ServerJanitorDeps = Pick<Deps, "loadBalancer" | "autoScaling" | "instances" | "log"> & Partial<Pick<Deps, "classicLoadBalancer">>;

/** What Start recorded of a blue/green deployment for the janitor (the record's `target.blueGreen`). */
export interface ServerBlueGreenView {
  original: string[];
  /** DISCOVER_EXISTING: the replacement instances; COPY_AUTO_SCALING_GROUP: none (the copy's instances are read). */
  green: string[];
  targetGroups: string[];
  /** Classic Load Balancers (elbInfoList) rerouted the same way. */
  classicLoadBalancers?: string[];
  greenGroup?: string;
  /** A weighted reroute (docs/ec2.md#weighted): the production route and the pair of target groups (ARNs). */
  route?: { routeArn: string; blue: string; green: string; config: string };
}

export const blueGreenViewOf = (r: DeploymentRecord): ServerBlueGreenView | undefined => (r.target as { blueGreen?: ServerBlueGreenView }).blueGreen;

/**
 * The janitor's part of a blue/green server deployment whose execution died: nothing half-applied, traffic on the
 * original fleet. Unless the originals are being retired already (one of them not running: TERMINATE had begun, and
 * only the replacements can serve), every original is registered in every target group, the replacements (found
 * ones, or the copied group's instances) deregistered, and a copied group deleted with its instances. Each call is
 * safe to repeat: registering a registered target and deregistering an absent one change nothing (ELBv2 API
 * reference, RegisterTargets/DeregisterTargets). True when done; otherwise why not.
 */
export async function restoreServerBlueGreen(deps: ServerJanitorDeps, deploymentId: string, view: ServerBlueGreenView): Promise<true | string> {
  const states = view.original.length ? await deps.instances.findInstances({ instanceIds: view.original }) : [];
  const retiring = states.filter((i) => i.state !== "running" && i.state !== "pending");
  if (retiring.length) return `the original instances were being retired (${retiring.slice(0, 10).map((i) => `${i.id} ${i.state}`).join(", ")}): traffic stays on the replacement instances`;
  const copy = view.greenGroup ? await deps.autoScaling.describeGroup(view.greenGroup) : undefined;
  const green = [...new Set([...view.green, ...(copy?.instances.map((i) => i.id) ?? [])])].filter((id) => !view.original.includes(id));
  const groups = view.targetGroups.length ? await deps.loadBalancer.describeTargetGroups(view.targetGroups) : [];
  // A weighted reroute: the originals back in blue, the route back to blue, green out of its own group.
  const blue = view.route ? groups.filter((t) => t.arn === view.route?.blue) : groups;
  for (const tg of blue) if (view.original.length) await deps.loadBalancer.registerInstances(tg.arn, view.original);
  if (view.route) {
    const r = await listenerWeightsRouter(deps.loadBalancer).restore({ kind: "listener-weights", ...view.route }, "", ANY_OF_OUR_WEIGHTS);
    if (!r.restored) return r.reason;
  }
  for (const tg of view.route ? groups.filter((t) => t.arn === view.route?.green) : groups) if (green.length) await deps.loadBalancer.deregisterInstances(tg.arn, green);
  await swapClassic(deps, view.classicLoadBalancers ?? [], { register: view.original, deregister: green });
  if (copy && view.greenGroup) await deps.autoScaling.deleteGroup(view.greenGroup);
  deps.log(deploymentId).warn("janitor put a dead blue/green deployment's traffic back on the original instances", { original: view.original.length, replacements: green.length, deletedGroup: copy ? view.greenGroup : undefined });
  return true;
}

/**
 * Blue/green behind Classic Load Balancers (elbInfoList): `register` go in, then `deregister` leave, on each one
 * (RegisterInstancesWithLoadBalancer, DeregisterInstancesFromLoadBalancer of those it lists: both safe to repeat).
 */
async function swapClassic(deps: Partial<Pick<Deps, "classicLoadBalancer">>, names: string[], ids: { register: string[]; deregister: string[] }): Promise<void> {
  if (!names.length) return;
  if (!deps.classicLoadBalancer) throw new StepDeployError(ErrorNames.RollbackFailed, `Classic Load Balancers ${names.join(", ")} to restore, but no Classic Load Balancer access here`);
  for (const name of names) if (ids.register.length) await deps.classicLoadBalancer.registerInstances(name, ids.register);
  for (const name of names) if (ids.deregister.length) await deps.classicLoadBalancer.deregisterInstances(name, ids.deregister);
}
