import type { SimClock } from "../clock.js";
import { AwsError } from "./errors.js";
import type { IdGenerator } from "./ids.js";

/**
 * EventBridge buses of the simulated account and every event they accepted. Per-entry results
 * follow PutEventsResultEntry (API reference): failures are reported per entry with an ErrorCode
 * (`InvalidArgument`, `MalformedDetail`, `NotAuthorizedForSourceException`, ...) while the request
 * itself succeeds. A nonexistent bus yields `ResourceNotFoundException` / "Event bus X does not
 * exist." (what LocalStack's AWS-validated snapshot test and other emulators record; not quoted
 * from AWS documentation).
 */
export interface CapturedEvent {
  seq: number;
  /** Simulated seconds when PutEvents accepted the entry. */
  atSeconds: number;
  eventId: string;
  eventBusName: string;
  source: string;
  detailType: string;
  /** Detail parsed (always a JSON object: EventBridge rejects anything else as MalformedDetail). */
  detail: Record<string, unknown>;
  rawDetail: string;
  resources: string[];
  /** The event's `time` (entry Time, else the simulated now), ISO 8601. */
  time: string;
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

interface Bus {
  name: string;
  description: string;
  createdMs: number;
}

export class EventBridgeWorld {
  private readonly buses = new Map<string, Bus>();
  readonly events: CapturedEvent[] = [];

  constructor(
    private readonly clock: SimClock,
    private readonly ids: IdGenerator,
    readonly region: string,
    readonly accountId: string,
  ) {
    this.buses.set("default", { name: "default", description: "", createdMs: clock.now() });
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
    this.events.push({
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
    });
    return { EventId: eventId };
  }

  describeBus(nameOrArn: string | undefined): { name: string; arn: string; description: string; createdMs: number } {
    const bus = this.bus(nameOrArn);
    if (!bus) throw new AwsError("ResourceNotFoundException", `Event bus ${this.busName(nameOrArn)} does not exist.`, { status: 400 });
    return { ...bus, arn: this.busArn(bus.name) };
  }
}
