/**
 * Named errors. `name` is stable: the state machines' Retry/Catch match on it
 * (Step Functions surfaces a Lambda error's `errorType`, which is the thrown error's name).
 */
export class StepDeployError extends Error {
  constructor(name: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
  }
}

/** Bad input: always names the offending field. */
export class ValidationError extends StepDeployError {
  readonly field: string;
  /** What is wrong with the field (the message is `field: reason`). */
  readonly reason: string;
  constructor(field: string, reason: string, name: string = ErrorNames.InvalidInput) {
    super(name, `${field}: ${reason}`);
    this.field = field;
    this.reason = reason;
  }
}

/** Several validation problems at once; the message lists each `field: reason`. */
export class ValidationErrors extends StepDeployError {
  readonly problems: { field: string; reason: string }[];
  constructor(problems: { field: string; reason: string }[], name: string = ErrorNames.InvalidInput) {
    super(name, problems.map((p) => `${p.field}: ${p.reason}`).join("; "));
    this.problems = problems;
  }
}

/**
 * Every `Deploy.*` error name, defined once: what handlers throw, what the deploy state machines catch and
 * end with, what the registry records. Other areas keep their own name objects (bundles/errors.ts
 * `BundleErrorNames`, the release area's `RELEASE_ERRORS`); test/unit/deployment/error-catalogue.test.ts checks
 * every name in any ASL Retry/Catch against them, and that every name here is thrown or caught somewhere.
 */
export const ErrorNames = {
  // ---- rejected before anything changed (no event)
  /** The input is malformed; the message names the field. */
  InvalidInput: "Deploy.InvalidInput",
  /** The deployment config is not one we can run. */
  InvalidConfig: "Deploy.InvalidConfig",
  /** currentVersion is not what the alias serves, or the alias already splits traffic. */
  VersionMismatch: "Deploy.VersionMismatch",
  /** The function, alias, version or hook does not exist. */
  ResourceNotFound: "Deploy.ResourceNotFound",
  /** A listed alarm does not exist (never read as OK). */
  AlarmNotFound: "Deploy.AlarmNotFound",
  /** stepdeploy's own registry table (STEPDEPLOY_TABLE) is missing: the stack or `run` creates it, not the user. */
  RegistryTableMissing: "Deploy.RegistryTableMissing",
  /** The stage's deployment groups (config/groups.<stage>.yml, as DEPLOYMENT_GROUPS) are broken; names the field. */
  InvalidGroupsFile: "Deploy.InvalidGroupsFile",
  /** A group deployment names an application or group the stage does not declare (CodeDeploy's *DoesNotExistException). */
  DeploymentGroupNotFound: "Deploy.DeploymentGroupNotFound",
  /** A group deployment's revision (S3 bundle, inline appspec) is not a Lambda appspec for the group's target. */
  InvalidRevision: "Deploy.InvalidRevision",
  /** Another deployment holds the traffic target's lock (named in the message). */
  ConflictingDeployment: "Deploy.ConflictingDeployment",
  // ---- ended a deployment that started
  /** A watched alarm is in ALARM. */
  AlarmTriggered: "Deploy.AlarmTriggered",
  /** The alarms could not be read (and ignorePollAlarmFailure is off). */
  AlarmReadFailed: "Deploy.AlarmReadFailed",
  HookFailed: "Deploy.HookFailed",
  HookTimedOut: "Deploy.HookTimedOut",
  /** A metric gate failed `failureLimit` evaluations in a row. */
  MetricGateFailed: "Deploy.MetricGateFailed",
  /** Someone else changed the traffic target (RevisionId mismatch); stepdeploy does not overwrite it. */
  TrafficConflict: "Deploy.TrafficConflict",
  /** The bake watcher (polling, metric gates) did not report by the end of the bake. */
  BakeWatcherLost: "Deploy.BakeWatcherLost",
  /** An operator's stop (with rollback), and one without. */
  Stopped: "Deploy.Stopped",
  StoppedWithoutRollback: "Deploy.StoppedWithoutRollback",
  /** Paused for 7 days without resume, promote or stop. */
  PauseExpired: "Deploy.PauseExpired",
  /** The rollback could not be done: the alias could not be put back, or a server rollback's execution could not be started. */
  RollbackFailed: "Deploy.RollbackFailed",
  /** A follow-on deployment to instances launched mid-deployment (outdatedInstancesStrategy UPDATE) whose execution could not be started. */
  AutoUpdateFailed: "Deploy.AutoUpdateFailed",
  /** An AWS call failed in a way no retry fixes. */
  AwsError: "Deploy.AwsError",
  // ---- EC2/on-premises fleets, with CodeDeploy's error code (functions/domain/fleet/errors.ts maps them)
  /** The minimum healthy hosts cannot be kept with this fleet: nothing was deployed (HEALTH_CONSTRAINTS_INVALID). */
  HealthConstraintsInvalid: "Deploy.HealthConstraintsInvalid",
  /** Too many instances failed to keep the minimum healthy hosts (HEALTH_CONSTRAINTS). */
  HealthConstraints: "Deploy.HealthConstraints",
  /** No instance matched the deployment target (NO_INSTANCES). */
  NoInstances: "Deploy.NoInstances",
  /** More than 1000 instances in one deployment (OVER_MAX_INSTANCES). */
  OverMaxInstances: "Deploy.OverMaxInstances",
  /** EC2 blue/green: an original instance failed BeforeBlockTraffic, BlockTraffic or AfterBlockTraffic (it may still serve the old revision). */
  BlockTrafficFailed: "Deploy.BlockTrafficFailed",
  // ---- ECS blue/green (docs/ecs.md)
  /** The replacement task set did not become stable with every target healthy before the install timeout. */
  ReplacementUnhealthy: "Deploy.ReplacementUnhealthy",
  /** The load balancer refuses what the deployment config needs (weights on a Network Load Balancer without weighted target groups). */
  UnsupportedTrafficConfig: "Deploy.UnsupportedTrafficConfig",
  /** STOP_DEPLOYMENT: nobody continued the deployment within the ready wait (CodeDeploy marks it Stopped). */
  ReadyWaitExpired: "Deploy.ReadyWaitExpired",
  /** The service or its listeners are not in a state a blue/green deployment can start from (split traffic, a leftover task set). */
  TargetNotReady: "Deploy.TargetNotReady",
  // ---- the janitor's, for executions that died
  ExecutionAborted: "Deploy.ExecutionAborted",
  ExecutionTimedOut: "Deploy.ExecutionTimedOut",
  ExecutionFailed: "Deploy.ExecutionFailed",
  // ---- signals between the workflow and its waits (caught, never final)
  /** Throttling, 5xx, network: the ASL retries it. */
  Transient: "Deploy.Transient",
  /** A pause (operator or metric gate) ends a bake; its Cause carries the bake time left. */
  PauseRequested: "Deploy.PauseRequested",
  /** The traffic target's lock was handed to a queued deployment: it looks again and starts. */
  LockHandedOver: "Deploy.LockHandedOver",
  // ---- the registry's (functions/domain/registry/errors.ts names them for its callers)
  DeploymentNotFound: "Deploy.DeploymentNotFound",
  DeploymentAlreadyExists: "Deploy.DeploymentAlreadyExists",
  DeploymentAlreadyCompleted: "Deploy.DeploymentAlreadyCompleted",
  InvalidStatusTransition: "Deploy.InvalidStatusTransition",
} as const;

export type DeployErrorName = (typeof ErrorNames)[keyof typeof ErrorNames];
