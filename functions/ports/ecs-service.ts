import type { CreateTaskSetPlan, OriginalTaskSet } from "../domain/ecs/task-set-plan.js";

export interface TaskSetState extends OriginalTaskSet {
  id: string;
  arn: string;
  status: string;
  taskDefinition: string;
  externalId?: string;
  targetGroupArns: string[];
  computedDesiredCount: number;
  runningCount: number;
  pendingCount: number;
  stabilityStatus: string;
  scale: number;
}

export interface ServiceState {
  arn: string;
  name: string;
  cluster: string;
  deploymentController: string;
  desiredCount: number;
  taskSets: TaskSetState[];
  /** The service's task definition (the PRIMARY deployment's). */
  taskDefinition?: string;
  /** ECS (rolling update) controller: its deployments, PRIMARY first. */
  deployments?: RollingDeploymentState[];
}

/** A deployment of the ECS (rolling update) controller, as DescribeServices lists it. */
export interface RollingDeploymentState {
  id: string;
  status: string;
  taskDefinition: string;
  rolloutState: string;
  rolloutStateReason: string;
  desiredCount: number;
  runningCount: number;
  failedTasks: number;
}

export interface TaskDefinitionState {
  arn: string;
  family: string;
  revision: number;
  /** The RegisterTaskDefinition members as DescribeTaskDefinition returns them (for releases: a new revision from this one). */
  body: Record<string, unknown>;
}

/** ECS as a blue/green deployment with the EXTERNAL controller and a pipeline's ECS (rolling) deploy action use it. Missing clusters, services and task definitions are `Deploy.ResourceNotFound`. */
export interface EcsServicePort {
  describeService(cluster: string, service: string): Promise<ServiceState>;
  describeTaskDefinition(ref: string): Promise<TaskDefinitionState>;
  registerTaskDefinition(body: Record<string, unknown>): Promise<TaskDefinitionState>;
  /** CreateTaskSet; the plan's client token makes a retried call return the same task set. */
  createTaskSet(plan: CreateTaskSetPlan): Promise<TaskSetState>;
  /** The task set, or undefined once it is gone. */
  describeTaskSet(cluster: string, service: string, taskSet: string): Promise<TaskSetState | undefined>;
  updateServicePrimaryTaskSet(cluster: string, service: string, taskSet: string): Promise<void>;
  /** DeleteTaskSet with force; a task set already gone is not an error. */
  deleteTaskSet(cluster: string, service: string, taskSet: string): Promise<void>;
  /** UpdateService with a new task definition (ECS controller): a rolling deployment starts; the service as UpdateService returns it. */
  updateServiceTaskDefinition(cluster: string, service: string, taskDefinition: string): Promise<ServiceState>;
}
