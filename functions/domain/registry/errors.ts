import { ErrorNames, StepDeployError } from "../errors.js";
import type { DeploymentStatus, TargetLock } from "./types.js";

/**
 * `error.name` values of registry problems; stable, matched by the state machines' Catch/Retry.
 * `Deploy.Transient` (shared with the adapters) is what lock/record contention ends in: retry it.
 */
export const RegistryErrorNames = {
  /** Another deployment holds the traffic target's lock (CodeDeploy: one deployment at a time per group, spec §8; here per target). */
  ConflictingDeployment: ErrorNames.ConflictingDeployment,
  /** No record for that deployment id (CodeDeploy: DeploymentDoesNotExistException). */
  DeploymentNotFound: ErrorNames.DeploymentNotFound,
  /** A record with that id exists for another application, group, platform or target. */
  DeploymentAlreadyExists: ErrorNames.DeploymentAlreadyExists,
  /** The deployment is Succeeded/Failed/Stopped and the request would change that (CodeDeploy: DeploymentAlreadyCompletedException, spec §5.4). */
  DeploymentAlreadyCompleted: ErrorNames.DeploymentAlreadyCompleted,
  /** A status change the lifecycle does not allow (e.g. Created → Succeeded). */
  InvalidStatusTransition: ErrorNames.InvalidStatusTransition,
  /** Port level: a conditional write's condition did not hold. Never escapes the registry. */
  PreconditionFailed: "Registry.PreconditionFailed",
} as const;

export type RegistryErrorName = (typeof RegistryErrorNames)[keyof typeof RegistryErrorNames];

export class RegistryError extends StepDeployError {
  constructor(name: RegistryErrorName, message: string, options?: { cause?: unknown }) {
    super(name, message, options);
  }
}

/** Thrown when a traffic target's lock is held by another deployment; names the holder and its group. */
export class ConflictingDeploymentError extends RegistryError {
  readonly activeDeploymentId: string;
  readonly application: string;
  readonly deploymentGroup: string;
  readonly lockKey: string;
  constructor(holder: Pick<TargetLock, "holderDeploymentId" | "application" | "deploymentGroup" | "lockKey">) {
    super(
      RegistryErrorNames.ConflictingDeployment,
      `A conflicting deployment (${holder.holderDeploymentId} of ${holder.application}/${holder.deploymentGroup}) is in progress on ${holder.lockKey}`,
    );
    this.activeDeploymentId = holder.holderDeploymentId;
    this.application = holder.application;
    this.deploymentGroup = holder.deploymentGroup;
    this.lockKey = holder.lockKey;
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
