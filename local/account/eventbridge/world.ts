import type { SimClock } from "../../clock.js";
import { AwsError } from "../shared/protocol/errors.js";
import { type EventPattern, assertValidPattern, matchesPattern } from "./pattern.js";
import type { IdGenerator } from "../shared/ids.js";
import { Reactions } from "../shared/reactions.js";

/**
 * EventBridge buses of the simulated account and every event they accepted. Per-entry results
 * follow PutEventsResultEntry (API reference): failures are reported per entry with an ErrorCode
 * (`InvalidArgument`, `MalformedDetail`, `NotAuthorizedForSourceException`, ...) while the request
 * itself succeeds. A nonexistent bus yields `ResourceNotFoundException` / "Event bus X does not
 * exist." (what LocalStack's AWS-validated snapshot test and other emulators record; not quoted
 * from AWS documentation).
 */
/** An event PutEvents accepted: a ServiceEvent (its `atSeconds` is when PutEvents accepted it, its `time` the entry's Time or the simulated now) plus the Detail as sent. */
export interface CapturedEvent extends ServiceEvent {
  rawDetail: string;
}

export interface EventEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  EventBusName?: unknown;
  Resources?: unknown;
  Time?: unknown;
}

export type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/**
 * An event as EventBridge hands it to a target: the envelope documented in the EventBridge User
 * Guide ("Amazon EventBridge events", eb-events-structure): version "0", id, detail-type, source,
 * account, time (ISO 8601, second precision), region, resources, detail.
 */
export interface EventEnvelope {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** An in-process rule: events on `eventBusName` matching `pattern` are passed to `target`. */
export interface RuleSpec {
  name: string;
  /** Default "default". */
  eventBusName?: string;
  pattern: EventPattern;
  target: (event: EventEnvelope) => Promise<void> | void;
  /**
   * Further attempts when the target throws. A Lambda target is invoked asynchronously, and Lambda
   * retries a failed asynchronous invocation twice by default (MaximumRetryAttempts 2, about 1 and 2
   * minutes later; the simulator retries at once).
   */
  retryAttempts?: number;
}

/** An event an AWS service of the account emitted itself (source `aws.*`). */
export interface ServiceEvent {
  seq: number;
  /** Simulated second the change happened (a timeline entry is dated at its own atSeconds). */
  atSeconds: number;
  eventId: string;
  eventBusName: string;
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
  resources: string[];
  time: string;
}

/** One event handed to one rule target. */
export interface Delivery {
  seq: number;
  /** Simulated second the delivery started. */
  atSeconds: number;
  finishedAtSeconds?: number;
  rule: string;
  eventBusName: string;
  eventId: string;
  source: string;
  detailType: string;
  status: "pending" | "delivered" | "failed";
  /** Invocations of the target (1 + retries). */
  attempts?: number;
  /** The target's exception message when it threw. */
  error?: string;
}

interface Rule {
  name: string;
  busName: string;
  pattern: EventPattern;
  target: RuleSpec["target"];
  retryAttempts?: number;
}

/** ISO 8601 with second precision, as EventBridge writes an event's `time` ("2019-10-02T17:04:40Z"). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

interface Bus {
  name: string;
  description: string;
  createdMs: number;
}

export class EventBridgeWorld {
  private readonly buses = new Map<string, Bus>();
  private readonly rules: Rule[] = [];
  /** Events accepted by PutEvents (our own notifications), as before rules existed. */
  readonly events: CapturedEvent[] = [];
  /** Events the account's services emitted themselves (alarm state changes, execution status changes). */
  readonly serviceEvents: ServiceEvent[] = [];
  /** Every hand-over of an event to a rule target, with its outcome. */
  readonly deliveries: Delivery[] = [];
  private readonly reactions: Reactions;
  private readonly onDeliveryFailure: (d: Delivery) => void;

  constructor(
    private readonly clock: SimClock,
    private readonly ids: IdGenerator,
    readonly region: string,
    readonly accountId: string,
    opts: { reactions?: Reactions; onDeliveryFailure?: (d: Delivery) => void } = {},
  ) {
    this.buses.set("default", { name: "default", description: "", createdMs: clock.now() });
    this.reactions = opts.reactions ?? new Reactions();
    this.onDeliveryFailure = opts.onDeliveryFailure ?? (() => undefined);
  }

  /**
   * Adds an in-process rule (EventBridge PutRule + PutTargets, with a function as the target).
   * Throws ResourceNotFoundException for an unknown bus, InvalidEventPatternException for a bad
   * pattern, ValidationException for a bad name and ResourceAlreadyExistsException for a name
   * already used on the bus. Returns a function that removes the rule.
   */
  subscribe(spec: RuleSpec): () => void {
    const busName = this.busName(spec.eventBusName);
    if (!/^[.\-_A-Za-z0-9]{1,64}$/.test(spec.name)) {
      throw new AwsError("ValidationException", `1 validation error detected: Value '${spec.name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+`, { status: 400 });
    }
    if (!this.buses.has(busName)) throw new AwsError("ResourceNotFoundException", `Event bus ${busName} does not exist.`, { status: 400 });
    if (this.rules.some((r) => r.busName === busName && r.name === spec.name)) {
      throw new AwsError("ResourceAlreadyExistsException", `Rule ${spec.name} already exists on event bus ${busName}.`, { status: 400 });
    }
    const pattern: unknown = spec.pattern;
    assertValidPattern(pattern);
    const rule: Rule = { name: spec.name, busName, pattern: structuredClone(pattern), target: spec.target, retryAttempts: spec.retryAttempts };
    this.rules.push(rule);
    return () => {
      const i = this.rules.indexOf(rule);
      if (i >= 0) this.rules.splice(i, 1);
    };
  }

  /** Rules on a bus (names), in the order they were added. */
  ruleNames(busName = "default"): string[] {
    return this.rules.filter((r) => r.busName === this.busName(busName)).map((r) => r.name);
  }

  /**
   * An event emitted by one of the account's own services (source `aws.*`, which PutEvents
   * refuses), put on `eventBusName` (default bus unless said otherwise) and delivered to matching rules.
   */
  emit(e: { source: string; detailType: string; detail: Record<string, unknown>; resources: string[]; atMs?: number; eventBusName?: string }): ServiceEvent {
    const atMs = e.atMs ?? this.clock.now();
    const busName = this.busName(e.eventBusName);
    const event: ServiceEvent = {
      seq: this.serviceEvents.length + 1,
      atSeconds: this.secondsAt(atMs),
      eventId: this.ids.uuid(),
      eventBusName: busName,
      source: e.source,
      detailType: e.detailType,
      detail: e.detail,
      resources: [...e.resources],
      time: isoSeconds(atMs),
    };
    this.serviceEvents.push(event);
    this.dispatch(busName, { version: "0", id: event.eventId, "detail-type": event.detailType, source: event.source, account: this.accountId, time: event.time, region: this.region, resources: event.resources, detail: event.detail });
    return event;
  }

  private secondsAt(ms: number): number {
    return (ms - this.clock.now()) / 1000 + this.clock.elapsedSeconds();
  }

  /** Hands the event to every matching rule on the bus, each asynchronously (tracked by Reactions). */
  private dispatch(busName: string, envelope: EventEnvelope): void {
    for (const rule of this.rules) {
      if (rule.busName !== busName || !matchesPattern(rule.pattern, envelope)) continue;
      const d: Delivery = {
        seq: this.deliveries.length + 1,
        atSeconds: this.clock.elapsedSeconds(),
        rule: rule.name,
        eventBusName: busName,
        eventId: envelope.id,
        source: envelope.source,
        detailType: envelope["detail-type"],
        status: "pending",
      };
      this.deliveries.push(d);
      const copy = structuredClone(envelope);
      this.reactions.track(async () => {
        try {
          for (let attempt = 1; ; attempt++) {
            d.attempts = attempt;
            try {
              await rule.target(structuredClone(copy));
              break;
            } catch (e) {
              if (attempt > (rule.retryAttempts ?? 0)) throw e;
            }
          }
          d.status = "delivered";
        } catch (e) {
          d.status = "failed";
          d.error = e instanceof Error ? e.message : String(e);
        } finally {
          d.finishedAtSeconds = this.clock.elapsedSeconds();
        }
        if (d.status === "failed") this.onDeliveryFailure(d);
      });
    }
  }

  busArn(name: string): string {
    return `arn:aws:events:${this.region}:${this.accountId}:event-bus/${name}`;
  }

  createBus(name: string, description = ""): string {
    if (!/^[/.\-_A-Za-z0-9]{1,256}$/.test(name)) {
      throw new AwsError("ValidationException", `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+`, { status: 400 });
    }
    if (this.buses.has(name)) throw new AwsError("ResourceAlreadyExistsException", `Event bus ${name} already exists.`, { status: 400 });
    this.buses.set(name, { name, description, createdMs: this.clock.now() });
    return this.busArn(name);
  }

  bus(nameOrArn: string | undefined): Bus | undefined {
    return this.buses.get(this.busName(nameOrArn));
  }

  busName(nameOrArn: string | undefined): string {
    if (!nameOrArn) return "default";
    const arn = /^arn:aws[a-z-]*:events:([a-z0-9-]+):(\d{12}):event-bus\/(.+)$/.exec(nameOrArn);
    if (!arn) return nameOrArn;
    return arn[1] === this.region && arn[2] === this.accountId ? (arn[3] as string) : nameOrArn;
  }

  /** Validates and captures one entry. */
  put(entry: EventEntry): EntryResult {
    const fail = (ErrorCode: string, ErrorMessage: string): EntryResult => ({ ErrorCode, ErrorMessage });
    for (const field of ["Source", "DetailType", "Detail"] as const) {
      const v = entry[field];
      if (typeof v !== "string" || v === "") return fail("InvalidArgument", `Parameter ${field} is not valid. Reason: ${field} is a required argument.`);
    }
    const source = entry.Source as string;
    if (source.startsWith("aws.")) return fail("NotAuthorizedForSourceException", "Not authorized for the source.");
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail as string);
    } catch {
      return fail("MalformedDetail", "Detail is malformed.");
    }
    if (typeof detail !== "object" || detail === null || Array.isArray(detail)) return fail("MalformedDetail", "Detail is malformed.");
    const busName = this.busName(typeof entry.EventBusName === "string" ? entry.EventBusName : undefined);
    if (!this.buses.has(busName)) return fail("ResourceNotFoundException", `Event bus ${busName} does not exist.`);
    const eventId = this.ids.uuid();
    const timeMs = typeof entry.Time === "number" ? entry.Time * 1000 : this.clock.now();
    const captured: CapturedEvent = {
      seq: this.events.length + 1,
      atSeconds: this.clock.elapsedSeconds(),
      eventId,
      eventBusName: busName,
      source,
      detailType: entry.DetailType as string,
      detail: detail as Record<string, unknown>,
      rawDetail: entry.Detail as string,
      resources: Array.isArray(entry.Resources) ? entry.Resources.map(String) : [],
      time: new Date(timeMs).toISOString(),
    };
    this.events.push(captured);
    this.dispatch(busName, {
      version: "0",
      id: eventId,
      "detail-type": captured.detailType,
      source,
      account: this.accountId,
      time: isoSeconds(timeMs),
      region: this.region,
      resources: captured.resources,
      detail: captured.detail,
    });
    return { EventId: eventId };
  }

  describeBus(nameOrArn: string | undefined): { name: string; arn: string; description: string; createdMs: number } {
    const bus = this.bus(nameOrArn);
    if (!bus) throw new AwsError("ResourceNotFoundException", `Event bus ${this.busName(nameOrArn)} does not exist.`, { status: 400 });
    return { ...bus, arn: this.busArn(bus.name) };
  }
}
