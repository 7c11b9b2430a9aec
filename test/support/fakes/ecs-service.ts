import type { CreateTaskSetPlan } from "../../../functions/domain/ecs/task-set-plan.js";
import { ErrorNames, StepDeployError } from "../../../functions/domain/errors.js";
import type { EcsServicePort, ServiceState, TaskDefinitionState, TaskSetState } from "../../../functions/ports/ecs-service.js";

/** ECS services with task sets in memory, keyed `cluster/service`; task sets created here are steady at once. */
export class FakeEcsService implements EcsServicePort {
  readonly services = new Map<string, ServiceState>();
  readonly taskDefinitions = new Map<string, TaskDefinitionState>();
  readonly calls: string[] = [];

  private service(cluster: string, service: string): ServiceState {
    const s = this.services.get(`${cluster}/${service}`);
    if (!s) throw new StepDeployError(ErrorNames.ResourceNotFound, `service ${cluster}/${service} not found`);
    return s;
  }

  async describeService(cluster: string, service: string): Promise<ServiceState> {
    return structuredClone(this.service(cluster, service));
  }

  async describeTaskDefinition(ref: string): Promise<TaskDefinitionState> {
    const td = this.taskDefinitions.get(ref) ?? [...this.taskDefinitions.values()].find((t) => t.arn === ref || `${t.family}:${t.revision}` === ref);
    if (!td) throw new StepDeployError(ErrorNames.ResourceNotFound, `task definition ${ref} not found`);
    return structuredClone(td);
  }

  async registerTaskDefinition(body: Record<string, unknown>): Promise<TaskDefinitionState> {
    const family = String(body.family);
    const revision = [...this.taskDefinitions.values()].filter((t) => t.family === family).length + 1;
    const td = { arn: `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${revision}`, family, revision, body };
    this.taskDefinitions.set(td.arn, td);
    return td;
  }

  async createTaskSet(plan: CreateTaskSetPlan): Promise<TaskSetState> {
    this.calls.push(`CreateTaskSet ${plan.taskDefinition}`);
    const s = this.service(plan.cluster, plan.service);
    const existing = s.taskSets.find((t) => t.externalId === plan.externalId);
    if (existing) return structuredClone(existing);
    const id = `ecs-svc/${s.taskSets.length + 1}`;
    const taskSet: TaskSetState = {
      id,
      arn: `${s.arn}/task-set/${id}`,
      status: "ACTIVE",
      taskDefinition: plan.taskDefinition,
      externalId: plan.externalId,
      targetGroupArns: plan.loadBalancers.map((l) => l.targetGroupArn),
      computedDesiredCount: s.desiredCount,
      runningCount: s.desiredCount,
      pendingCount: 0,
      stabilityStatus: "STEADY_STATE",
      scale: 100,
    };
    s.taskSets.push(taskSet);
    return structuredClone(taskSet);
  }

  async describeTaskSet(cluster: string, service: string, taskSet: string): Promise<TaskSetState | undefined> {
    return structuredClone(this.service(cluster, service).taskSets.find((t) => t.id === taskSet || t.arn === taskSet));
  }

  async updateServicePrimaryTaskSet(cluster: string, service: string, taskSet: string): Promise<void> {
    this.calls.push(`UpdateServicePrimaryTaskSet ${taskSet}`);
    for (const t of this.service(cluster, service).taskSets) t.status = t.id === taskSet || t.arn === taskSet ? "PRIMARY" : "ACTIVE";
  }

  async deleteTaskSet(cluster: string, service: string, taskSet: string): Promise<void> {
    this.calls.push(`DeleteTaskSet ${taskSet}`);
    const s = this.service(cluster, service);
    s.taskSets = s.taskSets.filter((t) => t.id !== taskSet && t.arn !== taskSet);
  }

  async updateServiceTaskDefinition(cluster: string, service: string, taskDefinition: string): Promise<ServiceState> {
    this.calls.push(`UpdateService ${taskDefinition}`);
    const s = this.service(cluster, service);
    if (s.deploymentController !== "ECS") throw new StepDeployError(ErrorNames.InvalidInput, `UpdateService: InvalidParameterException: ${s.deploymentController} controller`);
    const old = (s.deployments ?? []).map((d) => ({ ...d, status: "ACTIVE" }));
    const id = `ecs-svc/${(s.deployments ?? []).length + 1}`;
    s.taskDefinition = taskDefinition;
    s.deployments = [{ id, status: "PRIMARY", taskDefinition, rolloutState: "IN_PROGRESS", rolloutStateReason: `ECS deployment ${id} in progress.`, desiredCount: s.desiredCount, runningCount: 0, failedTasks: 0 }, ...old];
    return structuredClone(s);
  }

  /** The deployment circuit breaker with rollback: the PRIMARY is FAILED and a new PRIMARY rolls back to the last COMPLETED deployment's task definition. */
  circuitBreakerRollback(cluster: string, service: string) {
    const s = this.service(cluster, service);
    const [failed, ...older] = s.deployments ?? [];
    const to = older.find((d) => d.rolloutState === "COMPLETED");
    if (!failed || !to) return;
    Object.assign(failed, { status: "ACTIVE", rolloutState: "FAILED", rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.", runningCount: 0 });
    const id = `ecs-svc/${(s.deployments ?? []).length + 1}`;
    s.taskDefinition = to.taskDefinition;
    s.deployments = [{ id, status: "PRIMARY", taskDefinition: to.taskDefinition, rolloutState: "IN_PROGRESS", rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${to.id}.`, desiredCount: s.desiredCount, runningCount: 0, failedTasks: 0 }, failed, ...older];
  }

  /** Ends the PRIMARY rollout of a rolling service (what time does in ECS). */
  finishRollout(cluster: string, service: string, rolloutState: "COMPLETED" | "FAILED", reason = rolloutState === "FAILED" ? "ECS deployment circuit breaker: tasks failed to start." : "completed") {
    const s = this.service(cluster, service);
    const primary = s.deployments?.[0];
    if (primary) Object.assign(primary, { rolloutState, rolloutStateReason: reason, runningCount: rolloutState === "COMPLETED" ? primary.desiredCount : 0 });
    if (rolloutState === "COMPLETED") s.deployments = s.deployments?.slice(0, 1);
  }
}
