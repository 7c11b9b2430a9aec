import { ErrorNames, StepDeployError, ValidationError } from "../errors.js";
import { ConflictingDeploymentError, DeploymentAlreadyCompletedError, isPreconditionFailed } from "./errors.js";
import { checkDeploymentId, checkGroup, checkLockScope } from "./model.js";
import type { RegistryStore } from "./port.js";
import { orderQueue, queuePosition } from "./queue.js";
import { type GroupRef, isFinalStatus, type LockScope, type QueueEntry, type TargetLock } from "./types.js";

/** Who asks for a target's lock: the deployment, its execution and its group (named when it is refused). */
export interface LockRequest extends LockScope, GroupRef {
  deploymentId: string;
  executionArn?: string;
}

export type AcquireResult =
  | { acquired: true; lock: TargetLock }
  | {
      acquired: false;
      /** The deployment holding the lock now. */
      queuedBehind: string;
      /** 1-based place in the target's queue (1: next to get the lock). */
      position: number;
      queueLength: number;
    };

export interface NextDeployment {
  deploymentId: string;
  executionArn?: string;
}

export interface ReleaseResult {
  /** True when this deployment held the lock and no longer does (also on a repeated release after a hand-over). */
  released: boolean;
  /** The queued deployment that now holds the lock: start or wake it (idempotently). */
  next?: NextDeployment;
  /** When nothing was released: who holds the lock now, if anyone. */
  holder?: string;
}

/**
 * One deployment at a time per traffic target, with a FIFO queue, over the store's conditional writes. Every
 * method is safe to repeat. Multi-step operations are ordered so that a crash between steps leaves a state the
 * next call repairs: see docs/registry.md.
 */
export class TargetLocks {
  constructor(
    private readonly store: RegistryStore,
    private readonly now: () => string,
    private readonly maxRounds: number,
  ) {}

  async getLock(scope: LockScope): Promise<TargetLock | undefined> {
    return this.store.getLock(checkLockScope(scope));
  }

  /** The target's queue in FIFO order. */
  async listQueue(scope: LockScope): Promise<QueueEntry[]> {
    return orderQueue(await this.store.listQueue(checkLockScope(scope)));
  }

  /**
   * Takes the target's lock or fails fast with `Deploy.ConflictingDeployment` naming the holder and its group.
   * Taking a lock you already hold succeeds (keeps the original acquiredAt).
   */
  async acquireLock(request: LockRequest): Promise<TargetLock> {
    const { scope, lock } = await this.lockFor(request);
    for (let round = 1; round <= this.maxRounds; round++) {
      try {
        return await this.store.acquireLock(lock);
      } catch (e) {
        if (!isPreconditionFailed(e)) throw e;
      }
      const holder = await this.store.getLock(scope);
      if (holder && holder.holderDeploymentId !== request.deploymentId) throw new ConflictingDeploymentError(holder);
      // Released between our write and our read: go round.
    }
    throw this.contended(scope);
  }

  private contended(scope: LockScope): StepDeployError {
    return new StepDeployError(ErrorNames.Transient, `The lock of ${scope.lockKey} changed hands ${this.maxRounds} times; try again`);
  }

  /**
   * Takes the lock, or joins the target's FIFO queue and reports the place. Call it again to poll: a queued
   * deployment keeps its place, and is handed the lock by the holder's `release` (or here, when the lock is free
   * and it is first in line). A lock that is free while others wait goes to the first of them, not to the caller.
   */
  async acquireOrEnqueue(request: LockRequest): Promise<AcquireResult> {
    const { scope, lock } = await this.lockFor(request);
    const id = request.deploymentId;
    for (let round = 1; round <= this.maxRounds; round++) {
      const current = await this.store.getLock(scope);
      if (current?.holderDeploymentId === id) {
        await this.store.deleteQueueEntry(scope, id); // left over by a hand-over that died before its cleanup
        return { acquired: true, lock: current };
      }
      let queue = orderQueue(await this.store.listQueue(scope));
      if (!current && queue.length === 0) {
        // Free and nobody waiting: take it directly.
        try {
          return { acquired: true, lock: await this.store.acquireLock(lock) };
        } catch (e) {
          if (!isPreconditionFailed(e)) throw e;
          continue; // someone was faster: go round (and queue)
        }
      }
      // Wait in line, even when the lock is momentarily free: settle gives a free lock to the queue's head (FIFO).
      if (!queue.some((e) => e.deploymentId === id)) await this.enqueue(request);
      await this.settle(scope);
      const holder = await this.store.getLock(scope);
      if (holder?.holderDeploymentId === id) return { acquired: true, lock: holder };
      if (!holder) continue;
      queue = orderQueue(await this.store.listQueue(scope));
      const position = queuePosition(queue, id);
      if (position === undefined) continue; // removed meanwhile (leaveQueue, janitor): queue again
      return {
        acquired: false,
        queuedBehind: holder.holderDeploymentId,
        position,
        queueLength: queue.length,
      };
    }
    throw this.contended(scope);
  }

  /**
   * Gives the lock up. If deployments are queued, the lock is handed straight to the first one still worth
   * running (not finished) and returned as `next`. Releasing a lock you do not hold changes nothing: never
   * another deployment's lock. Also removes the deployment from the queue (a queued deployment that was stopped).
   * A janitor that has established the holder is dead releases on its behalf by passing the holder's id.
   */
  async release(scope: LockScope, deploymentId: string): Promise<ReleaseResult> {
    const g = checkLockScope(scope);
    checkDeploymentId(deploymentId);
    await this.store.deleteQueueEntry(g, deploymentId);
    for (let round = 1; round <= this.maxRounds; round++) {
      const lock = await this.store.getLock(g);
      if (!lock) {
        const granted = await this.settle(g);
        return {
          released: false,
          ...(granted ? { next: nextOf(granted) } : {}),
        };
      }
      if (lock.holderDeploymentId !== deploymentId) {
        // A repeated release after we handed over gets the same answer as the first one.
        if (lock.handedOverFrom === deploymentId)
          return {
            released: true,
            next: nextOf({
              deploymentId: lock.holderDeploymentId,
              executionArn: lock.executionArn,
            }),
          };
        return { released: false, holder: lock.holderDeploymentId };
      }
      const next = await this.nextEligible(g, deploymentId);
      try {
        if (next) {
          const handed: TargetLock = {
            ...g,
            application: next.application,
            deploymentGroup: next.deploymentGroup,
            holderDeploymentId: next.deploymentId,
            acquiredAt: this.now(),
            handedOverFrom: deploymentId,
            ...(next.executionArn ? { executionArn: next.executionArn } : {}),
          };
          await this.store.transferLock(deploymentId, handed);
          await this.store.deleteQueueEntry(g, next.deploymentId);
          return { released: true, next: nextOf(next) };
        }
        await this.store.deleteLock(g, deploymentId);
      } catch (e) {
        if (!isPreconditionFailed(e)) throw e;
        continue; // the lock moved under us (a concurrent release of ours): decide again on fresh data
      }
      // Someone may have queued between our queue read and the delete: hand the free lock to them.
      const granted = await this.settle(g);
      return { released: true, ...(granted ? { next: nextOf(granted) } : {}) };
    }
    throw this.contended(g);
  }

  /** Leaves the target's queue (e.g. a queued deployment was stopped). Does not touch the lock. */
  async leaveQueue(scope: LockScope, deploymentId: string): Promise<void> {
    const g = checkLockScope(scope);
    await this.store.deleteQueueEntry(g, checkDeploymentId(deploymentId));
    await this.settle(g);
  }

  /** Validates a lock request. A deployment whose record says it finished cannot take a lock (a zombie execution). */
  private async lockFor(request: LockRequest): Promise<{ scope: LockScope; lock: TargetLock }> {
    const scope = checkLockScope(request);
    const group = checkGroup(request);
    checkDeploymentId(request.deploymentId);
    if (request.executionArn !== undefined && (typeof request.executionArn !== "string" || request.executionArn === "")) {
      throw new ValidationError("executionArn", "must be a non-empty string");
    }
    const record = await this.store.getDeployment(request.deploymentId);
    if (record && isFinalStatus(record.status)) {
      throw new DeploymentAlreadyCompletedError(request.deploymentId, record.status, `take the lock of ${scope.lockKey}`);
    }
    const lock: TargetLock = {
      ...scope,
      ...group,
      holderDeploymentId: request.deploymentId,
      acquiredAt: this.now(),
      ...(request.executionArn ? { executionArn: request.executionArn } : {}),
    };
    return { scope, lock };
  }

  private async enqueue(request: LockRequest): Promise<void> {
    const scope = { lockKey: request.lockKey };
    const sequence = await this.store.nextQueueSequence(scope);
    const entry: QueueEntry = {
      ...scope,
      application: request.application,
      deploymentGroup: request.deploymentGroup,
      deploymentId: request.deploymentId,
      sequence,
      enqueuedAt: this.now(),
      ...(request.executionArn ? { executionArn: request.executionArn } : {}),
    };
    try {
      await this.store.putQueueEntry(entry);
    } catch (e) {
      if (!isPreconditionFailed(e)) throw e; // a concurrent call of ours queued it first: keep that place
    }
  }

  /**
   * The first queued deployment still worth running. Entries of `exclude` (the releasing holder) and of
   * deployments that already finished (stopped while queued, say) are removed on the way.
   */
  private async nextEligible(scope: LockScope, exclude?: string): Promise<QueueEntry | undefined> {
    for (const entry of orderQueue(await this.store.listQueue(scope))) {
      const record = entry.deploymentId === exclude ? undefined : await this.store.getDeployment(entry.deploymentId);
      if (entry.deploymentId === exclude || (record && isFinalStatus(record.status))) {
        await this.store.deleteQueueEntry(scope, entry.deploymentId);
        continue;
      }
      return entry;
    }
    return undefined;
  }

  /** If the lock is free and someone is queued, grant it to the queue's head (closes the release/enqueue race). */
  private async settle(scope: LockScope): Promise<QueueEntry | undefined> {
    if (await this.store.getLock(scope)) return undefined;
    const head = await this.nextEligible(scope);
    if (!head) return undefined;
    try {
      await this.store.acquireLock({
        lockKey: scope.lockKey,
        application: head.application,
        deploymentGroup: head.deploymentGroup,
        holderDeploymentId: head.deploymentId,
        acquiredAt: this.now(),
        ...(head.executionArn ? { executionArn: head.executionArn } : {}),
      });
    } catch (e) {
      if (!isPreconditionFailed(e)) throw e;
      return undefined; // taken meanwhile
    }
    await this.store.deleteQueueEntry(scope, head.deploymentId);
    return head;
  }
}

function nextOf(entry: { deploymentId: string; executionArn?: string }): NextDeployment {
  return {
    deploymentId: entry.deploymentId,
    ...(entry.executionArn ? { executionArn: entry.executionArn } : {}),
  };
}
