import { AwsError } from "../shared/protocol/errors.js";
import type { EventBridgeWorld, EventEntry } from "./world.js";
import type { FaultSpec } from "../shared/transport/faults.js";
import type { Handled } from "../shared/protocol/wire.js";
import { JsonRpcApi, type JsonRpcProtocol } from "../shared/protocol/json-rpc.js";

/**
 * EventBridge over AWS JSON 1.1 (`AwsJson1_1Protocol`, X-Amz-Target `AWSEvents.<Op>` in
 * @aws-sdk/client-eventbridge 3.1164.0).
 */
export const EVENTBRIDGE_PROTOCOL: JsonRpcProtocol = { version: "1.1", target: "AWSEvents", namespace: "com.amazonaws.eventbridge" };

type Body = Record<string, unknown>;

/** "The maximum size for a PutEvents event entry is 256 KB" (EventBridge quotas, long-standing value). */
const MAX_REQUEST_BYTES = 256 * 1024;

export class EventBridgeApi extends JsonRpcApi {
  readonly service = "EventBridge";
  protected readonly protocol = EVENTBRIDGE_PROTOCOL;
  protected readonly ops: Record<string, (b: Body) => Handled> = {
    PutEvents: (b) => this.putEvents(b),
    CreateEventBus: (b) => this.createEventBus(b),
    DescribeEventBus: (b) => this.describeEventBus(b),
  };

  constructor(private readonly world: EventBridgeWorld) {
    super();
  }

  /** ThrottlingException (modelled in client-eventbridge 3.1164.0) and InternalException. */
  faultError(kind: "throttle" | "5xx", _operation: string, fault: FaultSpec): AwsError {
    if (kind === "throttle") return new AwsError("ThrottlingException", "Rate exceeded", { status: 400 });
    return new AwsError("InternalException", "An internal error occurred (simulated).", { status: fault.status ?? 500 });
  }

  private putEvents(b: Body): Handled {
    const entries = b.Entries;
    if (!Array.isArray(entries) || entries.length === 0) {
      throw new AwsError("ValidationException", "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null", { status: 400 });
    }
    if (entries.length > 10) {
      throw new AwsError("ValidationException", `1 validation error detected: Value '[${entries.length} entries]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10`, { status: 400 });
    }
    if (entries.reduce((n: number, e) => n + entrySize(e as EventEntry), 0) > MAX_REQUEST_BYTES) {
      throw new AwsError("ValidationException", "Total size of the entries in the request is over the limit.", { status: 400 });
    }
    const results = entries.map((e) => this.world.put((e ?? {}) as EventEntry));
    const failed = results.filter((r) => "ErrorCode" in r).length;
    const summary = entries
      .map((e, i) => {
        const r = results[i];
        const state = typeof (e as EventEntry).Detail === "string" ? /"state"\s*:\s*"([^"]+)"/.exec((e as EventEntry).Detail as string)?.[1] : undefined;
        return `${String((e as EventEntry).DetailType ?? "?")}${state ? `(${state})` : ""}${r && "ErrorCode" in r ? ` ${r.ErrorCode}` : ""}`;
      })
      .join(", ");
    return this.ok({ FailedEntryCount: failed, Entries: results }, summary);
  }

  private createEventBus(b: Body): Handled {
    if (typeof b.Name !== "string") throw new AwsError("ValidationException", "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null", { status: 400 });
    const arn = this.world.createBus(b.Name, typeof b.Description === "string" ? b.Description : "");
    return this.ok({ EventBusArn: arn }, b.Name);
  }

  private describeEventBus(b: Body): Handled {
    const bus = this.world.describeBus(typeof b.Name === "string" ? b.Name : undefined);
    const out: Body = { Name: bus.name, Arn: bus.arn, CreationTime: bus.createdMs / 1000, LastModifiedTime: bus.createdMs / 1000 };
    if (bus.description) out.Description = bus.description;
    return this.ok(out);
  }
}

/** Entry size as EventBridge computes it: Time 14 bytes, plus the UTF-8 sizes of Source, DetailType, Detail, Resources. */
function entrySize(e: EventEntry): number {
  const bytes = (v: unknown) => (typeof v === "string" ? Buffer.byteLength(v) : 0);
  const resources = Array.isArray(e.Resources) ? e.Resources.reduce((n: number, r) => n + bytes(r), 0) : 0;
  return (e.Time !== undefined ? 14 : 0) + bytes(e.Source) + bytes(e.DetailType) + bytes(e.Detail) + resources;
}
