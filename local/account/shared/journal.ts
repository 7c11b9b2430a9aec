import type { FaultKind } from "./transport/faults.js";

/** Every API call the simulated account served (one per wire attempt, so SDK retries count). */
export interface ApiCall {
  seq: number;
  /** Simulated seconds when the request arrived. */
  atSeconds: number;
  service: string;
  operation: string;
  ok: boolean;
  /** The error `name` the SDK surfaces (e.g. TooManyRequestsException), or `NetworkError` for an injected timeout. */
  errorName?: string;
  httpStatus?: number;
  /** Set when an injected fault produced this outcome. */
  fault?: FaultKind;
  /** A short human summary, e.g. `orders-errors=OK` for DescribeAlarms. */
  summary?: string;
}

/**
 * A change the world made on its own, for reports: timeline entries as applied, plus what went
 * wrong in the account's own reactions (a rule target that threw: `delivery`; an action handler
 * that failed or was missing: `action`; an ExecutionHost problem: `execution`).
 */
export interface WorldLogEntry {
  atSeconds: number;
  /** The timeline entry's kind (`alarm`, `hook`, `fault`, `metric`, `alias`, `action`), or `delivery` / `execution` for the account's own trouble. */
  kind: string;
  text: string;
}

export class Journal {
  readonly calls: ApiCall[] = [];
  readonly world: WorldLogEntry[] = [];

  recordCall(call: Omit<ApiCall, "seq">): ApiCall {
    const entry = { seq: this.calls.length + 1, ...call };
    this.calls.push(entry);
    return entry;
  }

  recordWorld(entry: WorldLogEntry): void {
    this.world.push(entry);
  }

  /** Calls per `Service.Operation` (failed attempts included), sorted by key. */
  counts(filter: (c: ApiCall) => boolean = () => true): Record<string, number> {
    const out = new Map<string, number>();
    for (const c of this.calls) {
      if (!filter(c)) continue;
      const key = `${c.service}.${c.operation}`;
      out.set(key, (out.get(key) ?? 0) + 1);
    }
    return Object.fromEntries([...out.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
