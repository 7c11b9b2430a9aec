import { AwsError } from "../shared/protocol/errors.js";
import { Ec2QueryApi } from "../shared/protocol/ec2-query.js";
import type { QueryParams, QueryProtocol, QueryValue } from "../shared/protocol/query-xml.js";
import type { Handled } from "../shared/protocol/wire.js";
import type { FaultSpec } from "../shared/transport/faults.js";
import { type Ec2Instance, type InstanceStateName, STATE_CODES } from "./model.js";
import { ec2Error, type Ec2World, type InstanceFilter } from "./world.js";

/** EC2 over its own query protocol (API version 2016-11-15, shared/protocol/ec2-query.ts). */
export const EC2_PROTOCOL: QueryProtocol = { version: "2016-11-15", xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/" };

const list = (v: QueryValue | undefined): QueryValue[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const strings = (v: QueryValue | undefined): string[] => list(v).filter((x): x is string => typeof x === "string");

const stateXml = (s: InstanceStateName) => ({ code: STATE_CODES[s], name: s });

/** DescribeInstances and TerminateInstances: what a blue/green deployment reads and ends (EC2 API reference). */
export class Ec2Api extends Ec2QueryApi {
  readonly service = "EC2";
  protected readonly protocol = EC2_PROTOCOL;
  protected readonly ops: Record<string, (p: QueryParams) => Handled> = {
    DescribeInstances: (p) => this.describeInstances(p),
    TerminateInstances: (p) => this.terminateInstances(p),
  };

  constructor(
    private readonly world: Ec2World,
    requestId: () => string,
  ) {
    super(requestId);
  }

  /** EC2 throttles with `RequestLimitExceeded` ("Request limit exceeded.") and fails with `InternalError` (EC2 API error codes). */
  override faultError(kind: "throttle" | "5xx", _operation: string, fault: FaultSpec): AwsError {
    if (kind === "throttle") return new AwsError("RequestLimitExceeded", "Request limit exceeded.", { status: 503 });
    return new AwsError("InternalError", "An internal error has occurred (simulated)", { status: fault.status ?? 500 });
  }

  /**
   * Instance ids and filters; MaxResults (5-1000) pages and cannot be combined with InstanceId
   * (InvalidParameterCombination, DescribeInstances API reference). One reservation per instance.
   */
  private describeInstances(p: QueryParams): Handled {
    const ids = strings(p.InstanceId);
    const filters: InstanceFilter[] = list(p.Filter).map((f) => {
      const o = (typeof f === "object" && !Array.isArray(f) ? f : {}) as Record<string, QueryValue>;
      return { name: typeof o.Name === "string" ? o.Name : "", values: strings(o.Value) };
    });
    // "The request uses too many filters or too many filter values" (EC2 API error codes: FilterLimitExceeded); 200 values per call.
    if (filters.reduce((n, f) => n + f.values.length, 0) > 200) throw ec2Error("FilterLimitExceeded", "The request uses too many filters or too many filter values.");
    const empty = filters.find((f) => !f.name || f.values.length === 0);
    if (empty) throw ec2Error("InvalidParameterValue", `The filter '${empty.name || "null"}' needs a name and at least one value`);
    const max = typeof p.MaxResults === "string" ? Number(p.MaxResults) : undefined;
    if (max !== undefined && ids.length) throw ec2Error("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults");
    if (max !== undefined && (!Number.isInteger(max) || max < 5 || max > 1000)) throw ec2Error("InvalidParameterValue", `Value ( ${p.MaxResults} ) for parameter maxResults is invalid. Expecting a value greater than 5.`);
    const found = this.world.describe(ids, filters);
    const start = typeof p.NextToken === "string" ? Number(p.NextToken) : 0;
    if (!Number.isInteger(start) || start < 0 || start > found.length) throw ec2Error("InvalidPaginationToken", `Invalid pagination token: ${p.NextToken}`);
    const page = max === undefined ? found.slice(start) : found.slice(start, start + max);
    const next = max !== undefined && start + max < found.length ? String(start + max) : undefined;
    return this.ok("DescribeInstances", { reservationSet: page.map((i) => this.reservation(i)), nextToken: next }, `${page.length} instance(s)`);
  }

  private terminateInstances(p: QueryParams): Handled {
    const changes = this.world.terminate(strings(p.InstanceId));
    return this.ok(
      "TerminateInstances",
      { instancesSet: changes.map((c) => ({ instanceId: c.instance.id, currentState: stateXml(c.current), previousState: stateXml(c.previous) })) },
      changes.map((c) => `${c.instance.id} ${c.previous} -> ${c.current}`).join(", "),
    );
  }

  private reservation(i: Ec2Instance): Record<string, unknown> {
    return {
      reservationId: i.reservationId,
      ownerId: "123456789012",
      instancesSet: [
        {
          instanceId: i.id,
          imageId: i.imageId,
          instanceState: stateXml(this.world.stateOf(i)),
          instanceType: i.instanceType,
          launchTime: new Date(i.launchedAtMs),
          tagSet: Object.entries(i.tags).map(([key, value]) => ({ key, value })),
        },
      ],
    };
  }
}
