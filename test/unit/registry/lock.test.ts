// @long-running: started early from a fresh clone (vitest.config.ts, LongestFirst).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AcquireResult,
  DeploymentRegistry,
  type LockScope,
  type QueueEntry,
  type ReleaseResult,
  type TargetLock,
} from "../../../functions/domain/registry/index.js";
import { type LocalDynamoDb, startDynalite } from "../../support/dynalite.js";
import { failure, freshGroup, freshId, lambdaDeployment, registryOn, steppingClock, storeOn } from "./helpers.js";

let db: LocalDynamoDb;
let registry: DeploymentRegistry;

beforeAll(async () => {
  db = await startDynalite();
  registry = registryOn(db);
});
afterAll(async () => {
  await db?.close();
});

/** The target's lock and queue, as groupState shows them for a group's running deployment. */
async function targetState(reg: DeploymentRegistry, scope: LockScope): Promise<{ lock?: TargetLock; queue: QueueEntry[] }> {
  const [lock, queue] = await Promise.all([reg.getLock(scope), reg.listQueue(scope)]);
  return { queue, ...(lock ? { lock } : {}) };
}

/** Several "Lambdas": independent registry instances on the same table. */
const workers = (n: number) => Array.from({ length: n }, () => registryOn(db));

describe("fail-fast lock (acquireLock)", () => {
  it.each([2, 20])("%i concurrent acquires on one group: exactly one holder, the others get Deploy.ConflictingDeployment naming it", async (n) => {
    const group = freshGroup();
    const ids = Array.from({ length: n }, freshId);
    const regs = workers(n);
    const results = await Promise.allSettled(
      ids.map((deploymentId, i) =>
        regs[i]!.acquireLock({
          ...group,
          deploymentId,
          executionArn: `arn:exec:${deploymentId}`,
        }),
      ),
    );
    const won = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(won).toHaveLength(1);
    const holder = won[0]!.holderDeploymentId;
    const lock = await registry.getLock(group);
    expect(lock).toMatchObject({
      ...group,
      holderDeploymentId: holder,
      executionArn: `arn:exec:${holder}`,
    });
    for (const r of results) {
      if (r.status === "fulfilled") continue;
      expect((r.reason as Error).name).toBe("Deploy.ConflictingDeployment");
      expect((r.reason as Error).message).toBe(`A conflicting deployment (${holder} of ${group.application}/${group.deploymentGroup}) is in progress on ${group.lockKey}`);
      expect(r.reason).toMatchObject({ activeDeploymentId: holder });
    }
  });

  it("acquiring a lock you already hold succeeds and keeps acquiredAt", async () => {
    const group = freshGroup();
    const id = freshId();
    const first = await registry.acquireLock({
      ...group,
      deploymentId: id,
      executionArn: "arn:1",
    });
    const again = await registry.acquireLock({
      ...group,
      deploymentId: id,
      executionArn: "arn:1",
    });
    expect(again).toEqual(first);
    const both = await Promise.all([registry.acquireLock({ ...group, deploymentId: id }), registry.acquireLock({ ...group, deploymentId: id })]);
    expect(both.map((l) => l.acquiredAt)).toEqual([first.acquiredAt, first.acquiredAt]);
  });

  it("the lock is per traffic target: other targets are free, and any group is refused on a held target", async () => {
    const group = freshGroup();
    const holder = freshId();
    await registry.acquireLock({ ...group, deploymentId: holder });
    await expect(registry.acquireLock({ ...freshGroup(), deploymentId: freshId() })).resolves.toBeDefined();
    // Another application, and the same group name in another letter case, on the same target.
    for (const other of [{ application: "other-app", deploymentGroup: group.deploymentGroup }, { application: group.application, deploymentGroup: group.deploymentGroup.toUpperCase() }]) {
      const refused = await failure(registry.acquireLock({ ...other, lockKey: group.lockKey, deploymentId: freshId() }));
      expect(refused).toEqual({
        name: "Deploy.ConflictingDeployment",
        message: `A conflicting deployment (${holder} of ${group.application}/${group.deploymentGroup}) is in progress on ${group.lockKey}`,
      });
    }
  });

  it("rejects malformed ids and names before touching the table", async () => {
    expect(await failure(registry.acquireLock({ ...freshGroup(), deploymentId: "d-lower" }))).toMatchObject({ name: "Deploy.InvalidInput" });
    expect(
      await failure(
        registry.acquireLock({
          application: "a#b",
          deploymentGroup: "g",
          lockKey: "arn:aws:lambda:us-east-1:123456789012:function:f:a",
          deploymentId: freshId(),
        }),
      ),
    ).toMatchObject({ name: "Deploy.InvalidInput" });
  });
});

describe("release", () => {
  it("is idempotent and never releases another deployment's lock", async () => {
    const group = freshGroup();
    const [a, b] = [freshId(), freshId()];
    await registry.acquireLock({ ...group, deploymentId: a });
    expect(await registry.release(group, b)).toEqual({
      released: false,
      holder: a,
    });
    expect((await registry.getLock(group))?.holderDeploymentId).toBe(a);
    expect(await registry.release(group, a)).toEqual({ released: true });
    expect(await registry.release(group, a)).toEqual({ released: false });
    expect(await registry.getLock(group)).toBeUndefined();
    await registry.acquireLock({ ...group, deploymentId: b });
    expect(await registry.release(group, a)).toEqual({
      released: false,
      holder: b,
    });
    expect((await registry.getLock(group))?.holderDeploymentId).toBe(b);
  });

  it("two concurrent releases by the holder hand over once and report the same next", async () => {
    const group = freshGroup();
    const [a, b, c] = [freshId(), freshId(), freshId()];
    await registry.acquireLock({ ...group, deploymentId: a });
    await registry.acquireOrEnqueue({
      ...group,
      deploymentId: b,
      executionArn: "arn:b",
    });
    await registry.acquireOrEnqueue({ ...group, deploymentId: c });
    const [r1, r2] = await Promise.all(workers(2).map((w) => w.release(group, a)));
    expect(r1).toEqual({
      released: true,
      next: { deploymentId: b, executionArn: "arn:b" },
    });
    expect(r2).toEqual(r1);
    expect(await registry.getLock(group)).toMatchObject({
      holderDeploymentId: b,
      handedOverFrom: a,
      executionArn: "arn:b",
    });
    expect((await registry.listQueue(group)).map((e) => e.deploymentId)).toEqual([c]);
  });
});

describe("queueing (acquireOrEnqueue)", () => {
  it("queues in arrival order, keeps places on re-poll, hands the lock over on release", async () => {
    const group = freshGroup();
    const [a, b, c, d] = [freshId(), freshId(), freshId(), freshId()];
    expect(await registry.acquireOrEnqueue({ ...group, deploymentId: a })).toMatchObject({ acquired: true, lock: { holderDeploymentId: a } });
    expect(
      await registry.acquireOrEnqueue({
        ...group,
        deploymentId: b,
        executionArn: "arn:b",
      }),
    ).toEqual({
      acquired: false,
      queuedBehind: a,
      position: 1,
      queueLength: 1,
    });
    expect(
      await registry.acquireOrEnqueue({
        ...group,
        deploymentId: c,
        executionArn: "arn:c",
      }),
    ).toEqual({
      acquired: false,
      queuedBehind: a,
      position: 2,
      queueLength: 2,
    });
    expect(await registry.acquireOrEnqueue({ ...group, deploymentId: d })).toEqual({
      acquired: false,
      queuedBehind: a,
      position: 3,
      queueLength: 3,
    });
    // Polling again keeps the place (no duplicate entry).
    expect(
      await registry.acquireOrEnqueue({
        ...group,
        deploymentId: c,
        executionArn: "arn:c",
      }),
    ).toEqual({
      acquired: false,
      queuedBehind: a,
      position: 2,
      queueLength: 3,
    });
    // The holder polling is an idempotent re-acquire.
    expect(await registry.acquireOrEnqueue({ ...group, deploymentId: a })).toMatchObject({ acquired: true });
    // A fail-fast start meanwhile is refused, naming the holder.
    expect(await failure(registry.acquireLock({ ...group, deploymentId: freshId() }))).toMatchObject({
      name: "Deploy.ConflictingDeployment",
      message: expect.stringContaining(`(${a} of `),
    });

    expect(await registry.release(group, a)).toEqual({
      released: true,
      next: { deploymentId: b, executionArn: "arn:b" },
    });
    expect(
      await registry.acquireOrEnqueue({
        ...group,
        deploymentId: b,
        executionArn: "arn:b",
      }),
    ).toMatchObject({
      acquired: true,
      lock: { holderDeploymentId: b, handedOverFrom: a },
    });
    expect(await registry.acquireOrEnqueue({ ...group, deploymentId: d })).toEqual({
      acquired: false,
      queuedBehind: b,
      position: 2,
      queueLength: 2,
    });
    expect(await registry.release(group, b)).toEqual({
      released: true,
      next: { deploymentId: c, executionArn: "arn:c" },
    });
    // D gives up waiting: it leaves the queue; C's release then frees the lock.
    await registry.leaveQueue(group, d);
    expect(await registry.release(group, c)).toEqual({ released: true });
    expect(await targetState(registry, group)).toEqual({ queue: [] });
  });

  it("skips queued deployments that already finished (stopped while waiting)", async () => {
    const group = freshGroup();
    const [a, b, c] = [freshId(), freshId(), freshId()];
    for (const id of [a, b, c]) await registry.createDeployment(lambdaDeployment(group, id));
    await registry.acquireOrEnqueue({ ...group, deploymentId: a });
    await registry.acquireOrEnqueue({ ...group, deploymentId: b });
    await registry.acquireOrEnqueue({ ...group, deploymentId: c });
    await registry.markStopped(b, "Deploy.Stopped", "stopped while queued");
    expect(await registry.release(group, a)).toEqual({
      released: true,
      next: { deploymentId: c },
    });
    expect(await registry.listQueue(group)).toEqual([]);
  });

  it("a deployment that already finished cannot take a lock (a zombie execution polling)", async () => {
    const group = freshGroup();
    const { deploymentId } = (await registry.createDeployment(lambdaDeployment(group))).record;
    await registry.markStopped(deploymentId, "Deploy.Stopped", "stopped while queued");
    for (const attempt of [registry.acquireLock({ ...group, deploymentId }), registry.acquireOrEnqueue({ ...group, deploymentId })]) {
      expect(await failure(attempt)).toMatchObject({ name: "Deploy.DeploymentAlreadyCompleted" });
    }
    expect(await targetState(registry, group)).toEqual({ queue: [] });
  });

  it("a queued deployment that releases just leaves the queue", async () => {
    const group = freshGroup();
    const [a, b] = [freshId(), freshId()];
    await registry.acquireOrEnqueue({ ...group, deploymentId: a });
    await registry.acquireOrEnqueue({ ...group, deploymentId: b });
    expect(await registry.release(group, b)).toEqual({
      released: false,
      holder: a,
    });
    expect(await registry.listQueue(group)).toEqual([]);
  });

  it("20 concurrent acquireOrEnqueue: one holder, 19 queued once each, each gets the lock exactly once in queue order", async () => {
    const group = freshGroup();
    const ids = Array.from({ length: 20 }, freshId);
    const regs = workers(20);
    const results = await Promise.all(ids.map((deploymentId, i) => regs[i]!.acquireOrEnqueue({ ...group, deploymentId })));
    const holders = results.flatMap((r, i) => (r.acquired ? [ids[i]!] : []));
    expect(holders).toHaveLength(1);
    for (const r of results) if (!r.acquired) expect(r.queuedBehind).toBe(holders[0]);
    const queue = (await registry.listQueue(group)).map((e) => e.deploymentId);
    expect(queue).toHaveLength(19);
    expect(new Set([...queue, holders[0]])).toEqual(new Set(ids));
    const order = [holders[0]!];
    for (;;) {
      const r = await registry.release(group, order[order.length - 1]!);
      expect(r.released).toBe(true);
      if (!r.next) break;
      order.push(r.next.deploymentId);
    }
    expect(order).toEqual([holders[0], ...queue]);
    expect(await registry.getLock(group)).toBeUndefined();
  });

  it("a deployment invoked twice at once queues once", async () => {
    const group = freshGroup();
    const [a, b] = [freshId(), freshId()];
    await registry.acquireLock({ ...group, deploymentId: a });
    const [r1, r2] = await Promise.all(workers(2).map((w) => w.acquireOrEnqueue({ ...group, deploymentId: b })));
    expect(r1).toEqual({
      acquired: false,
      queuedBehind: a,
      position: 1,
      queueLength: 1,
    });
    expect(r2).toEqual(r1);
  });

  it("no lost wake-up: a release racing an enqueue always leaves the waiter holding the lock", async () => {
    for (let i = 0; i < 25; i++) {
      const group = freshGroup("race");
      const [a, b] = [freshId(), freshId()];
      await registry.acquireLock({ ...group, deploymentId: a });
      const [w1, w2] = workers(2);
      await Promise.all([w1!.release(group, a), w2!.acquireOrEnqueue({ ...group, deploymentId: b })]);
      expect(await targetState(registry, group)).toMatchObject({
        lock: { holderDeploymentId: b },
        queue: [],
      });
      expect(await registry.acquireOrEnqueue({ ...group, deploymentId: b })).toMatchObject({ acquired: true });
    }
  });
});

// ------------------------------------------------------------------ model-based: sequential ops vs a FIFO model

type LockOp = {
  kind: "acquireOrEnqueue" | "release" | "acquireLock" | "leaveQueue";
  who: number;
};

class Model {
  holder?: string;
  handedOverFrom?: string;
  queue: string[] = [];

  acquireOrEnqueue(id: string): AcquireResult {
    if (!this.holder) {
      this.holder = id;
      this.handedOverFrom = undefined;
      return {
        acquired: true,
        lock: expect.objectContaining({ holderDeploymentId: id }),
      };
    }
    if (this.holder === id)
      return {
        acquired: true,
        lock: expect.objectContaining({ holderDeploymentId: id }),
      };
    if (!this.queue.includes(id)) this.queue.push(id);
    return {
      acquired: false,
      queuedBehind: this.holder,
      position: this.queue.indexOf(id) + 1,
      queueLength: this.queue.length,
    };
  }

  acquireLock(id: string): string {
    if (this.holder && this.holder !== id) return "Deploy.ConflictingDeployment";
    if (!this.holder) this.handedOverFrom = undefined;
    this.holder = id;
    return "ok";
  }

  release(id: string): ReleaseResult {
    this.queue = this.queue.filter((q) => q !== id);
    if (!this.holder) return { released: false };
    if (this.holder !== id)
      return this.handedOverFrom === id ? { released: true, next: { deploymentId: this.holder } } : { released: false, holder: this.holder };
    const next = this.queue.shift();
    this.holder = next;
    this.handedOverFrom = next ? id : undefined;
    return next ? { released: true, next: { deploymentId: next } } : { released: true };
  }

  leaveQueue(id: string): void {
    this.queue = this.queue.filter((q) => q !== id);
  }
}

describe("property: sequential lock/queue operations behave like a FIFO lock", () => {
  it("matches the model and keeps the invariants (one holder, holder not queued)", async () => {
    const opArb = fc.record({
      kind: fc.constantFrom("acquireOrEnqueue", "release", "acquireLock", "leaveQueue" as const),
      who: fc.integer({ min: 0, max: 3 }),
    }) as fc.Arbitrary<LockOp>;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 14 }), async (ops) => {
        const group = freshGroup("model");
        const ids = Array.from({ length: 4 }, freshId);
        const model = new Model();
        for (const op of ops) {
          const id = ids[op.who]!;
          switch (op.kind) {
            case "acquireOrEnqueue":
              expect(
                await registry.acquireOrEnqueue({
                  ...group,
                  deploymentId: id,
                }),
              ).toEqual(model.acquireOrEnqueue(id));
              break;
            case "acquireLock": {
              const got = await registry.acquireLock({ ...group, deploymentId: id }).then(
                () => "ok",
                (e: Error) => e.name,
              );
              expect(got).toBe(model.acquireLock(id));
              break;
            }
            case "release":
              expect(await registry.release(group, id)).toEqual(model.release(id));
              break;
            case "leaveQueue":
              await registry.leaveQueue(group, id);
              model.leaveQueue(id);
              break;
          }
          const state = await targetState(registry, group);
          expect(state.lock?.holderDeploymentId).toBe(model.holder);
          expect(state.queue.map((e) => e.deploymentId)).toEqual(model.queue);
          if (state.lock) expect(state.queue.map((e) => e.deploymentId)).not.toContain(state.lock.holderDeploymentId);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("crash between hand-over and queue cleanup", () => {
  it("a stale queue entry of the new holder is ignored and cleaned", async () => {
    const group = freshGroup();
    const [a, b, c] = [freshId(), freshId(), freshId()];
    const store = storeOn(db);
    await registry.acquireLock({ ...group, deploymentId: a });
    await registry.acquireOrEnqueue({ ...group, deploymentId: b });
    await registry.acquireOrEnqueue({ ...group, deploymentId: c });
    // Simulate release(a) dying after transferLock, before deleting b's queue entry.
    await store.transferLock(a, {
      ...group,
      holderDeploymentId: b,
      acquiredAt: "2026-01-01T00:00:00.000Z",
      handedOverFrom: a,
    });
    expect((await registry.listQueue(group)).map((e) => e.deploymentId)).toEqual([b, c]);
    // The retried release answers as the first would have.
    expect(await registry.release(group, a)).toEqual({
      released: true,
      next: { deploymentId: b },
    });
    // b's own release skips its stale entry and hands over to c.
    expect(await registry.release(group, b)).toEqual({
      released: true,
      next: { deploymentId: c },
    });
    expect(await targetState(registry, group)).toMatchObject({
      lock: { holderDeploymentId: c },
      queue: [],
    });
  });
});

// ------------------------------------------------------------------ forced interleavings

/** Wraps the store so a test can hold one call until it says go (the race is then deterministic). */
function gated(before: Partial<Record<"deleteLock" | "putQueueEntry" | "listQueue", () => Promise<void>>>) {
  const store = storeOn(db);
  for (const [name, hook] of Object.entries(before)) {
    const key = name as keyof typeof before;
    const original = store[key].bind(store) as (...args: unknown[]) => Promise<unknown>;
    (store as unknown as Record<string, unknown>)[key] = async (...args: unknown[]) => {
      await hook!();
      return original(...args);
    };
  }
  return new DeploymentRegistry(store, { clock: steppingClock() });
}

function signal(): { promise: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const promise = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { promise, fire };
}

describe("forced interleavings", () => {
  it("release read an empty queue, then someone queued before the lock was deleted: the release hands it over", async () => {
    const group = freshGroup();
    const [a, b] = [freshId(), freshId()];
    await registry.acquireLock({ ...group, deploymentId: a });
    const atDelete = signal();
    const go = signal();
    const releasing = gated({
      deleteLock: async () => {
        atDelete.fire();
        await go.promise;
      },
    });
    const release = releasing.release(group, a);
    await atDelete.promise; // a has seen an empty queue and is about to delete the lock
    expect(await registry.acquireOrEnqueue({ ...group, deploymentId: b })).toEqual({
      acquired: false,
      queuedBehind: a,
      position: 1,
      queueLength: 1,
    });
    go.fire();
    expect(await release).toEqual({
      released: true,
      next: { deploymentId: b },
    });
    expect(await targetState(registry, group)).toMatchObject({
      lock: { holderDeploymentId: b },
      queue: [],
    });
  });

  it("an enqueue that lands after the release finished still gets the lock", async () => {
    const group = freshGroup();
    const [a, b] = [freshId(), freshId()];
    await registry.acquireLock({ ...group, deploymentId: a });
    const atPut = signal();
    const go = signal();
    const waiting = gated({
      putQueueEntry: async () => {
        atPut.fire();
        await go.promise;
      },
    });
    const acquire = waiting.acquireOrEnqueue({ ...group, deploymentId: b });
    await atPut.promise; // b saw the lock held and is about to queue
    expect(await registry.release(group, a)).toEqual({ released: true });
    go.fire();
    expect(await acquire).toMatchObject({
      acquired: true,
      lock: { holderDeploymentId: b },
    });
    expect(await registry.listQueue(group)).toEqual([]);
  });

  it("a free lock with deployments waiting goes to the first in line, not to a newcomer", async () => {
    const group = freshGroup();
    const [c, b] = [freshId(), freshId()];
    // The state a crash can leave: nobody holds the lock, c waits.
    await storeOn(db).putQueueEntry({
      ...group,
      deploymentId: c,
      sequence: 1,
      enqueuedAt: "2026-01-01T00:00:00.000Z",
    });
    expect(await registry.acquireOrEnqueue({ ...group, deploymentId: b })).toEqual({
      acquired: false,
      queuedBehind: c,
      position: 1,
      queueLength: 1,
    });
    expect(await registry.getLock(group)).toMatchObject({
      holderDeploymentId: c,
    });
  });
});
