/**
 * The deployment registry's model: what stepdeploy remembers about deployments, one lock per traffic target,
 * the queue of deployments waiting for a target and each group's last known-good revision. Platform-neutral:
 * Lambda, ECS and Server deployments share these shapes; what is platform-specific lives in the free-form
 * `target` map and in the lock key (domain/traffic/target.ts).
 */

/**
 * The statuses stepdeploy records. CodeDeploy's DeploymentStatus (codedeploy-spec §7.1) also has Queued, Baking and
 * Ready; here a queued deployment is `Created` with a queue entry, and Ready/Baking are not modelled yet.
 */
export const DEPLOYMENT_STATUSES = ["Created", "InProgress", "Succeeded", "Failed", "Stopped"] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

export const FINAL_STATUSES = ["Succeeded", "Failed", "Stopped"] as const;
export type FinalStatus = (typeof FINAL_STATUSES)[number];

export function isFinalStatus(status: DeploymentStatus): status is FinalStatus {
  return (FINAL_STATUSES as readonly string[]).includes(status);
}

/** CodeDeploy's ComputePlatform (codedeploy-spec §1.1): `Server` is EC2/on-premises. */
export const PLATFORMS = ["Lambda", "ECS", "Server"] as const;
export type Platform = (typeof PLATFORMS)[number];

/** JSON values: what a free-form target description may hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonMap = { [key: string]: JsonValue };

/** CodeDeploy's `DeploymentInfo.rollbackInfo` (codedeploy-spec §5.3), field for field. */
export interface RollbackInfo {
  /** On the deployment that was rolled back: the id of the rollback deployment. */
  rollbackDeploymentId?: string;
  /** On a rollback deployment: the id of the deployment that triggered it. */
  rollbackTriggeringDeploymentId?: string;
  /** Whether the rollback can't happen, is in progress, failed or succeeded (free text). */
  rollbackMessage?: string;
}

export const CONTROL_INTENTS = ["pause", "resume", "promote", "stop"] as const;
export type ControlIntent = (typeof CONTROL_INTENTS)[number];

/** Who asked for an intent, and when (ISO). */
export interface ControlRequest {
  requestedBy: string;
  requestedAt: string;
}

/**
 * Runtime intents, recorded by operators (CLI/API) and read by the workflow, which applies them once.
 * `paused` is derived from the latest pause/resume request; `promote` ("finish now", skip remaining waits) and
 * `stop` are sticky: the first request wins and later ones are no-ops.
 */
export interface ControlState {
  paused: boolean;
  pauseRequested?: ControlRequest;
  resumeRequested?: ControlRequest;
  promoteRequested?: ControlRequest;
  /** `rollback`: CodeDeploy's StopDeployment `autoRollbackEnabled` (codedeploy-spec §5.4). */
  stopRequested?: ControlRequest & { rollback: boolean };
}

/** Where traffic stands, for status views. `weight` is the percentage on the new revision. */
export interface Progress {
  weight: number;
  step: number;
  totalSteps?: number;
  updatedAt: string;
  note?: string;
  /** Server deployments: CodeDeploy's deploymentOverview, instances per status. */
  instances?: { total: number; succeeded: number; failed: number; pending: number; skipped: number };
}

export interface DeploymentRecord {
  deploymentId: string;
  application: string;
  deploymentGroup: string;
  status: DeploymentStatus;
  /** ISO-8601 UTC, millisecond precision (`Date.toISOString()`): sortable as strings. */
  createTime: string;
  startTime?: string;
  endTime?: string;
  deploymentConfigName: string;
  platform: Platform;
  /** Free-form, e.g. `{functionName, alias, currentVersion, targetVersion}` for Lambda. */
  target: JsonMap;
  /** CodeDeploy's DeploymentCreator (codedeploy-spec §5.3): `user`, `codeDeployRollback`, ... */
  creator: string;
  description?: string;
  /** The execution's final error name (e.g. `Deploy.AlarmTriggered`), set with Failed/Stopped. */
  errorName?: string;
  reason?: string;
  rollbackInfo?: RollbackInfo;
  executionArn?: string;
  /** The deployment ran with CodeDeploy's `overrideAlarmConfiguration` (codedeploy-spec §5.1). */
  overrideAlarms: boolean;
  /** Created while waiting in the target's queue (`queue: true`); its settings are final once it starts. */
  queued?: boolean;
  /** The traffic target this deployment locks (domain/traffic/target.ts `targetKey`), once known. */
  lockKey?: string;
  control: ControlState;
  progress?: Progress;
  /** Last write time (ISO). */
  updatedAt: string;
  /** Optimistic-concurrency counter: 1 on create, +1 on every write. */
  version: number;
}

/** What a caller supplies to register a deployment; the rest is defaulted. */
export interface NewDeployment {
  deploymentId: string;
  application: string;
  deploymentGroup: string;
  deploymentConfigName: string;
  platform: Platform;
  target: JsonMap;
  creator?: string;
  description?: string;
  executionArn?: string;
  overrideAlarms?: boolean;
  /** Created to wait in the target's queue: the start completes it (settings, InProgress) once the lock is granted. */
  queued?: boolean;
  /** The traffic target's lock key (domain/traffic/target.ts). */
  lockKey?: string;
  /** Set on a rollback deployment: `{rollbackTriggeringDeploymentId}`. */
  rollbackInfo?: RollbackInfo;
  /** Defaults to the registry's clock. */
  createTime?: string;
}

/**
 * Which lock: the canonical traffic target (for Lambda the alias ARN as AWS returns it), whatever the group.
 * CodeDeploy runs one deployment at a time per group (codedeploy-spec §8) to protect what the group deploys
 * to; locking the target itself protects it exactly, also against a second group naming the same alias.
 */
export interface LockScope {
  lockKey: string;
}

/** The lock of one traffic target, with the holder's group (so a refusal can name it). */
export interface TargetLock extends LockScope {
  application: string;
  deploymentGroup: string;
  holderDeploymentId: string;
  executionArn?: string;
  acquiredAt: string;
  /** Set when the lock was handed over by `release` (the previous holder). */
  handedOverFrom?: string;
}

/** A deployment waiting for a target's lock. Ordered by `sequence` (a per-target counter). */
export interface QueueEntry extends LockScope {
  application: string;
  deploymentGroup: string;
  deploymentId: string;
  executionArn?: string;
  sequence: number;
  enqueuedAt: string;
}

/** The group's last known-good revision, written when a deployment succeeds. */
export interface LastSuccessful {
  application: string;
  deploymentGroup: string;
  deploymentId: string;
  platform: Platform;
  deploymentConfigName: string;
  target: JsonMap;
  endTime: string;
}

/**
 * What the group's last deployment attempt did to one instance (codedeploy-spec §2.4): Healthy if it succeeded,
 * Unhealthy if it failed; `revision` is what the instance last installed successfully (absent: unknown, e.g. after a
 * failed install that may have left part of a revision). Server deployments only.
 */
export interface InstanceHealthRecord {
  instanceId: string;
  health: "Healthy" | "Unhealthy";
  revision?: string;
  deploymentId: string;
  at: string;
}

/** Identifies a deployment group. */
export interface GroupRef {
  application: string;
  deploymentGroup: string;
}
