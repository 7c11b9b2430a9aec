import { ErrorNames, StepDeployError } from "../errors.js";
import { DeploymentNotFoundError, isPreconditionFailed, RegistryError, RegistryErrorNames } from "./errors.js";
import { type AcquireResult, type LockRequest, type ReleaseResult, TargetLocks } from "./locks.js";
import { checkDeploymentId, checkGroup, isoTime, newDeploymentRecord, sameDeployment } from "./model.js";
import type { RegistryStore } from "./port.js";
import { type DeploymentList, type ListDeploymentsQuery, listDeployments } from "./queries.js";
import {
  type ControlChange,
  type Decision,
  decideControlRequest,
  decideProgress,
  decideRollbackInfo,
  decideStatusChange,
  type ProgressReport,
  type StatusChange,
} from "./transitions.js";
import type { QueuedSettings } from "./transitions.js";
import { type DeploymentRecord, type GroupRef, type InstanceHealthRecord, isFinalStatus, type LastSuccessful, type LockScope, type NewDeployment, type QueueEntry, type RollbackInfo, type TargetLock } from "./types.js";

export interface RegistryOptions {
  /** Defaults to the system clock. */
  clock?: () => Date;
  /**
   * Optimistic-concurrency rounds (read, decide, conditional write) before giving up with `Deploy.Transient`.
   * Not a retry of failed calls: only a lost race is re-decided. Default 5.
   */
  maxRounds?: number;
}

/** A write's outcome: the record as stored, and whether this call changed it (false: idempotent no-op). */
export interface RecordResult {
  record: DeploymentRecord;
  changed: boolean;
}

export interface GroupState {
  /** The target lock a running deployment of this group holds, if any (locks are per traffic target). */
  lock?: TargetLock;
  /** Deployments of this group waiting for that target. */
  queue: QueueEntry[];
  lastSuccessful?: LastSuccessful;
}

/**
 * The deployment registry: records, one lock per traffic target with an optional FIFO queue, and each
 * group's last successful revision. All logic lives here; `RegistryStore` does single-item conditional I/O.
 * Every method is safe to call twice with the same input (Step Functions may run a Task twice).
 */
export class DeploymentRegistry {
  private readonly clock: () => Date;
  private readonly maxRounds: number;
  private readonly locks: TargetLocks;

  constructor(
    private readonly store: RegistryStore,
    options: RegistryOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.maxRounds = options.maxRounds ?? 5;
    this.locks = new TargetLocks(store, () => this.now(), this.maxRounds);
  }

  private now(): string {
    return isoTime(this.clock(), "clock");
  }

  // ---------------------------------------------------------------- deployment records

  /** Registers a deployment (status Created). Repeating it with the same id and content returns the stored record. */
  async createDeployment(input: NewDeployment): Promise<RecordResult> {
    const record = newDeploymentRecord(input, this.now());
    try {
      await this.store.putDeployment(record);
      return { record, changed: true };
    } catch (e) {
      if (!isPreconditionFailed(e)) throw e;
    }
    const existing = await this.store.getDeployment(record.deploymentId);
    if (!existing) throw new StepDeployError(ErrorNames.Transient, `Deployment ${record.deploymentId} changed while it was being created; try again`);
    if (sameDeployment(existing, input)) return { record: existing, changed: false };
    throw new RegistryError(
      RegistryErrorNames.DeploymentAlreadyExists,
      `Deployment ${record.deploymentId} already exists for ${existing.application}/${existing.deploymentGroup} with different settings`,
    );
  }

  async getDeployment(deploymentId: string): Promise<DeploymentRecord | undefined> {
    return this.store.getDeployment(checkDeploymentId(deploymentId));
  }

  /** Like getDeployment, but throws `Deploy.DeploymentNotFound`. */
  async requireDeployment(deploymentId: string): Promise<DeploymentRecord> {
    const record = await this.getDeployment(deploymentId);
    if (!record) throw new DeploymentNotFoundError(deploymentId);
    return record;
  }

  /**
   * Moves the status forward (see TRANSITIONS). Same status again: no-op. A final status never changes.
   * On Succeeded the group's last successful revision is (re)written too, so a retry heals a crash in between.
   */
  async changeStatus(deploymentId: string, change: StatusChange): Promise<RecordResult> {
    const now = this.now();
    const result = await this.update(deploymentId, (r) => decideStatusChange(r, change, now));
    if (change.to === "Succeeded") await this.recordLastSuccessful(result.record);
    return result;
  }

  /** Created -> InProgress. A queued deployment's record also takes its final `settings` (config, target) here. */
  markInProgress(deploymentId: string, executionArn?: string, settings?: QueuedSettings): Promise<RecordResult> {
    return this.changeStatus(deploymentId, {
      to: "InProgress",
      ...(executionArn ? { executionArn } : {}),
      ...(settings ? { settings } : {}),
    });
  }

  markSucceeded(deploymentId: string): Promise<RecordResult> {
    return this.changeStatus(deploymentId, { to: "Succeeded" });
  }

  markFailed(deploymentId: string, errorName: string, reason: string): Promise<RecordResult> {
    return this.changeStatus(deploymentId, { to: "Failed", errorName, reason });
  }

  markStopped(deploymentId: string, errorName: string, reason: string): Promise<RecordResult> {
    return this.changeStatus(deploymentId, {
      to: "Stopped",
      errorName,
      reason,
    });
  }

  /** Records a pause/resume/promote/stop request (for the workflow to apply). Throws on a finished deployment. */
  requestControl(deploymentId: string, change: ControlChange): Promise<RecordResult> {
    const now = this.now();
    return this.update(deploymentId, (r) => decideControlRequest(r, change, now));
  }

  /** Current traffic weight/step, for status views. Ignored unless the deployment is InProgress. */
  recordProgress(deploymentId: string, report: ProgressReport): Promise<RecordResult> {
    const now = this.now();
    return this.update(deploymentId, (r) => decideProgress(r, report, now));
  }

  /** Merges CodeDeploy-style rollbackInfo into one deployment's record. */
  recordRollbackInfo(deploymentId: string, patch: RollbackInfo): Promise<RecordResult> {
    const now = this.now();
    return this.update(deploymentId, (r) => decideRollbackInfo(r, patch, now));
  }

  /**
   * Links a rollback deployment to the deployment it rolls back, on both records (as CodeDeploy shows them):
   * `rollbackDeploymentId` (+ message) on the triggering one, `rollbackTriggeringDeploymentId` on the rollback.
   */
  async linkRollback(
    triggeringDeploymentId: string,
    rollbackDeploymentId: string,
    rollbackMessage?: string,
  ): Promise<{ triggering: DeploymentRecord; rollback: DeploymentRecord }> {
    const triggering = await this.recordRollbackInfo(triggeringDeploymentId, {
      rollbackDeploymentId,
      ...(rollbackMessage ? { rollbackMessage } : {}),
    });
    const rollback = await this.recordRollbackInfo(rollbackDeploymentId, {
      rollbackTriggeringDeploymentId: triggeringDeploymentId,
    });
    return { triggering: triggering.record, rollback: rollback.record };
  }

  /** Read, decide purely, write if the version read is still current; a lost race is re-decided on fresh data. */
  private async update(deploymentId: string, decide: (current: DeploymentRecord) => Decision): Promise<RecordResult> {
    checkDeploymentId(deploymentId);
    for (let round = 1; round <= this.maxRounds; round++) {
      const current = await this.store.getDeployment(deploymentId);
      if (!current) throw new DeploymentNotFoundError(deploymentId);
      const decision = decide(current);
      if (decision.kind === "noop") return { record: current, changed: false };
      try {
        await this.store.putDeployment(decision.record);
        return { record: decision.record, changed: true };
      } catch (e) {
        if (!isPreconditionFailed(e)) throw e;
      }
    }
    throw new StepDeployError(ErrorNames.Transient, `Deployment ${deploymentId} was changed concurrently ${this.maxRounds} times; try again`);
  }

  // ---------------------------------------------------------------- queries

  /** Newest first; all deployments, or one group's (history), optionally only some statuses. */
  listDeployments(query: ListDeploymentsQuery = {}): Promise<DeploymentList> {
    return listDeployments(this.store, query);
  }

  /** A group's deployments, newest first (CodeDeploy's ListDeployments with a group). */
  groupHistory(group: GroupRef, options: Omit<ListDeploymentsQuery, "application" | "deploymentGroup"> = {}): Promise<DeploymentList> {
    return this.listDeployments({ ...options, application: group.application, deploymentGroup: group.deploymentGroup });
  }

  // ---------------------------------------------------------------- lock and queue

  getLock(scope: LockScope): Promise<TargetLock | undefined> {
    return this.locks.getLock(scope);
  }

  /** The target's queue in FIFO order. */
  listQueue(scope: LockScope): Promise<QueueEntry[]> {
    return this.locks.listQueue(scope);
  }

  /**
   * A group's last successful revision, and the lock its running deployment holds with that target's queue
   * (found through the group's unfinished deployments), for status views.
   */
  async groupState(group: GroupRef): Promise<GroupState> {
    const g = checkGroup(group);
    const [running, lastSuccessful] = await Promise.all([
      this.groupHistory(g, { statuses: ["Created", "InProgress"], limit: 20 }),
      this.store.getLastSuccessful(g),
    ]);
    const keys = [...new Set(running.deployments.flatMap((d) => (d.lockKey && !isFinalStatus(d.status) ? [d.lockKey] : [])))];
    for (const lockKey of keys) {
      const lock = await this.store.getLock({ lockKey });
      if (lock?.application !== g.application || lock.deploymentGroup !== g.deploymentGroup) continue;
      const queue = await this.locks.listQueue({ lockKey });
      return { lock, queue, ...(lastSuccessful ? { lastSuccessful } : {}) };
    }
    return { queue: [], ...(lastSuccessful ? { lastSuccessful } : {}) };
  }

  /** Takes the target's lock or fails fast with `Deploy.ConflictingDeployment` naming the holder (see TargetLocks). */
  acquireLock(request: LockRequest): Promise<TargetLock> {
    return this.locks.acquireLock(request);
  }

  /** Takes the lock or joins the target's FIFO queue; call again to poll (see TargetLocks). */
  acquireOrEnqueue(request: LockRequest): Promise<AcquireResult> {
    return this.locks.acquireOrEnqueue(request);
  }

  /** Gives the lock up, handing it to the next queued deployment; never releases another's lock (see TargetLocks). */
  release(scope: LockScope, deploymentId: string): Promise<ReleaseResult> {
    return this.locks.release(scope, deploymentId);
  }

  /** Leaves the target's queue (e.g. a queued deployment was stopped). */
  leaveQueue(scope: LockScope, deploymentId: string): Promise<void> {
    return this.locks.leaveQueue(scope, deploymentId);
  }

  async getLastSuccessful(group: GroupRef): Promise<LastSuccessful | undefined> {
    return this.store.getLastSuccessful(checkGroup(group));
  }

  /** The group's instances as its deployments left them, by instance id (codedeploy-spec §2.4). */
  async instanceHealth(group: GroupRef): Promise<Map<string, InstanceHealthRecord>> {
    return new Map((await this.store.listInstanceHealth(checkGroup(group))).map((r) => [r.instanceId, r]));
  }

  /**
   * One batch's results: an instance that succeeded is Healthy with `revision`; one that failed is Unhealthy with its
   * revision unknown (its install may have stopped half-way). Instances not attempted keep what they had.
   */
  async recordInstanceResults(group: GroupRef, deploymentId: string, revision: string, results: { instanceId: string; succeeded: boolean }[]): Promise<void> {
    if (results.length === 0) return;
    const at = this.now();
    await this.store.putInstanceHealth(
      checkGroup(group),
      results.map((r) => ({ instanceId: r.instanceId, health: r.succeeded ? "Healthy" : "Unhealthy", ...(r.succeeded ? { revision } : {}), deploymentId, at })),
    );
  }

  private async recordLastSuccessful(record: DeploymentRecord): Promise<void> {
    if (record.status !== "Succeeded" || !record.endTime) return;
    // A launch deployment (creator autoscaling) reinstalls the last successful revision on one new instance: ending
    // after a newer success, it must not make its older revision the group's last successful one again; a termination
    // deployment (autoscalingTermination) installs nothing.
    if (record.creator === "autoscaling" || record.creator === "autoscalingTermination") return;
    const item: LastSuccessful = {
      application: record.application,
      deploymentGroup: record.deploymentGroup,
      deploymentId: record.deploymentId,
      platform: record.platform,
      deploymentConfigName: record.deploymentConfigName,
      target: record.target,
      endTime: record.endTime,
    };
    try {
      await this.store.putLastSuccessful(item);
    } catch (e) {
      if (!isPreconditionFailed(e)) throw e; // a later success is already recorded
    }
  }
}
