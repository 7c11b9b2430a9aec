import { AwsError } from "../shared/protocol/errors.js";
import { type QueryParams, type QueryProtocol, type QueryValue, QueryApi } from "../shared/protocol/query-xml.js";
import type { Handled } from "../shared/protocol/wire.js";
import type { FaultSpec } from "../shared/transport/faults.js";
import type { ClassicElbWorld, ClassicLoadBalancer } from "./world.js";

/**
 * Elastic Load Balancing 2012-06-01 (Classic Load Balancers) over the query protocol as
 * @aws-sdk/client-elastic-load-balancing speaks it (`AwsQueryProtocol`, XML namespace
 * `http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/`, the same endpoint as ELBv2: requests are told apart by
 * their `Version`). Errors by their awsQueryError codes in the SDK's model: LoadBalancerNotFound
 * (AccessPointNotFoundException), InvalidInstance (InvalidEndPointException), ValidationError.
 */
export const ELB_PROTOCOL: QueryProtocol = { version: "2012-06-01", xmlns: "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/" };

const list = (v: QueryValue | undefined): QueryValue[] => (Array.isArray(v) ? v : v === undefined || v === "" ? [] : [v]);
const str = (v: QueryValue | undefined): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const validation = (member: string) => new AwsError("ValidationError", `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`, { status: 400 });

export class ElbApi extends QueryApi {
  readonly service = "ELB";
  protected readonly protocol = ELB_PROTOCOL;
  protected readonly ops: Record<string, (p: QueryParams) => Handled> = {
    DescribeLoadBalancers: (p) => this.describeLoadBalancers(p),
    DescribeLoadBalancerAttributes: (p) => this.describeAttributes(p),
    DescribeInstanceHealth: (p) => this.describeInstanceHealth(p),
    RegisterInstancesWithLoadBalancer: (p) => this.register(p),
    DeregisterInstancesFromLoadBalancer: (p) => this.deregister(p),
  };

  constructor(
    private readonly world: ClassicElbWorld,
    requestId: () => string,
  ) {
    super(requestId);
  }

  /** Throttling is the query error `Throttling` ("Rate exceeded", HTTP 400), internal errors `InternalFailure` (500), as ELBv2. */
  override faultError(kind: "throttle" | "5xx", _operation: string, fault: FaultSpec): AwsError {
    if (kind === "throttle") return new AwsError("Throttling", "Rate exceeded", { status: 400 });
    return new AwsError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure (simulated)", { status: fault.status ?? 500 });
  }

  private name(p: QueryParams): string {
    const name = str(p.LoadBalancerName);
    if (!name) throw validation("loadBalancerName");
    return name;
  }

  private instances(p: QueryParams, required: boolean): string[] | undefined {
    const items = list(p.Instances).map((i) => (typeof i === "object" && !Array.isArray(i) ? str(i.InstanceId) : undefined));
    if (items.some((i) => i === undefined) || (required && items.length === 0)) throw validation("instances");
    return items.length ? (items as string[]) : undefined;
  }

  private describeLoadBalancers(p: QueryParams): Handled {
    const names = list(p.LoadBalancerNames).filter((x): x is string => typeof x === "string");
    const lbs = names.length ? names.map((n) => this.world.loadBalancer(n)) : [...this.world.loadBalancers.values()];
    return this.ok("DescribeLoadBalancers", { LoadBalancerDescriptions: lbs.map((lb) => this.description(lb)) }, lbs.map((lb) => lb.name).join(", "));
  }

  private description(lb: ClassicLoadBalancer) {
    const h = lb.healthCheck;
    return {
      LoadBalancerName: lb.name,
      DNSName: `${lb.name}-1234567890.us-east-1.elb.amazonaws.com`,
      HealthCheck: { Target: h.target, Interval: h.intervalSeconds, Timeout: 5, UnhealthyThreshold: h.unhealthyThreshold, HealthyThreshold: h.healthyThreshold },
      Instances: this.world.registeredIds(lb).map((InstanceId) => ({ InstanceId })),
      Scheme: "internet-facing",
    };
  }

  private describeAttributes(p: QueryParams): Handled {
    const lb = this.world.loadBalancer(this.name(p));
    const attributes = {
      CrossZoneLoadBalancing: { Enabled: true },
      AccessLog: { Enabled: false },
      ConnectionDraining: { Enabled: lb.connectionDraining.enabled, Timeout: lb.connectionDraining.timeoutSeconds },
      ConnectionSettings: { IdleTimeout: 60 },
    };
    return this.ok("DescribeLoadBalancerAttributes", { LoadBalancerAttributes: attributes }, `${lb.name} draining ${lb.connectionDraining.enabled ? `${lb.connectionDraining.timeoutSeconds} s` : "off"}`);
  }

  private describeInstanceHealth(p: QueryParams): Handled {
    const name = this.name(p);
    const states = this.world.health(name, this.instances(p, false));
    const InstanceStates = states.map((s) => ({ InstanceId: s.instanceId, State: s.state, ReasonCode: s.reasonCode, Description: s.description }));
    return this.ok("DescribeInstanceHealth", { InstanceStates }, states.map((s) => `${s.instanceId}:${s.state}`).join(" "));
  }

  private register(p: QueryParams): Handled {
    const name = this.name(p);
    const ids = this.instances(p, true) as string[];
    const now = this.world.register(name, ids);
    return this.ok("RegisterInstancesWithLoadBalancer", { Instances: now.map((InstanceId) => ({ InstanceId })) }, `${name} += ${ids.join(", ")}`);
  }

  private deregister(p: QueryParams): Handled {
    const name = this.name(p);
    const ids = this.instances(p, true) as string[];
    const now = this.world.deregister(name, ids);
    return this.ok("DeregisterInstancesFromLoadBalancer", { Instances: now.map((InstanceId) => ({ InstanceId })) }, `${name} -= ${ids.join(", ")}`);
  }
}
