import type { BlueGreenStart } from "../../domain/ecs/target-groups.js";
import { chooseBlueGreen } from "../../domain/ecs/target-groups.js";
import { type EcsTarget, routeArn, routeKind } from "../../domain/ecs/target.js";
import { type CreateTaskSetPlan, type EcsRevision, planTaskSet } from "../../domain/ecs/task-set-plan.js";
import { forwardRevision } from "../../domain/ecs/weights.js";
import { ErrorNames, ValidationError } from "../../domain/errors.js";
import type { EcsServicePort, TaskSetState } from "../../ports/ecs-service.js";
import type { LoadBalancerPort } from "../../ports/load-balancer.js";

/**
 * Everything an ECS deployment decides before it changes anything: the target groups as ARNs, blue and
 * green from the PRIMARY task set, the task definition resolved to the ARN it will run (and checked to
 * have the container and port the load balancer needs), the replacement's CreateTaskSet request, and the
 * routes' revisions as read now. A service without the EXTERNAL controller, a leftover task set, a split
 * route or a missing resource is refused here, with traffic untouched.
 */
export interface EcsPlan extends BlueGreenStart<TaskSetState> {
  taskDefinitionArn: string;
  createTaskSet: CreateTaskSetPlan;
  prodRevision: string;
  testRevision?: string;
}

export async function planEcsDeployment(deps: { loadBalancer: LoadBalancerPort; ecs: EcsServicePort }, args: { deploymentId: string; target: EcsTarget; revision: EcsRevision }): Promise<EcsPlan> {
  const { target, revision } = args;
  const [tgArns, service, prod, test, td] = await Promise.all([
    deps.loadBalancer.targetGroupArns(target.targetGroups),
    deps.ecs.describeService(target.cluster, target.service),
    deps.loadBalancer.readRoute(routeArn(target.prodTrafficRoute)),
    target.testTrafficRoute ? deps.loadBalancer.readRoute(routeArn(target.testTrafficRoute)) : Promise.resolve(undefined),
    deps.ecs.describeTaskDefinition(revision.taskDefinition),
  ]);
  if (service.deploymentController !== "EXTERNAL") {
    throw new ValidationError("ecs.service", `${target.cluster}/${target.service} uses the ${service.deploymentController} deployment controller; blue/green with task sets needs a service created with deploymentController EXTERNAL`);
  }
  const start = chooseBlueGreen(
    tgArns as [string, string],
    service.taskSets,
    { name: `production ${routeKind(target.prodTrafficRoute)}`, forward: prod.targetGroups },
    test && target.testTrafficRoute ? { name: `test ${routeKind(target.testTrafficRoute)}`, forward: test.targetGroups } : undefined,
  );
  const createTaskSet = planTaskSet({ target, revision, taskDefinitionArn: td.arn, greenTargetGroupArn: start.green, original: start.original, deploymentId: args.deploymentId });
  checkContainer(td.body, createTaskSet.loadBalancers[0] as { containerName: string; containerPort: number }, td.arn);
  return {
    ...start,
    taskDefinitionArn: td.arn,
    createTaskSet,
    prodRevision: forwardRevision(prod.targetGroups),
    ...(test ? { testRevision: forwardRevision(test.targetGroups) } : {}),
  };
}

/** ECS would refuse it at CreateTaskSet ("The container web does not exist in the task definition."); refuse it before anything changes. */
function checkContainer(body: Record<string, unknown>, lb: { containerName: string; containerPort: number }, arn: string): void {
  const containers = (body.containerDefinitions as { name?: string; portMappings?: { containerPort?: number }[] }[] | undefined) ?? [];
  const c = containers.find((x) => x.name === lb.containerName);
  if (!c) throw new ValidationError("revision.containerName", `task definition ${arn} has no container ${lb.containerName} (it has ${containers.map((x) => x.name).join(", ") || "none"})`, ErrorNames.InvalidInput);
  if (!(c.portMappings ?? []).some((p) => p.containerPort === lb.containerPort)) {
    throw new ValidationError("revision.containerPort", `container ${lb.containerName} of ${arn} maps no port ${lb.containerPort}`, ErrorNames.InvalidInput);
  }
}
