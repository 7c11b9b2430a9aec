import type { EcsDeployment } from "../../domain/ecs/deployment.js";
import { readiness } from "../../domain/ecs/readiness.js";
import { ErrorNames, StepDeployError } from "../../domain/errors.js";
import type { Deps } from "../../wiring.js";
import { listenerWeightsRouter } from "../routers/listener-weights.js";
import { installReplacement } from "./install.js";
import { observeReplacement } from "./observe.js";

/** What Install leaves in `$.install`: the replacement task set and when it was created (the install timeout counts from then). */
export interface Installed {
  taskSetId: string;
  startedAtMs: number;
}

type EcsDeps = Pick<Deps, "loadBalancer" | "ecs" | "clock" | "log">;

/** Install: green joins the production route at weight 0, then CreateTaskSet at 100% on green (services/ecs/install.ts). */
export async function install(deps: EcsDeps, event: { deployment: EcsDeployment }): Promise<Installed> {
  const d = event.deployment;
  const e = d.ecs;
  const { taskSet, prod } = await installReplacement(deps, { target: e.target, plan: e, config: d.config });
  deps.log(d.deploymentId).info("replacement task set created", { taskSet: taskSet.id, taskDefinition: taskSet.taskDefinition, targetGroup: e.green, prod: prod.describe });
  return { taskSetId: taskSet.id, startedAtMs: deps.clock.nowMs() };
}

/**
 * One look at the replacement: ready (ECS STEADY_STATE and every target healthy), or how long to wait before the
 * next look; past the install timeout, Deploy.ReplacementUnhealthy with what ECS and the load balancer report.
 */
export async function checkReplacement(deps: EcsDeps, event: { deployment: EcsDeployment; install: Installed }): Promise<{ ready: boolean; waitSeconds: number }> {
  const d = event.deployment;
  const o = await observeReplacement(deps, { cluster: d.ecs.cluster, service: d.ecs.service, taskSetId: event.install.taskSetId, green: d.ecs.green });
  const r = readiness(o, (deps.clock.nowMs() - event.install.startedAtMs) / 1000, d.ecs.installTimeoutSeconds);
  if ("failed" in r) throw new StepDeployError(ErrorNames.ReplacementUnhealthy, r.reason);
  if (r.ready) {
    deps.log(d.deploymentId).info("replacement ready", { taskSet: event.install.taskSetId, healthyTargets: o.healthyTargets });
    return { ready: true, waitSeconds: 0 };
  }
  return { ready: false, waitSeconds: r.waitSeconds };
}

/** AllowTestTraffic: the test route forwards everything to green (`{blue: 0, green: 100}`), read back before the hook runs. */
export async function allowTestTraffic(deps: EcsDeps, event: { deployment: EcsDeployment }): Promise<{ test: string }> {
  const d = event.deployment;
  const route = d.ecs.testRoute;
  if (!route) return { test: "no test route" };
  const router = listenerWeightsRouter(deps.loadBalancer);
  await router.setWeight(route, 100, d.ecs.testRevision ?? "");
  const landed = await router.verify(route, 100);
  deps.log(d.deploymentId).info("test traffic on the replacement", { route: route.routeArn, now: landed.describe });
  return { test: landed.describe };
}
