import { ErrorNames, StepDeployError, ValidationError } from "../errors.js";
import { ConflictingDeploymentError, DeploymentAlreadyCompletedError, isPreconditionFailed } from "./errors.js";
import { checkDeploymentId, checkGroup } from "./model.js";
import type { RegistryStore } from "./port.js";
import { orderQueue, queuePosition } from "./queue.js";
import { type GroupLock, type GroupRef, isFinalStatus, type QueueEntry } from "./types.js";

export interface LockRequest extends GroupRef {
  deploymentId: string;
  executionArn?: string;
}

export type AcquireResult =
  | { acquired: true; lock: GroupLock }
  | {
      acquired: false;
      /** The deployment holding the lock now. */
      queuedBehind: string;
      /** 1-based place in the group's queue (1: next to get the lock). */
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
 * The one-deployment-per-group lock and its FIFO queue, over the store's conditional writes. Every method is
 * safe to repeat. Multi-step operations are ordered so that a crash between steps leaves a state the next call
 * repairs: see docs/registry.md.
 */
export class GroupLocks {
  constructor(
    private readonly store: RegistryStore,
    private readonly now: () => string,
    private readonly maxRounds: number,
  ) {}

  async getLock(group: GroupRef): Promise<GroupLock | undefined> {
    return this.store.getLock(checkGroup(group));
  }

  /** The group's queue in FIFO order. */
  async listQueue(group: GroupRef): Promise<QueueEntry[]> {
    return orderQueue(await this.store.listQueue(checkGroup(group)));
  }

  /**
   * Takes the group's lock or fails fast with `Deploy.ConflictingDeployment` naming the holder.
   * Taking a lock you already hold succeeds (keeps the original acquiredAt).
   */
  async acquireLock(request: LockRequest): Promise<GroupLock> {
    const { group, lock } = await this.lockFor(request);
    for (let round = 1; round <= this.maxRounds; round++) {
      try {
        return await this.store.acquireLock(lock);
      } catch (e) {
        if (!isPreconditionFailed(e)) throw e;
      }
      const holder = await this.store.getLock(group);
      if (holder && holder.holderDeploymentId !== request.deploymentId) {
        throw new ConflictingDeploymentError(holder.holderDeploymentId, group.application, group.deploymentGroup);
      }
      // Released between our write and our read: go round.
    }
    throw new StepDeployError(
      ErrorNames.Transient,
      `The lock of ${group.application}/${group.deploymentGroup} changed hands ${this.maxRounds} times; try again`,
    );
  }

  /**
   * Takes the lock, or joins the group's FIFO queue and reports the place. Call it again to poll: a queued
   * deployment keeps its place, and is handed the lock by the holder's `release` (or here, when the lock is free
   * and it is first in line). A lock that is free while others wait goes to the first of them, not to the caller.
   */
  async acquireOrEnqueue(request: LockRequest): Promise<AcquireResult> {
    const { group, lock } = await this.lockFor(request);
    const id = request.deploymentId;
    for (let round = 1; round <= this.maxRounds; round++) {
      const current = await this.store.getLock(group);
      if (current?.holderDeploymentId === id) {
        await this.store.deleteQueueEntry(group, id); // left over by a hand-over that died before its cleanup
        return { acquired: true, lock: current };
      }
      let queue = orderQueue(await this.store.listQueue(group));
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
      if (!queue.some((e) => e.deploymentId === id)) await this.enqueue(group, request);
      await this.settle(group);
      const holder = await this.store.getLock(group);
      if (holder?.holderDeploymentId === id) return { acquired: true, lock: holder };
      if (!holder) continue;
      queue = orderQueue(await this.store.listQueue(group));
      const position = queuePosition(queue, id);
      if (position === undefined) continue; // removed meanwhile (leaveQueue, janitor): queue again
      return {
        acquired: false,
        queuedBehind: holder.holderDeploymentId,
        position,
        queueLength: queue.length,
      };
    }
    throw new StepDeployError(
      ErrorNames.Transient,
      `The lock of ${group.application}/${group.deploymentGroup} changed hands ${this.maxRounds} times; try again`,
    );
  }

  /**
   * Gives the lock up. If deployments are queued, the lock is handed straight to the first one still worth
   * running (not finished) and returned as `next`. Releasing a lock you do not hold changes nothing: never
   * another deployment's lock. Also removes the deployment from the queue (a queued deployment that was stopped).
   * A janitor that has established the holder is dead releases on its behalf by passing the holder's id.
   */
  async release(group: GroupRef, deploymentId: string): Promise<ReleaseResult> {
    const g = checkGroup(group);
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
          const handed: GroupLock = {
            ...g,
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
    throw new StepDeployError(ErrorNames.Transient, `The lock of ${g.application}/${g.deploymentGroup} changed hands ${this.maxRounds} times; try again`);
  }

  /** Leaves the group's queue (e.g. a queued deployment was stopped). Does not touch the lock. */
  async leaveQueue(group: GroupRef, deploymentId: string): Promise<void> {
    const g = checkGroup(group);
    await this.store.deleteQueueEntry(g, checkDeploymentId(deploymentId));
    await this.settle(g);
  }

  /** Validates a lock request. A deployment whose record says it finished cannot take a lock (a zombie execution). */
  private async lockFor(request: LockRequest): Promise<{ group: GroupRef; lock: GroupLock }> {
    const group = checkGroup(request);
    checkDeploymentId(request.deploymentId);
    if (request.executionArn !== undefined && (typeof request.executionArn !== "string" || request.executionArn === "")) {
      throw new ValidationError("executionArn", "must be a non-empty string");
    }
    const record = await this.store.getDeployment(request.deploymentId);
    if (record && isFinalStatus(record.status)) {
      throw new DeploymentAlreadyCompletedError(request.deploymentId, record.status, `take the lock of ${group.application}/${group.deploymentGroup}`);
    }
    const lock: GroupLock = {
      ...group,
      holderDeploymentId: request.deploymentId,
      acquiredAt: this.now(),
      ...(request.executionArn ? { executionArn: request.executionArn } : {}),
    };
    return { group, lock };
  }

  private async enqueue(group: GroupRef, request: LockRequest): Promise<void> {
    const sequence = await this.store.nextQueueSequence(group);
    const entry: QueueEntry = {
      ...group,
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
  private async nextEligible(group: GroupRef, exclude?: string): Promise<QueueEntry | undefined> {
    for (const entry of orderQueue(await this.store.listQueue(group))) {
      const record = entry.deploymentId === exclude ? undefined : await this.store.getDeployment(entry.deploymentId);
      if (entry.deploymentId === exclude || (record && isFinalStatus(record.status))) {
        await this.store.deleteQueueEntry(group, entry.deploymentId);
        continue;
      }
      return entry;
    }
    return undefined;
  }

  /** If the lock is free and someone is queued, grant it to the queue's head (closes the release/enqueue race). */
  private async settle(group: GroupRef): Promise<QueueEntry | undefined> {
    if (await this.store.getLock(group)) return undefined;
    const head = await this.nextEligible(group);
    if (!head) return undefined;
    try {
      await this.store.acquireLock({
        ...group,
        holderDeploymentId: head.deploymentId,
        acquiredAt: this.now(),
        ...(head.executionArn ? { executionArn: head.executionArn } : {}),
      });
    } catch (e) {
      if (!isPreconditionFailed(e)) throw e;
      return undefined; // taken meanwhile
    }
    await this.store.deleteQueueEntry(group, head.deploymentId);
    return head;
  }
}

function nextOf(entry: { deploymentId: string; executionArn?: string }): NextDeployment {
  return {
    deploymentId: entry.deploymentId,
    ...(entry.executionArn ? { executionArn: entry.executionArn } : {}),
  };
}
