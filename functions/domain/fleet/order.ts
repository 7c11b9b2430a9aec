/** CodeDeploy's two statuses per instance (codedeploy-spec §2.4). */
export type InstanceHealth = "Healthy" | "Unhealthy";
export type RevisionHealth = "Current" | "Old" | "Unknown";

export interface FleetInstance {
  id: string;
  /** Healthy = the last deployment to it succeeded; Unhealthy = the last attempt failed or it was never deployed. */
  health: InstanceHealth;
  /** Current = has the revision being deployed; Old = another revision the group deployed; Unknown = none known. */
  revision: RevisionHealth;
}

const REVISION_RANK: Record<RevisionHealth, number> = { Unknown: 0, Old: 1, Current: 2 };

function rank(i: FleetInstance): number {
  return i.health === "Unhealthy" ? 0 : 1 + REVISION_RANK[i.revision];
}

/**
 * The order CodeDeploy deploys in (UG/instances-health, codedeploy-spec §2.4): unhealthy instances first, then
 * unknown revision, old revision, current revision. Ties keep the caller's order (the discovery order, instance id).
 */
export function orderForDeployment<T extends FleetInstance>(instances: readonly T[]): T[] {
  return instances
    .map((instance, index) => ({ instance, index }))
    .sort((a, b) => rank(a.instance) - rank(b.instance) || a.index - b.index)
    .map((e) => e.instance);
}
