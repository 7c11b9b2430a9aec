import { ValidationErrors } from "../errors.js";
import type { EcsTarget } from "./target.js";

/**
 * The replacement task set: what Install asks CreateTaskSet for, from the revision (an ECS appspec's
 * `Resources[0].TargetService.Properties`, or the same fields in the input), the group's defaults and
 * the service as it runs:
 *  - TaskDefinition: the ARN the deployment resolved (it may have been given as family or family:revision);
 *  - LoadBalancerInfo (ContainerName, ContainerPort), defaulting to the group's;
 *  - NetworkConfiguration: "If NetworkConfiguration is omitted CodeDeploy uses the service's current
 *    settings" (UG reference-appspec-file-structure-resources), i.e. the original task set's;
 *  - CapacityProviderStrategy or, without one, the original's launch type (ECS refuses both at once);
 *  - PlatformVersion: the appspec's, else the original's, else ECS's default (LATEST).
 * Scale 100% (the replacement takes the full desired count before any traffic moves), `externalId` the
 * deployment id, and a client token derived from it, so a retried CreateTaskSet creates one task set.
 */
export interface AwsvpcConfiguration {
  subnets: string[];
  securityGroups?: string[];
  assignPublicIp?: "ENABLED" | "DISABLED";
}

export interface CapacityProviderItem {
  capacityProvider: string;
  base?: number;
  weight?: number;
}

export interface EcsRevision {
  taskDefinition: string;
  containerName?: string;
  containerPort?: number;
  platformVersion?: string;
  networkConfiguration?: AwsvpcConfiguration;
  capacityProviderStrategy?: CapacityProviderItem[];
}

/** What the deployment read of the original (PRIMARY) task set. */
export interface OriginalTaskSet {
  launchType?: string;
  platformVersion?: string;
  networkConfiguration?: { awsvpcConfiguration?: AwsvpcConfiguration };
  capacityProviderStrategy?: CapacityProviderItem[];
}

export interface CreateTaskSetPlan {
  cluster: string;
  service: string;
  taskDefinition: string;
  externalId: string;
  clientToken: string;
  loadBalancers: { targetGroupArn: string; containerName: string; containerPort: number }[];
  networkConfiguration?: { awsvpcConfiguration: AwsvpcConfiguration };
  launchType?: string;
  capacityProviderStrategy?: CapacityProviderItem[];
  platformVersion?: string;
  scale: { value: 100; unit: "PERCENT" };
}

/** Up to 36 ASCII characters (ECS API reference, CreateTaskSet `clientToken`). */
export function installClientToken(deploymentId: string): string {
  return `${deploymentId}-install`.slice(0, 36);
}

export function planTaskSet(args: { target: EcsTarget; revision: EcsRevision; taskDefinitionArn: string; greenTargetGroupArn: string; original: OriginalTaskSet; deploymentId: string }): CreateTaskSetPlan {
  const { target, revision, original } = args;
  const containerName = revision.containerName ?? target.containerName;
  const containerPort = revision.containerPort ?? target.containerPort;
  const problems: { field: string; reason: string }[] = [];
  if (!containerName) problems.push({ field: "revision.containerName", reason: "is required: the appspec's LoadBalancerInfo.ContainerName or the group's containerName" });
  if (!containerPort) problems.push({ field: "revision.containerPort", reason: "is required: the appspec's LoadBalancerInfo.ContainerPort or the group's containerPort" });
  if (problems.length) throw new ValidationErrors(problems);
  const network = revision.networkConfiguration ?? original.networkConfiguration?.awsvpcConfiguration;
  const capacity = revision.capacityProviderStrategy ?? original.capacityProviderStrategy;
  const platformVersion = revision.platformVersion ?? original.platformVersion;
  return {
    cluster: target.cluster,
    service: target.service,
    taskDefinition: args.taskDefinitionArn,
    externalId: args.deploymentId,
    clientToken: installClientToken(args.deploymentId),
    loadBalancers: [{ targetGroupArn: args.greenTargetGroupArn, containerName: containerName as string, containerPort: containerPort as number }],
    ...(network ? { networkConfiguration: { awsvpcConfiguration: network } } : {}),
    ...(capacity?.length ? { capacityProviderStrategy: capacity } : original.launchType ? { launchType: original.launchType } : {}),
    ...(platformVersion ? { platformVersion } : {}),
    scale: { value: 100, unit: "PERCENT" },
  };
}
