import type { ReplacementObservation } from "../../domain/ecs/readiness.js";
import { ErrorNames, StepDeployError } from "../../domain/errors.js";
import type { EcsServicePort } from "../../ports/ecs-service.js";
import type { LoadBalancerPort } from "../../ports/load-balancer.js";

/** What ECS and the load balancer say about the replacement task set now (one DescribeTaskSets, one DescribeTargetHealth). */
export async function observeReplacement(deps: { loadBalancer: LoadBalancerPort; ecs: EcsServicePort }, args: { cluster: string; service: string; taskSetId: string; green: string }): Promise<ReplacementObservation> {
  const [taskSet, health] = await Promise.all([deps.ecs.describeTaskSet(args.cluster, args.service, args.taskSetId), deps.loadBalancer.targetHealth(args.green)]);
  if (!taskSet) throw new StepDeployError(ErrorNames.ResourceNotFound, `the replacement task set ${args.taskSetId} of ${args.cluster}/${args.service} is gone (deleted by someone else?)`);
  const targetStates: Record<string, number> = {};
  for (const h of health) targetStates[h.state] = (targetStates[h.state] ?? 0) + 1;
  return {
    computedDesiredCount: taskSet.computedDesiredCount,
    runningCount: taskSet.runningCount,
    pendingCount: taskSet.pendingCount,
    stabilityStatus: taskSet.stabilityStatus,
    healthyTargets: targetStates.healthy ?? 0,
    targetStates,
  };
}
