import type { Elbv2World } from "../elbv2/world.js";
import type { Service, Task, TaskSet } from "./model.js";

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
