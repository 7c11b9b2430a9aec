import type { Elbv2World } from "../elbv2/world.js";
import type { Deployment, Service, Task, TaskSet } from "./model.js";
import type { TaskDefinitions } from "./task-definitions.js";

/**
 * What ECS reports about a task set at simulated second `t`, derived from the dates the world
 * decided (ECS API reference, TaskSet):
 *  - `computedDesiredCount`: the service's desiredCount times the scale percentage, rounded up;
 *  - `pendingCount`/`runningCount`: tasks launched and not yet RUNNING / RUNNING and not yet STOPPED;
 *  - `stabilityStatus`: STEADY_STATE when runningCount equals computedDesiredCount, pendingCount is 0
 *    and every task is healthy in the load balancer's target groups, STABILIZING otherwise.
 */
export type TaskStatus = "PENDING" | "RUNNING" | "STOPPED";

export function taskStatus(task: Task, t: number): TaskStatus | undefined {
  if (task.createdAt > t) return undefined;
  if (task.stoppedAt !== undefined && task.stoppedAt <= t) return "STOPPED";
  if (task.startedAt !== undefined && task.startedAt <= t) return "RUNNING";
  return "PENDING";
}

export function computedDesiredCount(service: Service, ts: TaskSet): number {
  if (ts.status === "DRAINING") return 0;
  return Math.ceil((service.desiredCount * ts.scale.value) / 100 - 1e-9);
}

export interface TaskSetView {
  computedDesiredCount: number;
  pendingCount: number;
  runningCount: number;
  stabilityStatus: "STEADY_STATE" | "STABILIZING";
  /** Targets of this task set's running tasks that are healthy, over all its target groups. */
  healthyTargets: number;
}

export function taskSetView(service: Service, ts: TaskSet, elbv2: Elbv2World, t: number): TaskSetView {
  const desired = computedDesiredCount(service, ts);
  const statuses = ts.tasks.map((task) => ({ task, status: taskStatus(task, t) }));
  const running = statuses.filter((s) => s.status === "RUNNING" && s.task.stoppingAt === undefined);
  const pending = statuses.filter((s) => s.status === "PENDING" && s.task.stoppingAt === undefined).length;
  const draining = statuses.filter((s) => s.status === "RUNNING" && s.task.stoppingAt !== undefined).length;
  let healthyTargets = 0;
  let allHealthy = true;
  for (const lb of ts.loadBalancers) {
    const health = elbv2.health(lb.targetGroupArn, t);
    for (const { task } of running) {
      const h = health.find((x) => x.target.id === task.ip && x.target.port === lb.containerPort && x.target.deregisteredAt === undefined);
      if (h?.health.state === "healthy") healthyTargets += 1;
      else allHealthy = false;
    }
  }
  const steady = running.length === desired && pending === 0 && draining === 0 && allHealthy;
  return { computedDesiredCount: desired, pendingCount: pending, runningCount: running.length + draining, stabilityStatus: steady ? "STEADY_STATE" : "STABILIZING", healthyTargets };
}

/** Task sets still listed at `t` (a deleted one is listed as DRAINING until its last task stopped). */
export function liveTaskSets(service: Service, t: number): TaskSet[] {
  return service.taskSets.filter((ts) => ts.createdAt <= t && (ts.goneAt === undefined || ts.goneAt > t));
}

/**
 * The ECS deployment circuit breaker's failed-task threshold: half the desired count rounded up, at
 * least 3 and at most 200 (ECS developer guide, "How the Amazon ECS deployment circuit breaker
 * detects failures").
 */
export function circuitBreakerThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(desiredCount * 0.5)));
}

export interface DeploymentView {
  status: "PRIMARY" | "ACTIVE";
  rolloutState: "IN_PROGRESS" | "COMPLETED" | "FAILED";
  rolloutStateReason: string;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
}

/** When a rolling deployment's tasks run (undefined: not yet decided) and when the circuit breaker would fail it (undefined: no breaker). */
function rolloutTimes(service: Service, d: Deployment, tds: TaskDefinitions) {
  const from = d.settled ? Number.NEGATIVE_INFINITY : tds.startsFrom(d.taskDefinition, d.createdAt);
  const runningAt = from === undefined ? undefined : from === Number.NEGATIVE_INFINITY ? from : Math.max(from, d.createdAt) + service.taskStartSeconds;
  const failsAt = service.circuitBreaker && !d.settled ? d.createdAt + circuitBreakerThreshold(d.desiredCount) * Math.max(1, service.taskStartSeconds) : undefined;
  return { from, runningAt, failsAt };
}

/** The second at which the circuit breaker fails this deployment, as far as the world has decided (undefined: it does not fail). */
export function breakerFailsAt(service: Service, d: Deployment, tds: TaskDefinitions): number | undefined {
  const { runningAt, failsAt } = rolloutTimes(service, d, tds);
  return failsAt !== undefined && (runningAt === undefined || runningAt >= failsAt) ? failsAt : undefined;
}

/**
 * A rolling deployment at `t`: its tasks run `taskStartSeconds` after the task definition lets them
 * start; until then every attempt fails after `taskStartSeconds`, and with the circuit breaker on the
 * deployment is FAILED once the failures reach the threshold. Reasons are ECS's wording; a rollback in
 * progress says "ECS deployment circuit breaker: rolling back to deploymentId <id>." (the id of the
 * deployment rolled back to): the AWS docs do not quote it, this is the DescribeServices output users
 * publish (UNCONFIRMED wording).
 */
export function deploymentView(service: Service, d: Deployment, tds: TaskDefinitions, t: number): DeploymentView {
  const status = d === service.deployments.at(-1) ? "PRIMARY" : "ACTIVE";
  const { from, runningAt, failsAt } = rolloutTimes(service, d, tds);
  const failedBy = (x: number) => (from === d.createdAt ? 0 : Math.max(0, Math.floor((Math.min(x, runningAt ?? x) - d.createdAt) / Math.max(1, service.taskStartSeconds))));
  const completed = runningAt !== undefined && runningAt <= t && (failsAt === undefined || runningAt < failsAt);
  if (completed) return { status, rolloutState: "COMPLETED", rolloutStateReason: `ECS deployment ${d.id} completed.`, runningCount: d.desiredCount, pendingCount: 0, failedTasks: failedBy(t) };
  if (failsAt !== undefined && failsAt <= t) return { status, rolloutState: "FAILED", rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.", runningCount: 0, pendingCount: 0, failedTasks: failedBy(failsAt) };
  const reason = d.rollbackOf ? `ECS deployment circuit breaker: rolling back to deploymentId ${d.rollbackOf.to}.` : `ECS deployment ${d.id} in progress.`;
  return { status, rolloutState: "IN_PROGRESS", rolloutStateReason: reason, runningCount: 0, pendingCount: d.desiredCount, failedTasks: failedBy(t) };
}

/**
 * The deployments DescribeServices lists at `t`: the PRIMARY, and the older ones until the PRIMARY
 * completed (their tasks are then stopped): those COMPLETED, and the FAILED one a rollback in progress
 * replaces.
 */
export function liveDeployments(service: Service, tds: TaskDefinitions, t: number): { deployment: Deployment; view: DeploymentView }[] {
  const all = service.deployments.filter((d) => d.createdAt <= t).map((deployment) => ({ deployment, view: deploymentView(service, deployment, tds, t) }));
  const primary = all.at(-1);
  if (primary?.view.rolloutState === "COMPLETED") return [primary];
  const failed = primary?.deployment.rollbackOf?.failed;
  return all.filter((x) => x === primary || x.view.rolloutState === "COMPLETED" || x.deployment.id === failed).reverse();
}
