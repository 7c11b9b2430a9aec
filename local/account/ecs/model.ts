import type { ModeHistory } from "../elbv2/modes.js";

/**
 * The resources of the simulated ECS as the world keeps them. Times are simulated seconds; a task's
 * start, stop and its target registration are dated when they are decided (a task that starts in 20 s
 * is registered in its target group from then on), and every count is derived from those dates at the
 * moment it is asked for (views.ts).
 */
export type TaskBehaviour = "healthy" | "unhealthy" | "fail-to-start";
export const TASK_BEHAVIOURS: readonly TaskBehaviour[] = ["healthy", "unhealthy", "fail-to-start"];

export interface Cluster {
  name: string;
  arn: string;
}

export interface TaskDefinition {
  family: string;
  revision: number;
  arn: string;
  status: "ACTIVE" | "INACTIVE";
  /** The request's members as registered (containerDefinitions, networkMode, cpu, memory, ...). */
  body: Record<string, unknown>;
  registeredAtSeconds: number;
  /** Whether its tasks answer health checks (shared with the targets they register). */
  app: ModeHistory;
  /** Whether its tasks start: `{at, fails}` changes over time. */
  starts: { at: number; fails: boolean }[];
}

export interface ContainerDefinition {
  name?: string;
  image?: string;
  portMappings?: { containerPort?: number; hostPort?: number; protocol?: string }[];
  [key: string]: unknown;
}

export interface LoadBalancerRef {
  targetGroupArn: string;
  containerName: string;
  containerPort: number;
}

export interface Task {
  arn: string;
  /** Private IP (awsvpc): the target registered in the target group. */
  ip: string;
  createdAt: number;
  /** When it reaches RUNNING; undefined while its task definition fails to start. */
  startedAt?: number;
  /** When it was told to stop (scale-in or task set deletion): deregistered from the target group then. */
  stoppingAt?: number;
  /** When it is STOPPED (after the target group's deregistration delay). */
  stoppedAt?: number;
}

export interface TaskSet {
  id: string;
  arn: string;
  serviceArn: string;
  clusterArn: string;
  externalId?: string;
  taskDefinition: TaskDefinition;
  status: "PRIMARY" | "ACTIVE" | "DRAINING";
  scale: { value: number; unit: "PERCENT" };
  launchType?: string;
  capacityProviderStrategy?: unknown[];
  platformVersion?: string;
  networkConfiguration?: unknown;
  loadBalancers: LoadBalancerRef[];
  createdAt: number;
  updatedAt: number;
  /** When a DRAINING task set's last task stopped: from then on it is gone. */
  goneAt?: number;
  clientToken?: string;
  tasks: Task[];
}

export interface Service {
  name: string;
  arn: string;
  cluster: Cluster;
  desiredCount: number;
  deploymentController: "EXTERNAL" | "CODE_DEPLOY" | "ECS";
  launchType?: string;
  networkConfiguration?: unknown;
  loadBalancers: LoadBalancerRef[];
  /** Seconds from launch to RUNNING for its tasks. */
  taskStartSeconds: number;
  status: "ACTIVE";
  createdAt: number;
  taskSets: TaskSet[];
  /** The ECS (rolling update) controller's deployments, newest last: the last one is PRIMARY. */
  deployments: Deployment[];
  /** deploymentConfiguration.deploymentCircuitBreaker.enable. */
  circuitBreaker: boolean;
  /** deploymentConfiguration.deploymentCircuitBreaker.rollback: a FAILED rollout rolls the service back (EcsWorld.settleRollback). */
  circuitBreakerRollback: boolean;
}

/**
 * A rolling deployment of a service with the ECS deployment controller (ECS API reference,
 * Deployment). Its rolloutState is derived at the moment it is asked for (views.ts): COMPLETED once
 * its tasks run (the task definition's start behaviour plus the service's taskStartSeconds),
 * FAILED when the circuit breaker counted enough tasks that failed to start, IN_PROGRESS otherwise.
 */
export interface Deployment {
  id: string;
  taskDefinition: TaskDefinition;
  desiredCount: number;
  createdAt: number;
  updatedAt: number;
  /** The deployment the service had at setup: completed long ago. */
  settled?: boolean;
  /** The circuit breaker's rollback: started when `failed` failed, back to the task definition of `to` (the last COMPLETED deployment). */
  rollbackOf?: { failed: string; to: string };
}

/** A change of a service's task sets, for observations (`taskSetHistory`). */
export interface TaskSetChange {
  atSeconds: number;
  service: string;
  taskSet: string;
  operation: "CreateTaskSet" | "UpdateTaskSet" | "UpdateServicePrimaryTaskSet" | "DeleteTaskSet" | "UpdateService" | "CircuitBreakerRollback";
  detail: string;
}
