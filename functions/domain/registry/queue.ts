import type { QueueEntry } from "./types.js";

/**
 * FIFO order of a group's queue: by the per-group sequence number, then by time and id (a tie only happens if a
 * store hands out a sequence twice). One entry per deployment: the earliest wins, so re-enqueueing keeps a place.
 */
export function orderQueue(entries: readonly QueueEntry[]): QueueEntry[] {
  const sorted = [...entries].sort((a, b) => a.sequence - b.sequence || cmp(a.enqueuedAt, b.enqueuedAt) || cmp(a.deploymentId, b.deploymentId));
  const seen = new Set<string>();
  return sorted.filter((e) => {
    if (seen.has(e.deploymentId)) return false;
    seen.add(e.deploymentId);
    return true;
  });
}

/** 1-based place of a deployment in the ordered queue, or undefined when it is not queued. */
export function queuePosition(entries: readonly QueueEntry[], deploymentId: string): number | undefined {
  const i = orderQueue(entries).findIndex((e) => e.deploymentId === deploymentId);
  return i < 0 ? undefined : i + 1;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
