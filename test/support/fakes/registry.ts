import { PreconditionFailedError } from "../../../functions/domain/registry/errors.js";
import { historyKey } from "../../../functions/domain/registry/model.js";
import type { DeploymentPage, DeploymentQuery, RegistryStore } from "../../../functions/domain/registry/port.js";
import { DeploymentRegistry } from "../../../functions/domain/registry/registry.js";
import type { DeploymentRecord, GroupRef, InstanceHealthRecord, LastSuccessful, LockScope, QueueEntry, TargetLock } from "../../../functions/domain/registry/types.js";

const copy = <T>(v: T): T => structuredClone(v);
const groupKey = (g: GroupRef) => `${g.application}#${g.deploymentGroup}`;

/**
 * The registry's storage in memory, with the same conditions as the DynamoDB store (each write conditional
 * exactly as adapters/dynamodb-registry.ts asks DynamoDB): the fake behind `fakeRegistry`, so handler tests run
 * the real registry logic without a database.
 */
export class InMemoryRegistryStore implements RegistryStore {
  readonly deployments = new Map<string, DeploymentRecord>();
  readonly locks = new Map<string, TargetLock>();
  readonly queues = new Map<string, Map<string, QueueEntry>>();
  readonly sequences = new Map<string, number>();
  readonly lastSuccessful = new Map<string, LastSuccessful>();

  async getDeployment(id: string) {
    return copy(this.deployments.get(id));
  }
  async putDeployment(record: DeploymentRecord) {
    const stored = this.deployments.get(record.deploymentId);
    const ok = record.version === 1 ? !stored : stored?.version === record.version - 1;
    if (!ok) throw new PreconditionFailedError(`deployment ${record.deploymentId} v${record.version}`);
    this.deployments.set(record.deploymentId, copy(record));
  }
  async queryDeployments(query: DeploymentQuery): Promise<DeploymentPage> {
    const match = (r: DeploymentRecord) => ("group" in query.by ? groupKey(r) === groupKey(query.by.group) : r.status === query.by.status);
    const all = [...this.deployments.values()]
      .filter(match)
      .filter((r) => query.before === undefined || historyKey(r) < query.before)
      .sort((a, b) => (historyKey(a) < historyKey(b) ? 1 : -1));
    return { items: copy(all.slice(0, query.limit)), more: all.length > query.limit };
  }
  async getLock(scope: LockScope) {
    return copy(this.locks.get(scope.lockKey));
  }
  async acquireLock(lock: TargetLock) {
    const held = this.locks.get(lock.lockKey);
    if (held && held.holderDeploymentId !== lock.holderDeploymentId) throw new PreconditionFailedError(`lock ${lock.lockKey}`);
    const stored = { ...lock, acquiredAt: held?.acquiredAt ?? lock.acquiredAt, ...(held?.executionArn ? { executionArn: held.executionArn } : {}) };
    this.locks.set(lock.lockKey, copy(stored));
    return copy(stored);
  }
  async transferLock(from: string, lock: TargetLock) {
    if (this.locks.get(lock.lockKey)?.holderDeploymentId !== from) throw new PreconditionFailedError(`lock ${lock.lockKey} from ${from}`);
    this.locks.set(lock.lockKey, copy(lock));
  }
  async deleteLock(scope: LockScope, holder: string) {
    if (this.locks.get(scope.lockKey)?.holderDeploymentId !== holder) throw new PreconditionFailedError(`lock ${scope.lockKey} held by ${holder}`);
    this.locks.delete(scope.lockKey);
  }
  async nextQueueSequence(scope: LockScope) {
    const n = (this.sequences.get(scope.lockKey) ?? 0) + 1;
    this.sequences.set(scope.lockKey, n);
    return n;
  }
  private queue(key: string): Map<string, QueueEntry> {
    const q = this.queues.get(key) ?? new Map<string, QueueEntry>();
    this.queues.set(key, q);
    return q;
  }
  async putQueueEntry(entry: QueueEntry) {
    const q = this.queue(entry.lockKey);
    if (q.has(entry.deploymentId)) throw new PreconditionFailedError(`queue entry ${entry.deploymentId}`);
    q.set(entry.deploymentId, copy(entry));
  }
  async listQueue(scope: LockScope) {
    return copy([...this.queue(scope.lockKey).values()]);
  }
  async deleteQueueEntry(scope: LockScope, id: string) {
    this.queue(scope.lockKey).delete(id);
  }
  async getLastSuccessful(group: GroupRef) {
    return copy(this.lastSuccessful.get(groupKey(group)));
  }
  async putLastSuccessful(item: LastSuccessful) {
    const stored = this.lastSuccessful.get(groupKey(item));
    if (stored && stored.deploymentId !== item.deploymentId && stored.endTime > item.endTime) throw new PreconditionFailedError("last successful");
    this.lastSuccessful.set(groupKey(item), copy(item));
  }
  readonly instances = new Map<string, Map<string, InstanceHealthRecord>>();
  async listInstanceHealth(group: GroupRef) {
    return copy([...(this.instances.get(groupKey(group))?.values() ?? [])]);
  }
  async putInstanceHealth(group: GroupRef, records: InstanceHealthRecord[]) {
    const stored = this.instances.get(groupKey(group)) ?? new Map<string, InstanceHealthRecord>();
    for (const r of records) stored.set(r.instanceId, copy(r));
    this.instances.set(groupKey(group), stored);
  }
}

/** The real registry over the in-memory store, timed by `now`. */
export function fakeRegistry(now: () => number): { registry: DeploymentRegistry; store: InMemoryRegistryStore } {
  const store = new InMemoryRegistryStore();
  return { registry: new DeploymentRegistry(store, { clock: () => new Date(now()) }), store };
}
