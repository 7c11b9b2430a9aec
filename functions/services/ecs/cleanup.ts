import type { EcsServicePort } from "../../ports/ecs-service.js";

/**
 * After the termination wait: the replacement becomes the PRIMARY task set (UpdateServicePrimaryTaskSet),
 * then the original is deleted (DeleteTaskSet, force: its tasks drain from the blue target group and
 * stop). From here on there is nothing to roll back to. Safe to repeat: a second run finds the
 * replacement primary already and the original gone.
 */
export async function promoteAndRemoveOriginal(deps: { ecs: EcsServicePort }, args: { cluster: string; service: string; replacement: string; original: string }): Promise<void> {
  await deps.ecs.updateServicePrimaryTaskSet(args.cluster, args.service, args.replacement);
  await deps.ecs.deleteTaskSet(args.cluster, args.service, args.original);
}
