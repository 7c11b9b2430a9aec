import { StepDeployError } from "../errors.js";
import type { DeploymentStatus } from "./types.js";

/**
 * `error.name` values of registry problems; stable, matched by the state machines' Catch/Retry.
 * `Deploy.Transient` (shared with the adapters) is what lock/record contention ends in: retry it.
 */
export const RegistryErrorNames = {
  /** Another deployment holds the group's lock (CodeDeploy: one deployment at a time per group, spec §8). */
  ConflictingDeployment: "Deploy.ConflictingDeployment",
  /** No record for that deployment id (CodeDeploy: DeploymentDoesNotExistException). */
  DeploymentNotFound: "Deploy.DeploymentNotFound",
  /** A record with that id exists for another application, group, platform or target. */
  DeploymentAlreadyExists: "Deploy.DeploymentAlreadyExists",
  /** The deployment is Succeeded/Failed/Stopped and the request would change that (CodeDeploy: DeploymentAlreadyCompletedException, spec §5.4). */
  DeploymentAlreadyCompleted: "Deploy.DeploymentAlreadyCompleted",
  /** A status change the lifecycle does not allow (e.g. Created → Succeeded). */
  InvalidStatusTransition: "Deploy.InvalidStatusTransition",
  /** Port level: a conditional write's condition did not hold. Never escapes the registry. */
  PreconditionFailed: "Registry.PreconditionFailed",
} as const;

export type RegistryErrorName = (typeof RegistryErrorNames)[keyof typeof RegistryErrorNames];

export class RegistryError extends StepDeployError {
  constructor(name: RegistryErrorName, message: string, options?: { cause?: unknown }) {
    super(name, message, options);
  }
}

/** Thrown when a group's lock is held by another deployment. */
export class ConflictingDeploymentError extends RegistryError {
  readonly activeDeploymentId: string;
  readonly application: string;
  readonly deploymentGroup: string;
  constructor(activeDeploymentId: string, application: string, deploymentGroup: string) {
    super(RegistryErrorNames.ConflictingDeployment, `A conflicting deployment (${activeDeploymentId}) is in progress for ${application}/${deploymentGroup}`);
    this.activeDeploymentId = activeDeploymentId;
    this.application = application;
    this.deploymentGroup = deploymentGroup;
  }
}

export class DeploymentNotFoundError extends RegistryError {
  readonly deploymentId: string;
  constructor(deploymentId: string) {
    super(RegistryErrorNames.DeploymentNotFound, `Deployment ${deploymentId} does not exist`);
    this.deploymentId = deploymentId;
  }
}

export class DeploymentAlreadyCompletedError extends RegistryError {
  readonly deploymentId: string;
  readonly status: DeploymentStatus;
  constructor(deploymentId: string, status: DeploymentStatus, attempted: string) {
    super(RegistryErrorNames.DeploymentAlreadyCompleted, `Deployment ${deploymentId} is already ${status}; cannot ${attempted}`);
    this.deploymentId = deploymentId;
    this.status = status;
  }
}

export class InvalidStatusTransitionError extends RegistryError {
  readonly from: DeploymentStatus;
  readonly to: DeploymentStatus;
  constructor(deploymentId: string, from: DeploymentStatus, to: DeploymentStatus) {
    super(RegistryErrorNames.InvalidStatusTransition, `Deployment ${deploymentId} cannot go from ${from} to ${to}`);
    this.from = from;
    this.to = to;
  }
}

/**
 * What a store throws when a conditional write's condition fails (the DynamoDB adapter maps
 * ConditionalCheckFailedException to it). The registry turns it into one of the errors above.
 */
export class PreconditionFailedError extends RegistryError {
  constructor(what: string, options?: { cause?: unknown }) {
    super(RegistryErrorNames.PreconditionFailed, `${what}: condition not met`, options);
  }
}

export function isPreconditionFailed(error: unknown): error is PreconditionFailedError {
  return error instanceof Error && error.name === RegistryErrorNames.PreconditionFailed;
}
