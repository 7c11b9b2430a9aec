import type { Elbv2World } from "../elbv2/world.js";
import type { Checker, Json } from "../shared/checker.js";
import type { SetupSection } from "../shared/service.js";
import { TASK_BEHAVIOURS, type TaskBehaviour } from "./model.js";
import type { EcsWorld } from "./world.js";

/**
 * The ECS part of the account setup:
 *
 *   "ecs": {
 *     "taskDefinitions": [{ "family": "web", "containerDefinitions": [{ "name": "web", "image": "...:v1", "portMappings": [{ "containerPort": 80 }] }],
 *                           "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
 *                           "tasks": "healthy" }],                          // or "unhealthy", "fail-to-start"
 *     "clusters": [{ "name": "prod", "services": [{ "name": "web", "desiredCount": 2, "deploymentController": "EXTERNAL",
 *                    "launchType": "FARGATE", "taskDefinition": "web:1", "taskStartSeconds": 20,
 *                    "loadBalancer": { "targetGroup": "web-blue", "containerName": "web", "containerPort": 80 },
 *                    "networkConfiguration": { "awsvpcConfiguration": { "subnets": ["subnet-1"], "securityGroups": ["sg-1"] } } }] }]
 *   }
 *
 * Task definitions are registered in order (revisions count up per family); everything but `tasks`
 * is the RegisterTaskDefinition request. A service with the EXTERNAL controller starts with one
 * PRIMARY task set at 100% of `taskDefinition`, whose tasks have run (and passed their health
 * checks) for long. A service with the ECS (rolling update) controller starts with one COMPLETED
 * deployment of `taskDefinition`; `"deploymentCircuitBreaker": {"enable": true}` fails a rollout whose
 * tasks do not start, and with `"rollback": true` rolls the service back to the last COMPLETED deployment.
 */
const SERVICE_KEYS = ["name", "desiredCount", "deploymentController", "launchType", "taskDefinition", "taskStartSeconds", "loadBalancer", "networkConfiguration", "deploymentCircuitBreaker"];

export function ecsSetup(world: EcsWorld, elbv2: () => Elbv2World): SetupSection {
  return {
    keys: ["ecs"],
    parse(setup, c) {
      if (setup.ecs === undefined) return () => undefined;
      const o = c.object(setup.ecs, "account.ecs", ["taskDefinitions", "clusters"]);
      if (!o) return () => undefined;
      const families = new Map<string, Json[]>();
      const tds = c.array(o.taskDefinitions, "account.ecs.taskDefinitions").flatMap((raw, i) => {
        const f = `account.ecs.taskDefinitions[${i}]`;
        const td = c.object(raw, f, ["family", "containerDefinitions", "networkMode", "requiresCompatibilities", "cpu", "memory", "executionRoleArn", "taskRoleArn", "tasks"]);
        if (!td) return [];
        const family = c.string(td, "family", f, { required: true });
        const containers = c.array(td.containerDefinitions, `${f}.containerDefinitions`);
        if (containers.length === 0) c.fail(`${f}.containerDefinitions`, "must list at least one container");
        containers.forEach((ct, j) => {
          const co = c.object(ct, `${f}.containerDefinitions[${j}]`, ["name", "image", "essential", "portMappings", "environment", "cpu", "memory"]);
          if (co) {
            c.string(co, "name", `${f}.containerDefinitions[${j}]`, { required: true });
            c.string(co, "image", `${f}.containerDefinitions[${j}]`, { required: true });
          }
        });
        const tasks = c.string(td, "tasks", f, { oneOf: TASK_BEHAVIOURS }) as TaskBehaviour | undefined;
        if (!family) return [];
        const { tasks: _t, ...body } = td;
        families.set(family, [...(families.get(family) ?? []), body]);
        return [{ body, tasks }];
      });
      const clusters = c.array(o.clusters, "account.ecs.clusters").flatMap((raw, i) => {
        const f = `account.ecs.clusters[${i}]`;
        const co = c.object(raw, f, ["name", "services"]);
        const name = co && c.string(co, "name", f, { required: true });
        if (!co || !name) return [];
        const services = c.array(co.services, `${f}.services`).flatMap((s, j) => parseService(s, `${f}.services[${j}]`, c, families, usedTargetGroups(setup)));
        return [{ name, services }];
      });
      return () => {
        for (const td of tds) world.taskDefinitions.register(td.body, td.tasks);
        for (const spec of clusters) {
          const cluster = world.createCluster(spec.name);
          for (const s of spec.services) {
            const tg = s.loadBalancer ? elbv2().byName(elbv2().targetGroups, s.loadBalancer.targetGroup) : undefined;
            const loadBalancers = s.loadBalancer && tg ? [{ targetGroupArn: tg.arn, containerName: s.loadBalancer.containerName, containerPort: s.loadBalancer.containerPort }] : [];
            const service = world.createService(cluster, { ...s, loadBalancers });
            if (s.deploymentController === "ECS" && s.taskDefinition) world.settledDeployment(service, s.taskDefinition);
            if (s.deploymentController === "EXTERNAL" && s.taskDefinition) {
              world.createTaskSet(
                service,
                { taskDefinition: s.taskDefinition, loadBalancers, ...(s.launchType ? { launchType: s.launchType } : {}), ...(s.networkConfiguration ? { networkConfiguration: s.networkConfiguration } : {}) },
                { setup: true },
              );
            }
          }
        }
      };
    },
  };
}

/** Target group name -> whether a listener or rule of the setup's load balancers forwards to it. */
function usedTargetGroups(setup: Json): Map<string, boolean> {
  const used = new Map<string, boolean>();
  for (const tg of Array.isArray(setup.targetGroups) ? (setup.targetGroups as Json[]) : []) if (typeof tg?.name === "string") used.set(tg.name, false);
  const forwards = (Array.isArray(setup.loadBalancers) ? (setup.loadBalancers as Json[]) : []).flatMap((lb) =>
    (Array.isArray(lb?.listeners) ? (lb.listeners as Json[]) : []).flatMap((l) => [l?.forward, ...(Array.isArray(l?.rules) ? (l.rules as Json[]).map((r) => r?.forward) : [])]),
  );
  for (const fwd of forwards) for (const n of typeof fwd === "string" ? [fwd] : typeof fwd === "object" && fwd ? Object.keys(fwd) : []) used.set(n, true);
  return used;
}

function parseService(raw: unknown, f: string, c: Checker, families: Map<string, Json[]>, targetGroups: Map<string, boolean>) {
  const o = c.object(raw, f, SERVICE_KEYS);
  if (!o) return [];
  const name = c.string(o, "name", f, { required: true });
  const desiredCount = c.number(o, "desiredCount", f, { integer: true, min: 0 }) ?? 1;
  const deploymentController = (c.string(o, "deploymentController", f, { oneOf: ["EXTERNAL", "CODE_DEPLOY", "ECS"] }) ?? "EXTERNAL") as "EXTERNAL" | "CODE_DEPLOY" | "ECS";
  const launchType = c.string(o, "launchType", f, { oneOf: ["FARGATE", "EC2", "EXTERNAL"] });
  const taskDefinition = c.string(o, "taskDefinition", f);
  let td: Json | undefined;
  if (taskDefinition) {
    const [family, revision] = taskDefinition.split(":");
    const revisions = families.get(family as string) ?? [];
    td = revision === undefined ? revisions.at(-1) : revisions[Number(revision) - 1];
    if (!td) c.fail(`${f}.taskDefinition`, `no task definition ${taskDefinition} in account.ecs.taskDefinitions`);
  }
  const taskStartSeconds = c.number(o, "taskStartSeconds", f, { min: 0 });
  const lb = o.loadBalancer === undefined ? undefined : c.object(o.loadBalancer, `${f}.loadBalancer`, ["targetGroup", "containerName", "containerPort"]);
  const loadBalancer = lb ? parseLoadBalancer(lb, `${f}.loadBalancer`, c, targetGroups, td) : undefined;
  const networkConfiguration = o.networkConfiguration === undefined ? undefined : (c.object(o.networkConfiguration, `${f}.networkConfiguration`, ["awsvpcConfiguration"]) as Json | undefined);
  if (td?.networkMode === "awsvpc" && !networkConfiguration) c.fail(`${f}.networkConfiguration`, "is required for a task definition with networkMode awsvpc");
  const breaker = o.deploymentCircuitBreaker === undefined ? undefined : c.object(o.deploymentCircuitBreaker, `${f}.deploymentCircuitBreaker`, ["enable", "rollback"]);
  if (breaker && typeof breaker.enable !== "boolean") c.fail(`${f}.deploymentCircuitBreaker.enable`, "must be true or false");
  if (breaker && breaker.rollback !== undefined && typeof breaker.rollback !== "boolean") c.fail(`${f}.deploymentCircuitBreaker.rollback`, "must be true or false");
  if (breaker && deploymentController !== "ECS") c.fail(`${f}.deploymentCircuitBreaker`, "applies to the ECS (rolling update) deployment controller only");
  const circuitBreaker = breaker?.enable === true ? true : undefined;
  // rollback acts only through the breaker: with enable false nothing fails, so nothing rolls back
  const circuitBreakerRollback = circuitBreaker && breaker?.rollback === true ? true : undefined;
  if (!name) return [];
  return [{ name, desiredCount, deploymentController, ...opt({ launchType, taskDefinition, taskStartSeconds, loadBalancer, networkConfiguration, circuitBreaker, circuitBreakerRollback }) }];
}

function parseLoadBalancer(lb: Json, f: string, c: Checker, targetGroups: Map<string, boolean>, td: Json | undefined) {
  const targetGroup = c.string(lb, "targetGroup", f, { required: true });
  const containerName = c.string(lb, "containerName", f, { required: true });
  const containerPort = c.number(lb, "containerPort", f, { required: true, integer: true, min: 1 });
  if (targetGroup && !targetGroups.has(targetGroup)) c.fail(`${f}.targetGroup`, `no target group named ${targetGroup} in account.targetGroups`);
  else if (targetGroup && !targetGroups.get(targetGroup)) c.fail(`${f}.targetGroup`, `no listener or rule forwards to ${targetGroup}: ECS needs a target group with a load balancer`);
  const container = ((td?.containerDefinitions as Json[] | undefined) ?? []).find((x) => x?.name === containerName);
  if (td && containerName && !container) c.fail(`${f}.containerName`, `the task definition has no container ${containerName}`);
  const ports = Array.isArray(container?.portMappings) ? (container.portMappings as Json[]).map((p) => p?.containerPort) : [];
  if (container && containerPort !== undefined && !ports.includes(containerPort)) c.fail(`${f}.containerPort`, `container ${containerName} maps no port ${containerPort}`);
  return targetGroup && containerName && containerPort !== undefined ? { targetGroup, containerName, containerPort } : undefined;
}

/** The entries whose value is defined. */
function opt<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}
