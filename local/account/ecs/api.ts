import type { SimClock } from "../../clock.js";
import { AwsError } from "../shared/protocol/errors.js";
import { JsonRpcApi, type JsonRpcProtocol } from "../shared/protocol/json-rpc.js";
import type { Handled } from "../shared/protocol/wire.js";
import type { FaultSpec } from "../shared/transport/faults.js";
import type { LoadBalancerRef, Service, TaskDefinition, TaskSet } from "./model.js";
import { clientError, invalidParameter } from "./task-definitions.js";
import { liveTaskSets, taskSetView } from "./views.js";
import type { EcsWorld } from "./world.js";
import type { Elbv2World } from "../elbv2/world.js";

/**
 * ECS over AWS JSON 1.1 as @aws-sdk/client-ecs 3.1164.0 speaks it (`AwsJson1_1Protocol`, X-Amz-Target
 * `AmazonEC2ContainerServiceV20141113.<Op>`, namespace `com.amazonaws.ecs`; timestamps in epoch seconds).
 * The operations a blue/green deployment with the EXTERNAL controller uses, and the task definition
 * calls a release needs.
 */
export const ECS_PROTOCOL: JsonRpcProtocol = { version: "1.1", target: "AmazonEC2ContainerServiceV20141113", namespace: "com.amazonaws.ecs" };

type Body = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const need = (b: Body, name: string): string => {
  const v = str(b[name]);
  if (!v) throw invalidParameter(`${name} can not be null or empty.`);
  return v;
};

export class EcsApi extends JsonRpcApi {
  readonly service = "ECS";
  protected readonly protocol = ECS_PROTOCOL;
  protected readonly ops: Record<string, (b: Body) => Handled> = {
    DescribeClusters: (b) => this.describeClusters(b),
    DescribeServices: (b) => this.describeServices(b),
    UpdateService: (b) => this.updateService(b),
    DescribeTaskSets: (b) => this.describeTaskSets(b),
    CreateTaskSet: (b) => this.createTaskSet(b),
    UpdateTaskSet: (b) => this.updateTaskSet(b),
    UpdateServicePrimaryTaskSet: (b) => this.updatePrimary(b),
    DeleteTaskSet: (b) => this.deleteTaskSet(b),
    RegisterTaskDefinition: (b) => this.registerTaskDefinition(b),
    DescribeTaskDefinition: (b) => this.describeTaskDefinition(b),
  };

  constructor(
    private readonly world: EcsWorld,
    private readonly elbv2: () => Elbv2World,
    private readonly clock: SimClock,
  ) {
    super();
  }

  /** ECS throttles with `ThrottlingException` ("Rate exceeded", HTTP 400) and fails with `ServerException` (HTTP 500). */
  faultError(kind: "throttle" | "5xx", _operation: string, fault: FaultSpec): AwsError {
    if (kind === "throttle") return new AwsError("ThrottlingException", "Rate exceeded", { status: 400 });
    return new AwsError("ServerException", "Service Unavailable. Please try again later. (simulated)", { status: fault.status ?? 500 });
  }

  // ---- clusters and services ---------------------------------------------------------------

  private describeClusters(b: Body): Handled {
    const refs = Array.isArray(b.clusters) && b.clusters.length ? (b.clusters as string[]) : ["default"];
    const clusters: Body[] = [];
    const failures: Body[] = [];
    for (const ref of refs) {
      const name = ref.split("/").at(-1) as string;
      const c = this.world.clusters.get(name);
      if (c) clusters.push({ clusterArn: c.arn, clusterName: c.name, status: "ACTIVE", activeServicesCount: [...this.world.services.values()].filter((s) => s.cluster === c).length });
      else failures.push({ arn: ref.startsWith("arn:") ? ref : this.world.clusterArn(ref), reason: "MISSING" });
    }
    return this.ok({ clusters, failures }, clusters.map((c) => c.clusterName).join(", "));
  }

  /** DescribeServices reports services it cannot find as `failures` with reason MISSING, not as an error. */
  private describeServices(b: Body): Handled {
    const cluster = this.world.cluster(str(b.cluster));
    const refs = Array.isArray(b.services) ? (b.services as string[]) : [];
    if (refs.length === 0) throw invalidParameter("Services cannot be empty.");
    const services: Body[] = [];
    const failures: Body[] = [];
    for (const ref of refs) {
      const s = this.world.findService(cluster, ref);
      if (s) services.push(this.serviceBody(s));
      else failures.push({ arn: ref.startsWith("arn:") ? ref : `${cluster.arn.replace(":cluster/", ":service/")}/${ref}`, reason: "MISSING" });
    }
    const parts = (s: Body) => ((s.taskSets ?? s.deployments) as Body[]).map((t) => `${t.status} ${String(t.taskDefinition).split("/").at(-1)}${t.rolloutState ? ` ${t.rolloutState}` : ""}`);
    return this.ok({ services, failures }, services.map((s) => `${s.serviceName} (${parts(s).join(", ")})`).join("; "));
  }

  /** UpdateService: `cluster` defaults to `default`; a task definition only for the ECS controller (world.updateService). */
  private updateService(b: Body): Handled {
    const service = this.world.service(this.world.cluster(str(b.cluster)), need(b, "service"));
    if (b.desiredCount !== undefined && typeof b.desiredCount !== "number") throw invalidParameter("desiredCount must be a number.");
    this.world.updateService(service, { ...(str(b.taskDefinition) ? { taskDefinition: str(b.taskDefinition) } : {}), ...(typeof b.desiredCount === "number" ? { desiredCount: b.desiredCount } : {}), forceNewDeployment: b.forceNewDeployment === true });
    const body = this.serviceBody(service);
    return this.ok({ service: body }, `${service.name}: ${String(body.taskDefinition ?? "").split("/").at(-1)}`);
  }

  // ---- task sets ---------------------------------------------------------------------------

  private describeTaskSets(b: Body): Handled {
    const service = this.world.service(this.world.cluster(need(b, "cluster")), need(b, "service"), { taskSets: true });
    const refs = Array.isArray(b.taskSets) ? (b.taskSets as string[]) : undefined;
    const live = liveTaskSets(service, this.world.now());
    const found = refs ? refs.flatMap((r) => live.filter((ts) => ts.id === r || ts.arn === r)) : live;
    const failures = (refs ?? []).filter((r) => !live.some((ts) => ts.id === r || ts.arn === r)).map((r) => ({ arn: r, reason: "MISSING" }));
    const taskSets = found.map((ts) => this.taskSetBody(service, ts));
    return this.ok({ taskSets, failures }, taskSets.map((t) => `${t.status} ${String(t.taskDefinition).split("/").at(-1)} ${t.runningCount}/${t.computedDesiredCount} ${t.stabilityStatus}`).join("; "));
  }

  private createTaskSet(b: Body): Handled {
    const service = this.world.service(this.world.cluster(need(b, "cluster")), need(b, "service"), { taskSets: true });
    const loadBalancers = (Array.isArray(b.loadBalancers) ? (b.loadBalancers as Body[]) : []).map((lb): LoadBalancerRef => {
      const targetGroupArn = str(lb.targetGroupArn);
      if (!targetGroupArn) throw invalidParameter("The simulated account models load balancers given by targetGroupArn.");
      const containerName = str(lb.containerName);
      if (!containerName || typeof lb.containerPort !== "number") throw invalidParameter("containerName and containerPort must be specified with a load balancer.");
      return { targetGroupArn, containerName, containerPort: lb.containerPort };
    });
    const scale = b.scale as { value?: number; unit?: string } | undefined;
    const ts = this.world.createTaskSet(service, {
      taskDefinition: need(b, "taskDefinition"),
      loadBalancers,
      ...(str(b.externalId) ? { externalId: str(b.externalId) } : {}),
      ...(b.networkConfiguration ? { networkConfiguration: b.networkConfiguration } : {}),
      ...(str(b.launchType) ? { launchType: str(b.launchType) } : {}),
      ...(Array.isArray(b.capacityProviderStrategy) ? { capacityProviderStrategy: b.capacityProviderStrategy } : {}),
      ...(str(b.platformVersion) ? { platformVersion: str(b.platformVersion) } : {}),
      ...(scale ? { scale: { value: Number(scale.value), ...(scale.unit ? { unit: scale.unit } : {}) } } : {}),
      ...(str(b.clientToken) ? { clientToken: str(b.clientToken) } : {}),
    });
    return this.ok({ taskSet: this.taskSetBody(service, ts) }, `${service.name}: ${ts.id} ${ts.taskDefinition.family}:${ts.taskDefinition.revision} at ${ts.scale.value}%`);
  }

  private updateTaskSet(b: Body): Handled {
    const service = this.world.service(this.world.cluster(need(b, "cluster")), need(b, "service"), { taskSets: true });
    const ts = this.world.taskSet(service, need(b, "taskSet"));
    const scale = b.scale as { value?: number; unit?: string } | undefined;
    if (!scale || typeof scale.value !== "number") throw invalidParameter("scale can not be null.");
    this.world.updateTaskSet(service, ts, { value: scale.value, ...(scale.unit ? { unit: scale.unit } : {}) });
    return this.ok({ taskSet: this.taskSetBody(service, ts) }, `${ts.id} scale ${scale.value}%`);
  }

  private updatePrimary(b: Body): Handled {
    const service = this.world.service(this.world.cluster(need(b, "cluster")), need(b, "service"), { taskSets: true });
    const ts = this.world.taskSet(service, need(b, "primaryTaskSet"));
    this.world.updatePrimary(service, ts);
    return this.ok({ taskSet: this.taskSetBody(service, ts) }, `${service.name}: ${ts.id} is primary`);
  }

  private deleteTaskSet(b: Body): Handled {
    const service = this.world.service(this.world.cluster(need(b, "cluster")), need(b, "service"), { taskSets: true });
    const ts = this.world.taskSet(service, need(b, "taskSet"));
    this.world.deleteTaskSet(service, ts, b.force === true);
    return this.ok({ taskSet: this.taskSetBody(service, ts) }, `${service.name}: ${ts.id} draining`);
  }

  // ---- task definitions --------------------------------------------------------------------

  private registerTaskDefinition(b: Body): Handled {
    const { tags: _tags, ...body } = b;
    const td = this.world.taskDefinitions.register(body);
    return this.ok({ taskDefinition: this.taskDefinitionBody(td) }, `${td.family}:${td.revision}`);
  }

  private describeTaskDefinition(b: Body): Handled {
    const ref = str(b.taskDefinition);
    if (!ref) throw clientError("Unable to describe task definition.");
    const td = this.world.taskDefinitions.describe(ref);
    return this.ok({ taskDefinition: this.taskDefinitionBody(td) }, `${ref} -> ${td.family}:${td.revision}`);
  }

  // ---- rendering ---------------------------------------------------------------------------

  private epoch(atSeconds: number): number {
    return (this.clock.now() - (this.clock.elapsedSeconds() - atSeconds) * 1000) / 1000;
  }

  private taskDefinitionBody(td: TaskDefinition): Body {
    const requires = Array.isArray(td.body.requiresCompatibilities) ? td.body.requiresCompatibilities : [];
    return { ...td.body, taskDefinitionArn: td.arn, family: td.family, revision: td.revision, status: td.status, compatibilities: ["EC2", ...requires.filter((r) => r !== "EC2")], registeredAt: this.epoch(Math.max(td.registeredAtSeconds, 0)) };
  }

  private taskSetBody(service: Service, ts: TaskSet): Body {
    const view = taskSetView(service, ts, this.elbv2(), this.world.now());
    return {
      id: ts.id,
      taskSetArn: ts.arn,
      serviceArn: ts.serviceArn,
      clusterArn: ts.clusterArn,
      ...(ts.externalId ? { externalId: ts.externalId } : {}),
      status: ts.status,
      taskDefinition: ts.taskDefinition.arn,
      computedDesiredCount: view.computedDesiredCount,
      pendingCount: view.pendingCount,
      runningCount: view.runningCount,
      createdAt: this.epoch(ts.createdAt),
      updatedAt: this.epoch(ts.updatedAt),
      ...(ts.launchType ? { launchType: ts.launchType } : {}),
      ...(ts.capacityProviderStrategy ? { capacityProviderStrategy: ts.capacityProviderStrategy } : {}),
      ...(ts.platformVersion ? { platformVersion: ts.platformVersion } : {}),
      ...(ts.networkConfiguration ? { networkConfiguration: ts.networkConfiguration } : {}),
      loadBalancers: ts.loadBalancers,
      scale: ts.scale,
      stabilityStatus: view.stabilityStatus,
      stabilityStatusAt: this.epoch(this.world.now()),
    };
  }

  private serviceBody(s: Service): Body {
    if (s.deploymentController === "ECS") return this.rollingServiceBody(s);
    const taskSets = liveTaskSets(s, this.world.now()).map((ts) => this.taskSetBody(s, ts));
    const primary = taskSets.find((t) => t.status === "PRIMARY");
    const counts = { runningCount: taskSets.reduce((n, t) => n + (t.runningCount as number), 0), pendingCount: taskSets.reduce((n, t) => n + (t.pendingCount as number), 0) };
    return { ...this.serviceFields(s, counts, primary?.taskDefinition as string | undefined), taskSets, createdAt: this.epoch(Math.max(s.createdAt, 0)) };
  }

  /** What DescribeServices says of every service, whatever its controller (field order as ECS answers). */
  private serviceFields(s: Service, counts: { runningCount: number; pendingCount: number }, taskDefinition: string | undefined): Body {
    return {
      serviceArn: s.arn,
      serviceName: s.name,
      clusterArn: s.cluster.arn,
      loadBalancers: s.loadBalancers,
      status: s.status,
      desiredCount: s.desiredCount,
      ...counts,
      ...(s.launchType ? { launchType: s.launchType } : {}),
      ...(taskDefinition ? { taskDefinition } : {}),
      ...(s.networkConfiguration ? { networkConfiguration: s.networkConfiguration } : {}),
      deploymentController: { type: s.deploymentController },
    };
  }

  /** A service with the ECS controller: its deployments (PRIMARY first) instead of task sets. */
  private rollingServiceBody(s: Service): Body {
    const live = this.world.rollingDeployments(s);
    const deployments = live.map(({ deployment: d, view: v }) => ({
      id: d.id,
      status: v.status,
      taskDefinition: d.taskDefinition.arn,
      desiredCount: d.desiredCount,
      pendingCount: v.pendingCount,
      runningCount: v.runningCount,
      failedTasks: v.failedTasks,
      createdAt: this.epoch(Math.max(d.createdAt, 0)),
      updatedAt: this.epoch(Math.max(d.updatedAt, 0)),
      ...(s.launchType ? { launchType: s.launchType } : {}),
      ...(s.networkConfiguration ? { networkConfiguration: s.networkConfiguration } : {}),
      rolloutState: v.rolloutState,
      rolloutStateReason: v.rolloutStateReason,
    }));
    const counts = { runningCount: live.reduce((n, x) => n + x.view.runningCount, 0), pendingCount: live.reduce((n, x) => n + x.view.pendingCount, 0) };
    return {
      ...this.serviceFields(s, counts, s.deployments.at(-1)?.taskDefinition.arn),
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: s.circuitBreaker, rollback: s.circuitBreakerRollback }, maximumPercent: 200, minimumHealthyPercent: 100 },
      deployments,
      createdAt: this.epoch(Math.max(s.createdAt, 0)),
    };
  }
}
