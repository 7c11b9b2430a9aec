import type { DeploymentRecord, DeploymentStatus, GroupRef, InstanceHealthRecord, LastSuccessful, LockScope, QueueEntry, TargetLock } from "./types.js";

/** One page of a history query, newest first. */
export interface DeploymentPage {
  items: DeploymentRecord[];
  /** True when more items may follow (like DynamoDB's LastEvaluatedKey: may be a false positive). */
  more: boolean;
}

export interface DeploymentQuery {
  /** A group's deployments, or all deployments in one status. */
  by: { group: GroupRef } | { status: DeploymentStatus };
  limit: number;
  /** Only records whose `historyKey` (createTime#deploymentId) sorts strictly before this. */
  before?: string;
}

/**
 * The registry's storage port: small, single-item I/O primitives, each one conditional write or one read.
 * Every decision (what to write, what a failed condition means) is made by `DeploymentRegistry`.
 * Conditional writes throw `PreconditionFailedError` when the condition does not hold; other failures are
 * StepDeployErrors (`Deploy.Transient` for throttling/5xx/network, `Deploy.AwsError`, `Deploy.ResourceNotFound`).
 * Reads are strongly consistent (the base table; index queries are eventually consistent).
 */
export interface RegistryStore {
  getDeployment(deploymentId: string): Promise<DeploymentRecord | undefined>;
  /** Condition: the stored version is `record.version - 1`, or nothing is stored and `record.version` is 1. */
  putDeployment(record: DeploymentRecord): Promise<void>;
  queryDeployments(query: DeploymentQuery): Promise<DeploymentPage>;

  getLock(scope: LockScope): Promise<TargetLock | undefined>;
  /** Condition: no lock, or it is held by `lock.holderDeploymentId` (then `acquiredAt` is kept). Returns the stored lock. */
  acquireLock(lock: TargetLock): Promise<TargetLock>;
  /** Condition: the lock is held by `fromDeploymentId`. Replaces the holder. */
  transferLock(fromDeploymentId: string, lock: TargetLock): Promise<void>;
  /** Condition: the lock is held by `holderDeploymentId`. */
  deleteLock(scope: LockScope, holderDeploymentId: string): Promise<void>;

  /** A per-target counter: strictly increasing across calls (gaps allowed). */
  nextQueueSequence(scope: LockScope): Promise<number>;
  /** Condition: that deployment has no entry in that target's queue. */
  putQueueEntry(entry: QueueEntry): Promise<void>;
  /** The target's queue entries, in no particular order. */
  listQueue(scope: LockScope): Promise<QueueEntry[]>;
  /** Unconditional; deleting an absent entry is fine. */
  deleteQueueEntry(scope: LockScope, deploymentId: string): Promise<void>;

  getLastSuccessful(group: GroupRef): Promise<LastSuccessful | undefined>;
  /** Condition: none stored, or the stored one is the same deployment or ended no later than `item.endTime`. */
  putLastSuccessful(item: LastSuccessful): Promise<void>;

  /** Every instance the group's deployments attempted, in no particular order. */
  listInstanceHealth(group: GroupRef): Promise<InstanceHealthRecord[]>;
  /** Unconditional, one item per instance (the group's lock orders the writers). */
  putInstanceHealth(group: GroupRef, records: InstanceHealthRecord[]): Promise<void>;
}
