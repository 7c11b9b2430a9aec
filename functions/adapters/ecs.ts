import {
  CreateTaskSetCommand,
  DeleteTaskSetCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTaskSetsCommand,
  ECSClient,
  type Deployment,
  RegisterTaskDefinitionCommand,
  type Service,
  type RegisterTaskDefinitionCommandInput,
  type TaskSet,
  UpdateServiceCommand,
  UpdateServicePrimaryTaskSetCommand,
} from "@aws-sdk/client-ecs";
import { ErrorNames, StepDeployError } from "../domain/errors.js";
import type { EcsServicePort, RollingDeploymentState, ServiceState, TaskDefinitionState, TaskSetState } from "../ports/ecs-service.js";
import { toStepDeployError } from "./aws-errors.js";
import { cachedClient } from "./clients.js";

export const ecsClient = (): ECSClient => cachedClient("ecs", (options) => new ECSClient(options));

const NOT_FOUND = new Set(["ClusterNotFoundException", "ServiceNotFoundException", "TaskSetNotFoundException"]);

/** ECS's not-found answers (and DescribeTaskDefinition's "Unable to describe task definition.") are `Deploy.ResourceNotFound`. */
function mapError(e: unknown, what: string): StepDeployError {
  const err = e as Error;
  if (NOT_FOUND.has(err?.name) || (err?.name === "ClientException" && /Unable to describe task definition/.test(err.message))) {
    return new StepDeployError(ErrorNames.ResourceNotFound, `${what}: ${err.name}: ${err.message}`, { cause: e });
  }
  return toStepDeployError(e, what);
}

async function call<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw mapError(e, what);
  }
}

const taskSetState = (t: TaskSet): TaskSetState => ({
  id: t.id ?? "",
  arn: t.taskSetArn ?? "",
  status: t.status ?? "",
  taskDefinition: t.taskDefinition ?? "",
  ...(t.externalId ? { externalId: t.externalId } : {}),
  targetGroupArns: (t.loadBalancers ?? []).flatMap((lb) => (lb.targetGroupArn ? [lb.targetGroupArn] : [])),
  computedDesiredCount: t.computedDesiredCount ?? 0,
  runningCount: t.runningCount ?? 0,
  pendingCount: t.pendingCount ?? 0,
  stabilityStatus: t.stabilityStatus ?? "",
  scale: t.scale?.value ?? 0,
  ...(t.launchType ? { launchType: t.launchType } : {}),
  ...(t.platformVersion ? { platformVersion: t.platformVersion } : {}),
  ...(t.networkConfiguration?.awsvpcConfiguration ? { networkConfiguration: { awsvpcConfiguration: t.networkConfiguration.awsvpcConfiguration as never } } : {}),
  ...(t.capacityProviderStrategy?.length ? { capacityProviderStrategy: t.capacityProviderStrategy as never } : {}),
});

const deploymentState = (d: Deployment): RollingDeploymentState => ({
  id: d.id ?? "",
  status: d.status ?? "",
  taskDefinition: d.taskDefinition ?? "",
  rolloutState: d.rolloutState ?? "",
  rolloutStateReason: d.rolloutStateReason ?? "",
  desiredCount: d.desiredCount ?? 0,
  runningCount: d.runningCount ?? 0,
  failedTasks: d.failedTasks ?? 0,
});

const serviceState = (s: Service, cluster: string, service: string): ServiceState => ({
  arn: s.serviceArn ?? "",
  name: s.serviceName ?? service,
  cluster,
  deploymentController: s.deploymentController?.type ?? "ECS",
  desiredCount: s.desiredCount ?? 0,
  taskSets: (s.taskSets ?? []).map(taskSetState),
  ...(s.taskDefinition ? { taskDefinition: s.taskDefinition } : {}),
  deployments: (s.deployments ?? []).map(deploymentState),
});

/** DescribeTaskDefinition's answer without what RegisterTaskDefinition does not take back. */
const READ_ONLY = ["taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities", "registeredAt", "registeredBy", "deregisteredAt", "deleteRequestedAt"];
const taskDefinitionState = (td: Record<string, unknown> | undefined): TaskDefinitionState => ({
  arn: String(td?.taskDefinitionArn ?? ""),
  family: String(td?.family ?? ""),
  revision: Number(td?.revision ?? 0),
  body: Object.fromEntries(Object.entries(td ?? {}).filter(([k]) => !READ_ONLY.includes(k))),
});

/** ECS for blue/green deployments with the EXTERNAL deployment controller, and rolling updates (UpdateService) for pipelines. */
export function createEcsAdapter(client = ecsClient()): EcsServicePort {
  return {
    describeService: (cluster, service) =>
      call(`DescribeServices ${cluster}/${service}`, async () => {
        const out = await client.send(new DescribeServicesCommand({ cluster, services: [service] }));
        const s = out.services?.[0];
        if (!s) throw new StepDeployError(ErrorNames.ResourceNotFound, `DescribeServices: no service ${service} in cluster ${cluster} (${out.failures?.[0]?.reason ?? "MISSING"})`);
        return serviceState(s, cluster, service);
      }),
    updateServiceTaskDefinition: (cluster, service, taskDefinition) =>
      call(`UpdateService ${cluster}/${service}`, async () => serviceState((await client.send(new UpdateServiceCommand({ cluster, service, taskDefinition }))).service ?? {}, cluster, service)),
    describeTaskDefinition: (ref) => call(`DescribeTaskDefinition ${ref}`, async () => taskDefinitionState((await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref }))).taskDefinition as never)),
    registerTaskDefinition: (body) =>
      call(`RegisterTaskDefinition ${String(body.family)}`, async () => taskDefinitionState((await client.send(new RegisterTaskDefinitionCommand(body as unknown as RegisterTaskDefinitionCommandInput))).taskDefinition as never)),
    createTaskSet: (plan) =>
      call(`CreateTaskSet ${plan.cluster}/${plan.service}`, async () => {
        const out = await client.send(new CreateTaskSetCommand(plan as never));
        return taskSetState(out.taskSet ?? {});
      }),
    describeTaskSet: (cluster, service, taskSet) =>
      call(`DescribeTaskSets ${cluster}/${service} ${taskSet}`, async () => {
        const out = await client.send(new DescribeTaskSetsCommand({ cluster, service, taskSets: [taskSet] }));
        const t = out.taskSets?.[0];
        return t ? taskSetState(t) : undefined;
      }),
    updateServicePrimaryTaskSet: (cluster, service, taskSet) =>
      call(`UpdateServicePrimaryTaskSet ${cluster}/${service} ${taskSet}`, async () => {
        await client.send(new UpdateServicePrimaryTaskSetCommand({ cluster, service, primaryTaskSet: taskSet }));
      }),
    deleteTaskSet: (cluster, service, taskSet) =>
      call(`DeleteTaskSet ${cluster}/${service} ${taskSet}`, async () => {
        try {
          await client.send(new DeleteTaskSetCommand({ cluster, service, taskSet, force: true }));
        } catch (e) {
          // already deleted (or never created): what the caller wanted
          if ((e as Error).name !== "TaskSetNotFoundException") throw e;
        }
      }),
  };
}
