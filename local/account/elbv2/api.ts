import { AwsError } from "../shared/protocol/errors.js";
import { type QueryParams, type QueryProtocol, type QueryValue, QueryApi } from "../shared/protocol/query-xml.js";
import type { Handled } from "../shared/protocol/wire.js";
import type { FaultSpec } from "../shared/transport/faults.js";
import { parseActions, renderAction, validation } from "./actions.js";
import type { Listener, LoadBalancer, Rule, TargetGroup } from "./model.js";
import type { Elbv2World } from "./world.js";

/**
 * ELBv2 over the query protocol as @aws-sdk/client-elastic-load-balancing-v2 speaks it
 * (`AwsQueryProtocol`, version 2015-12-01, XML namespace
 * `http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/`; error codes are the models' awsQueryError
 * codes: `ListenerNotFound`, `TargetGroupNotFound`, ...). The operations a blue/green deployment uses:
 * Describe{LoadBalancers,Listeners,Rules,TargetGroups,TargetHealth}, ModifyListener, ModifyRule,
 * RegisterTargets, DeregisterTargets; and DescribeTargetGroupAttributes (an EC2 deployment's drain wait).
 */
export const ELBV2_PROTOCOL: QueryProtocol = { version: "2015-12-01", xmlns: "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/" };

const list = (v: QueryValue | undefined): QueryValue[] => (Array.isArray(v) ? v : v === undefined || v === "" ? [] : [v]);
const strings = (v: QueryValue | undefined): string[] => list(v).filter((x): x is string => typeof x === "string");
const str = (v: QueryValue | undefined): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const required = (p: QueryParams, name: string, member: string): string => {
  const v = str(p[name]);
  if (!v) throw validation(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  return v;
};

export class Elbv2Api extends QueryApi {
  readonly service = "ELBv2";
  protected readonly protocol = ELBV2_PROTOCOL;
  protected readonly ops: Record<string, (p: QueryParams) => Handled> = {
    DescribeLoadBalancers: (p) => this.describeLoadBalancers(p),
    DescribeListeners: (p) => this.describeListeners(p),
    DescribeRules: (p) => this.describeRules(p),
    DescribeTargetGroups: (p) => this.describeTargetGroups(p),
    DescribeTargetHealth: (p) => this.describeTargetHealth(p),
    DescribeTargetGroupAttributes: (p) => this.describeTargetGroupAttributes(p),
    ModifyListener: (p) => this.modifyListener(p),
    ModifyRule: (p) => this.modifyRule(p),
    RegisterTargets: (p) => this.registerTargets(p),
    DeregisterTargets: (p) => this.deregisterTargets(p),
  };

  constructor(
    private readonly world: Elbv2World,
    requestId: () => string,
  ) {
    super(requestId);
  }

  /**
   * ELBv2 throttling is the query error `Throttling`, HTTP 400, "Rate exceeded" (the SDK has no model
   * for it, so it raises the service exception named `Throttling`, which its retry strategy classifies
   * as throttling); internal errors `InternalFailure`, HTTP 500.
   */
  override faultError(kind: "throttle" | "5xx", _operation: string, fault: FaultSpec): AwsError {
    if (kind === "throttle") return new AwsError("Throttling", "Rate exceeded", { status: 400 });
    return new AwsError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure (simulated)", { status: fault.status ?? 500 });
  }

  // ---- describe ----------------------------------------------------------------------------

  private describeLoadBalancers(p: QueryParams): Handled {
    const arns = strings(p.LoadBalancerArns);
    const names = strings(p.Names);
    let lbs = [...this.world.loadBalancers.values()];
    if (arns.length) lbs = arns.map((a) => this.world.loadBalancer(a));
    if (names.length) lbs = this.named(this.world.loadBalancers, names, "LoadBalancerNotFound", "Load balancers");
    return this.ok("DescribeLoadBalancers", { LoadBalancers: lbs.map((lb) => this.loadBalancer(lb)) }, lbs.map((lb) => `${lb.name} (${lb.type})`).join(", "));
  }

  private describeListeners(p: QueryParams): Handled {
    const arns = strings(p.ListenerArns);
    const lbArn = str(p.LoadBalancerArn);
    if (!arns.length && !lbArn) throw validation("You must specify either listener ARNs or a load balancer ARN");
    const listeners = arns.length ? arns.map((a) => this.world.listener(a)) : [...this.world.listeners.values()].filter((l) => l.loadBalancerArn === this.world.loadBalancer(lbArn as string).arn);
    return this.ok("DescribeListeners", { Listeners: listeners.map((l) => this.listener(l)) }, listeners.map((l) => this.forwardSummary(l)).join("; "));
  }

  private describeRules(p: QueryParams): Handled {
    const arns = strings(p.RuleArns);
    const listenerArn = str(p.ListenerArn);
    if (!arns.length && !listenerArn) throw validation("You must specify either listener rule ARNs or a listener ARN");
    let rules: Record<string, unknown>[];
    if (arns.length) {
      rules = arns.map((a) => this.rule(this.world.rule(a)));
    } else {
      const listener = this.world.listener(listenerArn as string);
      rules = [...this.world.rulesOf(listener).map((r) => this.rule(r)), this.defaultRule(listener)];
    }
    return this.ok("DescribeRules", { Rules: rules }, `${rules.length} rule(s)`);
  }

  private describeTargetGroups(p: QueryParams): Handled {
    const arns = strings(p.TargetGroupArns);
    const names = strings(p.Names);
    const lbArn = str(p.LoadBalancerArn);
    let tgs = [...this.world.targetGroups.values()];
    if (arns.length) tgs = arns.map((a) => this.world.targetGroup(a));
    if (names.length) tgs = this.named(this.world.targetGroups, names, "TargetGroupNotFound", "Target groups");
    if (lbArn) {
      const lb = this.world.loadBalancer(lbArn);
      tgs = tgs.filter((tg) => this.world.loadBalancersUsing(tg.arn).some((x) => x.arn === lb.arn));
    }
    return this.ok("DescribeTargetGroups", { TargetGroups: tgs.map((tg) => this.targetGroup(tg)) }, tgs.map((tg) => tg.name).join(", "));
  }

  private describeTargetHealth(p: QueryParams): Handled {
    const tg = this.world.targetGroup(required(p, "TargetGroupArn", "targetGroupArn"));
    const asked = list(p.Targets).map((t) => (typeof t === "object" && !Array.isArray(t) ? t : {}));
    let found = this.world.health(tg.arn).map(({ target, health }) => ({ id: target.id, port: target.port, health }));
    if (asked.length) {
      found = asked.map((a) => {
        const id = str(a.Id) ?? "";
        const port = str(a.Port) === undefined ? tg.port : Number(a.Port);
        return found.find((f) => f.id === id && f.port === port) ?? { id, port, health: { state: "unused", reason: "Target.NotRegistered", description: "Target is not registered to the target group" } };
      });
    }
    const counts: Record<string, number> = {};
    for (const f of found) counts[f.health.state] = (counts[f.health.state] ?? 0) + 1;
    return this.ok(
      "DescribeTargetHealth",
      {
        TargetHealthDescriptions: found.map((f) => ({
          Target: { Id: f.id, Port: f.port },
          HealthCheckPort: String(f.port),
          TargetHealth: { State: f.health.state, Reason: f.health.reason, Description: f.health.description },
        })),
      },
      `${tg.name}: ${Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(", ") || "no targets"}`,
    );
  }

  /** The attributes the world models: the deregistration delay (`deregistration_delay.timeout_seconds`). */
  private describeTargetGroupAttributes(p: QueryParams): Handled {
    const tg = this.world.targetGroup(required(p, "TargetGroupArn", "targetGroupArn"));
    return this.ok("DescribeTargetGroupAttributes", { Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: String(tg.deregistrationDelaySeconds) }] }, `${tg.name}: deregistration delay ${tg.deregistrationDelaySeconds} s`);
  }

  /** Resources by name: "Target groups '[name]' not found" for the first one missing. */
  private named<T extends { name: string }>(items: Map<string, T>, names: string[], code: string, what: string): T[] {
    return names.map((n) => {
      const item = this.world.byName(items, n);
      if (!item) throw new AwsError(code, `${what} '[${n}]' not found`, { status: 400 });
      return item;
    });
  }

  // ---- changes -----------------------------------------------------------------------------

  private modifyListener(p: QueryParams): Handled {
    const arn = required(p, "ListenerArn", "listenerArn");
    const actions = p.DefaultActions === undefined ? undefined : parseActions(p.DefaultActions, "defaultActions");
    const listener = this.world.modifyListener(arn, actions);
    return this.ok("ModifyListener", { Listeners: [this.listener(listener)] }, this.forwardSummary(listener));
  }

  private modifyRule(p: QueryParams): Handled {
    const arn = required(p, "RuleArn", "ruleArn");
    const actions = p.Actions === undefined ? undefined : parseActions(p.Actions, "actions");
    const conditions = p.Conditions === undefined ? undefined : list(p.Conditions);
    const rule = this.world.modifyRule(arn, actions, conditions);
    return this.ok("ModifyRule", { Rules: [this.rule(rule)] }, this.forwardSummary(rule));
  }

  /**
   * An `instance` target group takes EC2 instance ids only: anything else (an on-premises `mi-` managed node, an IP)
   * is InvalidTarget, HTTP 400, as the ELBv2 API reference lists for RegisterTargets ("The specified target does not
   * exist, is not in the same VPC as the target group, or has an unsupported instance type",
   * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RegisterTargets.html). The message
   * naming the ids is ours (AWS's wording: UNCONFIRMED).
   */
  private registerTargets(p: QueryParams): Handled {
    const tg = this.world.targetGroup(required(p, "TargetGroupArn", "targetGroupArn"));
    const targets = this.targets(p);
    const notInstances = tg.targetType === "instance" ? targets.filter((t) => !t.id.startsWith("i-")) : [];
    if (notInstances.length) throw new AwsError("InvalidTarget", `The following targets are not valid EC2 instance IDs for target group ${tg.name} (target type instance): ${notInstances.map((t) => `'${t.id}'`).join(", ")}`, { status: 400 });
    this.world.registerTargets(tg.arn, targets);
    return this.ok("RegisterTargets", {}, `${tg.name} += ${targets.map((t) => t.id).join(", ")}`);
  }

  private deregisterTargets(p: QueryParams): Handled {
    const tg = this.world.targetGroup(required(p, "TargetGroupArn", "targetGroupArn"));
    const targets = this.targets(p);
    this.world.deregisterTargets(tg.arn, targets);
    return this.ok("DeregisterTargets", {}, `${tg.name} -= ${targets.map((t) => t.id).join(", ")}`);
  }

  private targets(p: QueryParams): { id: string; port?: number }[] {
    const targets = list(p.Targets).map((t) => (typeof t === "object" && !Array.isArray(t) ? t : {}));
    if (!targets.length) throw validation("1 validation error detected: Value null at 'targets' failed to satisfy constraint: Member must not be null");
    return targets.map((t) => {
      const id = str(t.Id);
      if (!id) throw validation("1 validation error detected: Value null at 'targets.member.id' failed to satisfy constraint: Member must not be null");
      const port = str(t.Port) === undefined ? undefined : Number(t.Port);
      if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) throw validation(`1 validation error detected: Value '${t.Port}' at 'targets.member.port' failed to satisfy constraint: Member must have value between 1 and 65535`);
      return port === undefined ? { id } : { id, port };
    });
  }

  // ---- rendering ---------------------------------------------------------------------------

  private forwardSummary(target: Listener | Rule): string {
    const weights = this.world.weightsAt(this.world.resourceName(target)) ?? {};
    return `${this.world.resourceName(target)} -> ${Object.entries(weights).map(([n, w]) => `${n}=${w}`).join(", ")}`;
  }

  private loadBalancer(lb: LoadBalancer): Record<string, unknown> {
    return {
      LoadBalancerArn: lb.arn,
      DNSName: lb.dnsName,
      CreatedTime: new Date(Date.parse("2026-01-01T00:00:00Z") + lb.createdAtSeconds * 1000),
      LoadBalancerName: lb.name,
      Scheme: "internet-facing",
      State: { Code: "active" },
      Type: lb.type,
      IpAddressType: "ipv4",
    };
  }

  private listener(l: Listener): Record<string, unknown> {
    return { ListenerArn: l.arn, LoadBalancerArn: l.loadBalancerArn, Port: l.port, Protocol: l.protocol, DefaultActions: l.defaultActions.map(renderAction) };
  }

  private rule(r: Rule): Record<string, unknown> {
    return { RuleArn: r.arn, Priority: r.priority, Conditions: r.conditions, Actions: r.actions.map(renderAction), IsDefault: false };
  }

  /** The default rule DescribeRules lists for a listener: its default actions, priority `default`. */
  private defaultRule(l: Listener): Record<string, unknown> {
    return { RuleArn: l.arn.replace(":listener/", ":listener-rule/").concat("/default"), Priority: "default", Conditions: [], Actions: l.defaultActions.map(renderAction), IsDefault: true };
  }

  private targetGroup(tg: TargetGroup): Record<string, unknown> {
    return {
      TargetGroupArn: tg.arn,
      TargetGroupName: tg.name,
      Protocol: tg.protocol,
      Port: tg.port,
      HealthCheckIntervalSeconds: tg.healthCheck.intervalSeconds,
      HealthyThresholdCount: tg.healthCheck.healthyThresholdCount,
      UnhealthyThresholdCount: tg.healthCheck.unhealthyThresholdCount,
      TargetType: tg.targetType,
      LoadBalancerArns: this.world.loadBalancersUsing(tg.arn).map((lb) => lb.arn),
    };
  }
}
