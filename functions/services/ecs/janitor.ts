import type { DeploymentRecord } from "../../domain/registry/types.js";
import type { Deps } from "../../wiring.js";
import { rollBackEcs } from "./rollback.js";

/** What the registry keeps of an ECS deployment's target (services/ecs/start.ts `recordedTarget`). */
interface RecordedEcsTarget {
  cluster: string;
  service: string;
  prodTrafficRoute: string;
  testTrafficRoute?: string;
  taskDefinition: string;
  currentTaskDefinition?: string;
  blue?: string;
  green?: string;
  extraLockKeys?: string[];
}

/** Every weight a deployment of ours can leave on a route (`{blue: 100-w, green: w}`): the janitor does not know the plan. */
const ANY_OF_OUR_WEIGHTS = Array.from({ length: 101 }, (_, w) => w);

/**
 * The janitor's restore for an ECS deployment whose execution died: the routes back to blue (a route in a shape
 * no deployment of ours writes is another writer's and is left alone), the replacement (the task set carrying the
 * deployment id as externalId) deleted unless it already is PRIMARY, and the routes' locks released. True when
 * restored; otherwise why not.
 */
export async function restoreEcsForJanitor(deps: Pick<Deps, "loadBalancer" | "ecs" | "registry">, record: DeploymentRecord): Promise<true | string> {
  const t = record.target as unknown as RecordedEcsTarget;
  for (const lockKey of t.extraLockKeys ?? []) await deps.registry.release({ lockKey }, record.deploymentId);
  if (!t.blue || !t.green) return "the deployment had not installed anything (no target groups recorded)";
  const service = await deps.ecs.describeService(t.cluster, t.service);
  const replacement = service.taskSets.find((s) => s.externalId === record.deploymentId);
  if (replacement?.status === "PRIMARY") return "the replacement task set is already PRIMARY (cleanup had started)";
  const r = await rollBackEcs(deps, {
    target: { kind: "ecs-service", cluster: t.cluster, service: t.service, targetGroups: [t.blue, t.green], prodTrafficRoute: routeOf(t.prodTrafficRoute), ...(t.testTrafficRoute ? { testTrafficRoute: routeOf(t.testTrafficRoute) } : {}) },
    pair: { blue: t.blue, green: t.green },
    config: record.deploymentConfigName,
    prodRevision: "",
    testRevision: "",
    ownWeights: ANY_OF_OUR_WEIGHTS,
    ...(replacement ? { replacement: replacement.id } : {}),
  });
  const refused = [r.prod, ...(r.test ? [r.test] : [])].flatMap((x) => (x.restored ? [] : [x.reason]));
  return refused.length ? refused.join("; ") : true;
}

const routeOf = (arn: string) => (arn.includes(":listener-rule/") ? { ruleArn: arn } : { listenerArn: arn });

/** The terminal event's ECS fields (the janitor's own event, as the workflow's would carry them). */
export function ecsEventFields(record: DeploymentRecord) {
  const t = record.target as unknown as RecordedEcsTarget;
  return { cluster: t.cluster, service: t.service, currentVersion: t.currentTaskDefinition ?? "", targetVersion: t.taskDefinition };
}
