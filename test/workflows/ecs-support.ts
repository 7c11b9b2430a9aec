import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ecsWorldOf } from "../../local/account/ecs/index.js";
import { elbv2WorldOf } from "../../local/account/elbv2/index.js";
import type { LocalDynamoDb } from "../../local/emulators/dynalite.js";
import type { ExecutionReport } from "../../local/runtime/runtime.js";
import { PROJECT_ROOT, scenarioDeploymentId } from "../../local/simulate/run-scenario.js";
import { openSimWorld, type SimWorld } from "../../local/simulate/world.js";

export interface EcsScenario {
  name: string;
  account: Record<string, unknown>;
  input: Record<string, unknown>;
  timeline?: Record<string, unknown>[];
  expect: { status: string; error?: string; events?: string[]; finalRoutes?: Record<string, Record<string, number>>; taskSets?: { status: string; taskDefinition: string }[]; prodWeights?: number[] };
}

export const loadEcsScenario = (file: string): EcsScenario => JSON.parse(readFileSync(join(PROJECT_ROOT, "events/ecs/scenarios", file), "utf8"));

/** What an ECS run left: the routes' weights by target group name, the service's task sets, and the production route's history. */
export interface EcsRun {
  report: ExecutionReport;
  deploymentId: string;
  routes: Record<string, Record<string, number> | undefined>;
  taskSets: { status: string; taskDefinition: string }[];
  prodHistory: { atSeconds: number; weights: Record<string, number> }[];
  states: string[];
  world: SimWorld;
  /** What a listener or rule (`<load balancer>:<port>[:<priority>]`) forwards now, by target group name. */
  routeAt(resource: string): Record<string, number> | undefined;
}

/** The service's task sets now, as `{status, taskDefinition: "web:2"}`, deleted (DRAINING) ones left out. */
export function taskSetsOf(world: SimWorld, cluster = "prod", service = "web") {
  const ecs = ecsWorldOf(world.account);
  const svc = ecs.service(ecs.cluster(cluster), service);
  // A deleted task set shows as DRAINING until its tasks stopped (the deregistration delay): it is gone for the deployment.
  return ecs.taskSetsAt(svc).filter((t) => t.taskSet.status !== "DRAINING").map((t) => ({ status: t.taskSet.status, taskDefinition: `${t.taskSet.taskDefinition.family}:${t.taskSet.taskDefinition.revision}` }));
}

export function routeWeights(world: SimWorld, resource: string) {
  return elbv2WorldOf(world.account).weightsAt(resource);
}

/**
 * Runs an ECS scenario on the real deploy-ecs state machine; `during` is called once the execution runs (to act
 * mid-run), and the world stays open for the caller to inspect (close it with `world.close()`).
 */
export async function runEcs(s: EcsScenario, during?: (world: SimWorld, executionArn: string) => Promise<void> | void, opts: { dynamo?: LocalDynamoDb } = {}): Promise<EcsRun> {
  const world = await openSimWorld(s.account, { timeline: s.timeline ?? [], ...(opts.dynamo ? { dynamo: opts.dynamo } : {}) });
  const deploymentId = (s.input.deploymentId as string | undefined) ?? scenarioDeploymentId(s.name);
  const report = await world.within(async () => {
    const run = await world.startDeployment({ ...s.input, deploymentId }, "deploy-ecs");
    await during?.(world, run.executionArn);
    return run.finished;
  });
  const elbv2 = elbv2WorldOf(world.account);
  const prod = Object.keys(s.expect.finalRoutes ?? {})[0] ?? "web:80";
  return {
    report,
    deploymentId,
    world,
    routes: { "web:80": elbv2.weightsAt("web:80"), "web:8080": elbv2.weightsAt("web:8080") },
    taskSets: taskSetsOf(world),
    prodHistory: elbv2.forwardHistory.filter((c) => c.resource === prod && c.operation.startsWith("Modify")).map((c) => ({ atSeconds: c.atSeconds, weights: c.weights })),
    routeAt: (resource) => elbv2.weightsAt(resource),
    states: world.account.events.map((e) => String((e.detail as { state?: string }).state)),
  };
}
