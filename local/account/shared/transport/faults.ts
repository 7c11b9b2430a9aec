import type { Checker, Json } from "../checker.js";
import type { SetupSection, TimelineKind } from "../service.js";

/**
 * Fault injection on any operation of any served service, in simulated time.
 *  - throttle: the service's real throttling error (Lambda 429 TooManyRequestsException with
 *    Retry-After; CloudWatch 400 `Throttling`; EventBridge 400 ThrottlingException);
 *  - 5xx: the service's internal error (Lambda ServiceException, CloudWatch InternalServiceFault,
 *    EventBridge InternalException), HTTP 500 unless `status` says otherwise;
 *  - timeout: the server holds the connection for `holdMs` wall milliseconds, then destroys the
 *    socket without answering (the SDK sees a retryable network error such as ECONNRESET).
 * `count` limits how many calls fail; `atSeconds`/`untilSeconds` bound a window of simulated
 * time [atSeconds, untilSeconds). Without `count` every matching call in the window fails.
 */
export type FaultKind = "throttle" | "5xx" | "timeout";
export const FAULT_KINDS: readonly FaultKind[] = ["throttle", "5xx", "timeout"];

export interface FaultSpec {
  /** `UpdateAlias`, `Lambda.UpdateAlias`, `Lambda.*` or `*`. */
  operation: string;
  kind: FaultKind;
  count?: number;
  atSeconds?: number;
  untilSeconds?: number;
  /** 5xx: HTTP status (500, 502, 503, 504). Default 500. */
  status?: number;
  /** throttle: value of Lambda's Retry-After header in seconds. Default 1. */
  retryAfterSeconds?: number;
  /** timeout: wall milliseconds to hold the socket before destroying it. Default 50. */
  holdMs?: number;
}

export interface FaultState {
  spec: FaultSpec;
  /** How many calls this fault has failed so far. */
  hits: number;
}

export class FaultInjector {
  private readonly faults: FaultState[] = [];

  add(spec: FaultSpec): void {
    this.faults.push({ spec: { ...spec }, hits: 0 });
  }

  clear(): void {
    this.faults.length = 0;
  }

  list(): readonly FaultState[] {
    return this.faults;
  }

  /** The fault to apply to this call, if any (consumes one unit of its count). */
  take(service: string, operation: string, nowSeconds: number): FaultSpec | undefined {
    for (const f of this.faults) {
      const s = f.spec;
      if (!matchesOperation(s.operation, service, operation)) continue;
      if (s.atSeconds !== undefined && nowSeconds < s.atSeconds) continue;
      if (s.untilSeconds !== undefined && nowSeconds >= s.untilSeconds) continue;
      if (s.count !== undefined && f.hits >= s.count) continue;
      f.hits += 1;
      return s;
    }
    return undefined;
  }
}

function matchesOperation(pattern: string, service: string, operation: string): boolean {
  if (pattern === "*") return true;
  const dot = pattern.indexOf(".");
  if (dot < 0) return pattern === operation;
  const [svc, op] = [pattern.slice(0, dot), pattern.slice(dot + 1)];
  return svc === service && (op === "*" || op === operation);
}

const FAULT_KEYS = ["operation", "kind", "count", "atSeconds", "untilSeconds", "status", "retryAfterSeconds", "holdMs"] as const;

/** Validates a plain-JSON fault; `defaultAt` is the timeline time a fault entry was scheduled at. */
export function parseFault(raw: unknown, field: string, c: Checker, defaultAt?: number): FaultSpec | undefined {
  const o: Json | undefined = c.object(raw, field, FAULT_KEYS);
  if (!o) return undefined;
  const before = c.problems.length;
  const operation = c.string(o, "operation", field, { required: true });
  const kind = c.string(o, "kind", field, { required: true, oneOf: FAULT_KINDS }) as FaultKind | undefined;
  const count = c.number(o, "count", field, { min: 1, integer: true });
  const atSeconds = c.number(o, "atSeconds", field, { min: 0 }) ?? defaultAt;
  const untilSeconds = c.number(o, "untilSeconds", field, { min: 0 });
  const status = c.number(o, "status", field, { min: 500, integer: true });
  const retryAfterSeconds = c.number(o, "retryAfterSeconds", field, { min: 0 });
  const holdMs = c.number(o, "holdMs", field, { min: 0 });
  if (status !== undefined && status > 599) c.fail(`${field}.status`, "must be a 5xx status");
  if (atSeconds !== undefined && untilSeconds !== undefined && untilSeconds <= atSeconds) c.fail(`${field}.untilSeconds`, "must be after atSeconds");
  if (c.problems.length > before || !operation || !kind) return undefined;
  const spec: FaultSpec = { operation, kind };
  if (count !== undefined) spec.count = count;
  if (atSeconds !== undefined) spec.atSeconds = atSeconds;
  if (untilSeconds !== undefined) spec.untilSeconds = untilSeconds;
  if (status !== undefined) spec.status = status;
  if (retryAfterSeconds !== undefined) spec.retryAfterSeconds = retryAfterSeconds;
  if (holdMs !== undefined) spec.holdMs = holdMs;
  return spec;
}

/** The account setup's `faults`: `[{operation, kind, count?, ...}]`. */
export function faultSetup(faults: FaultInjector): SetupSection {
  return {
    keys: ["faults"],
    parse(setup, c) {
      const specs = c.array(setup.faults, "account.faults").flatMap((f, i) => parseFault(f, `account.faults[${i}]`, c) ?? []);
      return () => {
        for (const s of specs) faults.add(s);
      };
    },
  };
}

/** The timeline's `{atSeconds, fault: {...}}`: the fault's window starts at the entry's second unless it says otherwise. */
export function faultTimeline(faults: FaultInjector): TimelineKind {
  return {
    keys: [],
    parse(o, f, c, atSeconds) {
      const fault = parseFault(o.fault, `${f}.fault`, c, atSeconds);
      return fault && { atSeconds, fault };
    },
    apply(entry) {
      const f = entry.fault as FaultSpec;
      faults.add(f);
      return `fault ${f.kind} on ${f.operation}${f.count ? ` x${f.count}` : ""}${f.untilSeconds !== undefined ? ` until ${f.untilSeconds} s` : ""}`;
    },
  };
}
