import { createHash } from "node:crypto";
import type { SimClock } from "../../clock.js";
import type { Elbv2World } from "../elbv2/world.js";
import { AwsError } from "../shared/protocol/errors.js";
import type { Cluster, ContainerDefinition, LoadBalancerRef, Service, Task, TaskDefinition, TaskSet, TaskSetChange } from "./model.js";
import { TaskDefinitions, invalidParameter } from "./task-definitions.js";
import { breakerFailsAt, deploymentView, liveDeployments, liveTaskSets, taskSetView } from "./views.js";

/** At most five task sets (ECS calls them deployments) per service: "5 deployments exist on the service. Unable to create new TaskSet since this exceeds the maximum limit." (aws-samples/ecs-bg-external-controller#6). */
export const MAX_TASK_SETS = 5;
/** Default seconds from launch to RUNNING (a Fargate task pulling a small image). */
export const DEFAULT_TASK_START_SECONDS = 30;

export interface CreateTaskSetRequest {
  taskDefinition: string;
  externalId?: string;
  networkConfiguration?: unknown;
  loadBalancers: LoadBalancerRef[];
  launchType?: string;
  capacityProviderStrategy?: unknown[];
  platformVersion?: string;
  scale?: { value: number; unit?: string };
  clientToken?: string;
}

/**
 * The simulated ECS: clusters, services, task definitions, and for services with the EXTERNAL
 * deployment controller their task sets (CreateTaskSet, UpdateTaskSet, UpdateServicePrimaryTaskSet,
 * DeleteTaskSet) with tasks that start after the service's `taskStartSeconds`, register their IP in
 * the task set's target groups when they run, and drain for the group's deregistration delay when
 * stopped. What ECS refuses is refused with its error names; messages quoted from AWS are cited,
 * the others are ours.
 */
export class EcsWorld {
  readonly clusters = new Map<string, Cluster>();
  readonly services = new Map<string, Service>();
  readonly taskDefinitions: TaskDefinitions;
  readonly taskSetHistory: TaskSetChange[] = [];
  private counter = 0;

  constructor(
    private readonly clock: SimClock,
    private readonly region: string,
    private readonly accountId: string,
    private readonly elbv2: () => Elbv2World,
  ) {
    this.taskDefinitions = new TaskDefinitions(region, accountId, () => this.now());
  }

  now(): number {
    return this.clock.elapsedSeconds();
  }

  private arn(resource: string): string {
    return `arn:aws:ecs:${this.region}:${this.accountId}:${resource}`;
  }

  private digits(n: number): string {
    this.counter += 1;
    const hex = createHash("sha256").update(`${this.accountId}:${this.counter}`).digest("hex");
    return BigInt(`0x${hex.slice(0, 15)}`).toString().padStart(n, "1").slice(0, n);
  }

  // ---- creation (setup) --------------------------------------------------------------------

  clusterArn(name: string): string {
    return this.arn(`cluster/${name}`);
  }

  createCluster(name: string): Cluster {
    const cluster = { name, arn: this.clusterArn(name) };
    this.clusters.set(name, cluster);
    return cluster;
  }

  createService(cluster: Cluster, spec: { name: string; desiredCount: number; deploymentController: Service["deploymentController"]; launchType?: string; networkConfiguration?: unknown; loadBalancers: LoadBalancerRef[]; taskStartSeconds?: number; circuitBreaker?: boolean; circuitBreakerRollback?: boolean }): Service {
    const service: Service = {
      ...spec,
      circuitBreaker: spec.circuitBreaker ?? false,
      circuitBreakerRollback: spec.circuitBreakerRollback ?? false,
      deployments: [],
      arn: this.arn(`service/${cluster.name}/${spec.name}`),
      cluster,
      taskStartSeconds: spec.taskStartSeconds ?? DEFAULT_TASK_START_SECONDS,
      status: "ACTIVE",
      createdAt: this.now(),
      taskSets: [],
    };
    this.services.set(service.arn, service);
    return service;
  }

  // ---- lookups -----------------------------------------------------------------------------

  /** A cluster by short name or ARN (default `default`): ClusterNotFoundException "Cluster not found.". */
  cluster(ref: string | undefined): Cluster {
    const name = (ref ?? "default").replace(/^arn:aws[a-zA-Z-]*:ecs:[^:]+:\d{12}:cluster\//, "");
    const cluster = this.clusters.get(name);
    if (!cluster) throw new AwsError("ClusterNotFoundException", "Cluster not found.", { status: 400 });
    return cluster;
  }

  findService(cluster: Cluster, ref: string): Service | undefined {
    const name = ref.split("/").at(-1) as string;
    return [...this.services.values()].find((s) => s.cluster === cluster && (s.name === name || s.arn === ref));
  }

  /** ServiceNotFoundException "Service not found."; task set operations also need the EXTERNAL controller. */
  service(cluster: Cluster, ref: string | undefined, opts: { taskSets?: boolean } = {}): Service {
    const service = ref ? this.findService(cluster, ref) : undefined;
    if (!service) throw new AwsError("ServiceNotFoundException", "Service not found.", { status: 400 });
    if (opts.taskSets && service.deploymentController !== "EXTERNAL") {
      // quoted from the AWS CLI in hashicorp/terraform-provider-aws#30347
      throw invalidParameter("Amazon ECS only supports task set management on services configured to use external deployment controllers.");
    }
    return service;
  }

  findTaskSet(service: Service, ref: string): TaskSet | undefined {
    return liveTaskSets(service, this.now()).find((ts) => ts.id === ref || ts.arn === ref);
  }

  taskSet(service: Service, ref: string | undefined): TaskSet {
    const ts = ref ? this.findTaskSet(service, ref) : undefined;
    if (!ts) throw new AwsError("TaskSetNotFoundException", "The specified task set does not exist.", { status: 400 });
    return ts;
  }

  primary(service: Service): TaskSet | undefined {
    return liveTaskSets(service, this.now()).find((ts) => ts.status === "PRIMARY");
  }

  // ---- rolling deployments (ECS controller) --------------------------------------------------

  /** `setup`: the service's deployment of `taskDefinition`, completed long ago. */
  settledDeployment(service: Service, taskDefinition: string): void {
    const td = this.taskDefinitions.find(taskDefinition);
    if (!td) throw invalidParameter("TaskDefinition not found.");
    service.deployments.push({ id: `ecs-svc/${this.digits(19)}`, taskDefinition: td, desiredCount: service.desiredCount, createdAt: this.now(), updatedAt: this.now(), settled: true });
  }

  /**
   * UpdateService on a service with the ECS controller: a new task definition (or forceNewDeployment)
   * starts a new PRIMARY deployment; the previous one is ACTIVE until the new one completed. Only the
   * ECS controller takes a task definition here (ECS API reference, UpdateService: with CODE_DEPLOY
   * "create a new CodeDeploy deployment", with EXTERNAL "create a new task set").
   */
  updateService(service: Service, req: { taskDefinition?: string; desiredCount?: number; forceNewDeployment?: boolean }): void {
    this.settleRollback(service);
    if (req.taskDefinition !== undefined && service.deploymentController === "CODE_DEPLOY") {
      // ECS's answer as users report it; the API reference documents the rule, not this text (UNCONFIRMED wording)
      throw invalidParameter("Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.");
    }
    if (req.taskDefinition !== undefined && service.deploymentController === "EXTERNAL") throw invalidParameter("Unable to update task definition on services with a EXTERNAL deployment controller. Create a new task set instead."); // our wording
    const td = req.taskDefinition === undefined ? undefined : this.taskDefinitions.find(req.taskDefinition);
    if (req.taskDefinition !== undefined && !td) throw invalidParameter("TaskDefinition not found.");
    if (req.desiredCount !== undefined) {
      if (!Number.isInteger(req.desiredCount) || req.desiredCount < 0) throw invalidParameter("desiredCount must be a whole number, 0 or more.");
      service.desiredCount = req.desiredCount;
    }
    const primary = service.deployments.at(-1);
    const next = td ?? primary?.taskDefinition;
    if (!next || (next === primary?.taskDefinition && !req.forceNewDeployment)) return;
    const d = { id: `ecs-svc/${this.digits(19)}`, taskDefinition: next, desiredCount: service.desiredCount, createdAt: this.now(), updatedAt: this.now() };
    service.deployments.push(d);
    this.taskSetHistory.push({ atSeconds: this.now(), service: `${service.cluster.name}/${service.name}`, taskSet: d.id, operation: "UpdateService", detail: `${next.family}:${next.revision} rolling out` });
  }

  /**
   * With `deploymentCircuitBreaker.rollback`, a PRIMARY deployment the circuit breaker failed is rolled
   * back "to the last deployment that completed successfully" (ECS API reference,
   * DeploymentCircuitBreaker; developer guide, "Amazon ECS deployment failure detection": "The rollback
   * method requires a previous deployment in COMPLETED state"): at the second it failed, a new PRIMARY
   * deployment of that deployment's task definition starts, and the failed one stays listed, ACTIVE and
   * FAILED, until the rollback completed. Derived from the dates the world decided, so it is applied
   * whenever the service is looked at or updated. A rollback that fails is not rolled back again (our
   * choice: ECS documents no chain of rollbacks).
   */
  settleRollback(service: Service): void {
    const failed = service.deployments.at(-1);
    if (!failed || !service.circuitBreakerRollback || failed.rollbackOf || failed.settled) return;
    const at = breakerFailsAt(service, failed, this.taskDefinitions);
    if (at === undefined || at > this.now()) return;
    // the last deployment that COMPLETED while it was PRIMARY (before the next one started)
    const earlier = service.deployments.slice(0, -1);
    const to = earlier.reverse().find((d, i, rev) => deploymentView(service, d, this.taskDefinitions, (i === 0 ? failed : (rev[i - 1] as typeof d)).createdAt).rolloutState === "COMPLETED");
    if (!to) return;
    const d = { id: `ecs-svc/${this.digits(19)}`, taskDefinition: to.taskDefinition, desiredCount: service.desiredCount, createdAt: at, updatedAt: at, rollbackOf: { failed: failed.id, to: to.id } };
    service.deployments.push(d);
    this.taskSetHistory.push({ atSeconds: at, service: `${service.cluster.name}/${service.name}`, taskSet: d.id, operation: "CircuitBreakerRollback", detail: `${failed.id} failed; rolling back to ${to.id} (${to.taskDefinition.family}:${to.taskDefinition.revision})` });
  }

  /** The deployments DescribeServices lists now (PRIMARY first), after any circuit breaker rollback that is due. */
  rollingDeployments(service: Service) {
    this.settleRollback(service);
    return liveDeployments(service, this.taskDefinitions, this.now());
  }

  // ---- task sets ---------------------------------------------------------------------------

  /** `setup`: the service's PRIMARY task set whose tasks have run for long (not in taskSetHistory). */
  createTaskSet(service: Service, req: CreateTaskSetRequest, opts: { setup?: boolean } = {}): TaskSet {
    const now = this.now();
    if (req.clientToken) {
      const same = service.taskSets.find((ts) => ts.clientToken === req.clientToken);
      if (same) return same;
    }
    if (liveTaskSets(service, now).length >= MAX_TASK_SETS) throw invalidParameter(`${MAX_TASK_SETS} deployments exist on the service. Unable to create new TaskSet since this exceeds the maximum limit.`);
    const td = this.taskDefinitions.find(req.taskDefinition);
    if (!td) throw invalidParameter("TaskDefinition not found.");
    if (req.launchType && req.capacityProviderStrategy?.length) throw invalidParameter("Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.");
    const awsvpc = td.body.networkMode === "awsvpc";
    const networkConfiguration = req.networkConfiguration;
    if (awsvpc && !networkConfiguration) throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    for (const lb of req.loadBalancers) this.checkLoadBalancer(td, lb, awsvpc);
    const scale = req.scale ?? { value: 100 };
    if (!(scale.value >= 0 && scale.value <= 100)) throw invalidParameter("The scale value must be a number between 0 and 100.");
    if (scale.unit !== undefined && scale.unit !== "PERCENT") throw invalidParameter("The scale unit must be PERCENT.");
    const id = `ecs-svc/${this.digits(19)}`;
    const at = now;
    const ts: TaskSet = {
      id,
      arn: this.arn(`task-set/${service.cluster.name}/${service.name}/${id}`),
      serviceArn: service.arn,
      clusterArn: service.cluster.arn,
      ...(req.externalId ? { externalId: req.externalId } : {}),
      taskDefinition: td,
      status: opts.setup ? "PRIMARY" : "ACTIVE",
      scale: { value: scale.value, unit: "PERCENT" },
      ...(req.launchType ? { launchType: req.launchType } : {}),
      ...(req.capacityProviderStrategy?.length ? { capacityProviderStrategy: req.capacityProviderStrategy } : {}),
      ...(req.platformVersion ? { platformVersion: req.platformVersion } : req.launchType === "FARGATE" ? { platformVersion: "1.4.0" } : {}),
      ...(networkConfiguration ? { networkConfiguration } : {}),
      loadBalancers: req.loadBalancers,
      createdAt: at,
      updatedAt: at,
      ...(req.clientToken ? { clientToken: req.clientToken } : {}),
      tasks: [],
    };
    service.taskSets.push(ts);
    this.scaleTo(service, ts, opts.setup ? Number.NEGATIVE_INFINITY : at);
    if (!opts.setup) this.record(service, ts, "CreateTaskSet", `${td.family}:${td.revision} at ${scale.value}%${req.loadBalancers.length ? ` -> ${req.loadBalancers.map((l) => this.elbv2().targetGroup(l.targetGroupArn).name).join(", ")}` : ""}`);
    return ts;
  }

  /**
   * What ECS checks of a task set's load balancer: the container and its port in the task definition,
   * the target group, its load balancer ("The target group with targetGroupArn <arn> does not have an
   * associated load balancer."), and an `ip` target type for awsvpc tasks.
   */
  private checkLoadBalancer(td: TaskDefinition, lb: LoadBalancerRef, awsvpc: boolean): void {
    const containers = (td.body.containerDefinitions as ContainerDefinition[]) ?? [];
    const container = containers.find((c) => c.name === lb.containerName);
    if (!container) throw invalidParameter(`The container ${lb.containerName} does not exist in the task definition.`);
    if (!(container.portMappings ?? []).some((p) => p.containerPort === lb.containerPort)) {
      throw invalidParameter(`The container ${lb.containerName} did not have a container port ${lb.containerPort} defined.`);
    }
    const elbv2 = this.elbv2();
    const tg = elbv2.targetGroups.get(lb.targetGroupArn);
    if (!tg) throw invalidParameter(`Unable to describe target group ${lb.targetGroupArn}.`);
    if (elbv2.loadBalancersUsing(tg.arn).length === 0) throw invalidParameter(`The target group with targetGroupArn ${tg.arn} does not have an associated load balancer.`);
    if (awsvpc && tg.targetType !== "ip") {
      throw invalidParameter(`The provided target group ${tg.arn} has target type ${tg.targetType}, which is incompatible with the awsvpc network mode specified in the task definition.`);
    }
  }

  updateTaskSet(service: Service, ts: TaskSet, scale: { value: number; unit?: string }): TaskSet {
    if (!(scale.value >= 0 && scale.value <= 100)) throw invalidParameter("The scale value must be a number between 0 and 100.");
    if (ts.status === "DRAINING") throw invalidParameter("The task set is being deleted.");
    ts.scale = { value: scale.value, unit: "PERCENT" };
    ts.updatedAt = this.now();
    this.scaleTo(service, ts, this.now());
    this.record(service, ts, "UpdateTaskSet", `scale ${scale.value}%`);
    return ts;
  }

  updatePrimary(service: Service, ts: TaskSet): TaskSet {
    if (ts.status === "DRAINING") throw invalidParameter("The task set is being deleted and cannot become the primary task set.");
    const previous = this.primary(service);
    if (previous && previous !== ts) {
      previous.status = "ACTIVE";
      previous.updatedAt = this.now();
    }
    ts.status = "PRIMARY";
    ts.updatedAt = this.now();
    this.record(service, ts, "UpdateServicePrimaryTaskSet", `${ts.taskDefinition.family}:${ts.taskDefinition.revision} is primary`);
    return ts;
  }

  /** DeleteTaskSet: the task set drains (its targets deregister, its tasks stop after the delay) and is gone once the last task stopped. */
  deleteTaskSet(service: Service, ts: TaskSet, force: boolean): TaskSet {
    if (ts.status === "PRIMARY") throw invalidParameter("The primary task set of a service cannot be deleted; make another task set primary first.");
    if (ts.status === "DRAINING") return ts;
    if (ts.scale.value > 0 && !force) throw invalidParameter("The task set has a scale above 0: scale it to 0 first, or use force.");
    const now = this.now();
    ts.status = "DRAINING";
    ts.updatedAt = now;
    for (const task of ts.tasks) this.stop(ts, task, now);
    ts.goneAt = Math.max(now, ...ts.tasks.map((t) => t.stoppedAt ?? now));
    this.record(service, ts, "DeleteTaskSet", `${ts.taskDefinition.family}:${ts.taskDefinition.revision} draining until ${ts.goneAt} s`);
    return ts;
  }

  /** Launches or stops tasks so that the task set has its computed desired count (newest stopped first). */
  private scaleTo(service: Service, ts: TaskSet, at: number): void {
    const active = ts.tasks.filter((t) => t.stoppingAt === undefined);
    const desired = Math.ceil((service.desiredCount * ts.scale.value) / 100 - 1e-9);
    for (let i = active.length; i < desired; i++) this.launch(service, ts, at);
    for (const task of active.slice(desired).reverse()) this.stop(ts, task, at);
  }

  private launch(service: Service, ts: TaskSet, at: number): void {
    const n = this.counter + 1;
    const task: Task = {
      arn: this.arn(`task/${service.cluster.name}/${createHash("sha256").update(`${this.accountId}:task:${n}`).digest("hex").slice(0, 32)}`),
      ip: `10.0.${Math.floor(n / 250) % 250}.${(n % 250) + 4}`,
      createdAt: at,
    };
    this.counter += 1;
    ts.tasks.push(task);
    const from = this.taskDefinitions.startsFrom(ts.taskDefinition, at);
    if (from !== undefined) this.start(service, ts, task, from === Number.NEGATIVE_INFINITY || at === Number.NEGATIVE_INFINITY ? at : from + service.taskStartSeconds);
  }

  private start(_service: Service, ts: TaskSet, task: Task, at: number): void {
    task.startedAt = at;
    for (const lb of ts.loadBalancers) this.elbv2().registerTargets(lb.targetGroupArn, [{ id: task.ip, port: lb.containerPort }], { at, app: ts.taskDefinition.app });
  }

  private stop(ts: TaskSet, task: Task, at: number): void {
    if (task.stoppingAt !== undefined) return;
    task.stoppingAt = at;
    const elbv2 = this.elbv2();
    let stoppedAt = at;
    for (const lb of ts.loadBalancers) {
      elbv2.deregisterTargets(lb.targetGroupArn, [{ id: task.ip, port: lb.containerPort }], at);
      if (task.startedAt !== undefined && task.startedAt <= at) stoppedAt = Math.max(stoppedAt, elbv2.drainedAt(lb.targetGroupArn, at));
    }
    task.stoppedAt = stoppedAt;
  }

  /** A task definition's tasks start from `at` on (timeline): tasks that were failing to start are launched again. */
  resumeStarts(td: TaskDefinition, at: number): void {
    for (const service of this.services.values()) {
      for (const ts of service.taskSets) {
        if (ts.taskDefinition !== td) continue;
        for (const task of ts.tasks) if (task.startedAt === undefined && task.stoppingAt === undefined) this.start(service, ts, task, at + service.taskStartSeconds);
      }
    }
  }

  private record(service: Service, ts: TaskSet, operation: TaskSetChange["operation"], detail: string): void {
    this.taskSetHistory.push({ atSeconds: this.now(), service: `${service.cluster.name}/${service.name}`, taskSet: ts.id, operation, detail });
  }

  /** The task sets of a service at `t`, as DescribeTaskSets shows them (observations and tests). */
  taskSetsAt(service: Service, t = this.now()) {
    return liveTaskSets(service, t).map((ts) => ({ taskSet: ts, ...taskSetView(service, ts, this.elbv2(), t) }));
  }
}
