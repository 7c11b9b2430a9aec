import type { DeploymentRecord } from "../../domain/registry/types.js";
import type { Deps } from "../../wiring.js";

export type ServerJanitorDeps = Pick<Deps, "loadBalancer" | "autoScaling" | "instances" | "log">;

/** What Start recorded of a blue/green deployment for the janitor (the record's `target.blueGreen`). */
export interface ServerBlueGreenView {
  original: string[];
  /** DISCOVER_EXISTING: the replacement instances; COPY_AUTO_SCALING_GROUP: none (the copy's instances are read). */
  green: string[];
  targetGroups: string[];
  greenGroup?: string;
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
  for (const tg of groups) if (view.original.length) await deps.loadBalancer.registerInstances(tg.arn, view.original);
  for (const tg of groups) if (green.length) await deps.loadBalancer.deregisterInstances(tg.arn, green);
  if (copy && view.greenGroup) await deps.autoScaling.deleteGroup(view.greenGroup);
  deps.log(deploymentId).warn("janitor put a dead blue/green deployment's traffic back on the original instances", { original: view.original.length, replacements: green.length, deletedGroup: copy ? view.greenGroup : undefined });
  return true;
}
