import type { SimClock } from "../../clock.js";
import { AwsError } from "../shared/protocol/errors.js";
import { validation } from "./actions.js";
import { type TargetHealthView, targetHealth } from "./health.js";
import {
  DEFAULT_DEREGISTRATION_DELAY,
  DEFAULT_HEALTH_CHECK,
  type ForwardAction,
  type ForwardChange,
  type HealthCheck,
  type Listener,
  type LoadBalancer,
  type LoadBalancerType,
  PROTOCOLS,
  type RegisteredTarget,
  type Rule,
  type TargetGroup,
  hexId,
} from "./model.js";
import { type HealthMode, ModeHistory } from "./modes.js";

/** ELBv2's answer for an ARN it does not know: "One or more listeners not found" (ListenerNotFound), ... */
function found<T>(items: Map<string, T>, arn: string, code: string, what: string): T {
  const item = items.get(arn);
  if (!item) throw new AwsError(code, `One or more ${what} not found`, { status: 400 });
  return item;
}

/**
 * The simulated ELBv2: load balancers (application, network), listeners with their default forward
 * action, listener rules, target groups with targets and health. Forward actions are checked against
 * what ELBv2 refuses (target groups that do not exist, of the other load balancer type, already used by
 * another load balancer, weights on a Network Load Balancer that predates weighted target groups).
 * Every change of what a listener or rule forwards to is kept (`forwardHistory`), so a test can ask
 * what the listener served at any simulated second.
 */
export class Elbv2World {
  readonly loadBalancers = new Map<string, LoadBalancer>();
  readonly targetGroups = new Map<string, TargetGroup>();
  readonly listeners = new Map<string, Listener>();
  readonly rules = new Map<string, Rule>();
  readonly forwardHistory: ForwardChange[] = [];
  /** Target group ARN -> since when a listener or rule forwards to it. */
  private readonly usedSince = new Map<string, number>();

  constructor(
    private readonly clock: SimClock,
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  private now(): number {
    return this.clock.elapsedSeconds();
  }

  private arn(resource: string): string {
    return `arn:aws:elasticloadbalancing:${this.region}:${this.accountId}:${resource}`;
  }

  // ---- creation (setup) --------------------------------------------------------------------

  createLoadBalancer(spec: { name: string; type: LoadBalancerType; id?: string; weightedTargetGroups?: boolean }): LoadBalancer {
    const kind = spec.type === "application" ? "app" : "net";
    const id = spec.id ?? hexId(`loadbalancer:${spec.name}`);
    const lb: LoadBalancer = {
      name: spec.name,
      arn: this.arn(`loadbalancer/${kind}/${spec.name}/${id}`),
      type: spec.type,
      kind,
      id,
      dnsName: spec.type === "application" ? `${spec.name}-${id.slice(0, 10)}.${this.region}.elb.amazonaws.com` : `${spec.name}-${id.slice(0, 10)}.elb.${this.region}.amazonaws.com`,
      weightedTargetGroups: spec.weightedTargetGroups ?? true,
      createdAtSeconds: this.now(),
    };
    this.loadBalancers.set(lb.arn, lb);
    return lb;
  }

  createTargetGroup(spec: { name: string; protocol: string; port: number; targetType?: "ip" | "instance"; healthCheck?: Partial<HealthCheck>; deregistrationDelaySeconds?: number; health?: HealthMode; id?: string }): TargetGroup {
    const id = spec.id ?? hexId(`targetgroup:${spec.name}`);
    const tg: TargetGroup = {
      name: spec.name,
      arn: this.arn(`targetgroup/${spec.name}/${id}`),
      id,
      protocol: spec.protocol,
      port: spec.port,
      targetType: spec.targetType ?? "ip",
      healthCheck: { ...DEFAULT_HEALTH_CHECK, ...spec.healthCheck },
      deregistrationDelaySeconds: spec.deregistrationDelaySeconds ?? DEFAULT_DEREGISTRATION_DELAY,
      health: new ModeHistory(spec.health ?? "healthy"),
      targetApps: new Map(),
      targets: [],
    };
    this.targetGroups.set(tg.arn, tg);
    return tg;
  }

  createListener(lb: LoadBalancer, spec: { port: number; protocol: string; defaultActions: ForwardAction[]; id?: string }): Listener {
    const id = spec.id ?? hexId(`listener:${lb.name}:${spec.port}`);
    const listener: Listener = { arn: this.arn(`listener/${lb.kind}/${lb.name}/${lb.id}/${id}`), id, loadBalancerArn: lb.arn, port: spec.port, protocol: spec.protocol, defaultActions: [] };
    this.listeners.set(listener.arn, listener);
    this.setForward(listener, spec.defaultActions, "setup");
    return listener;
  }

  createRule(listener: Listener, spec: { priority: number; conditions: unknown[]; actions: ForwardAction[]; id?: string }): Rule {
    const lb = this.loadBalancerOf(listener);
    const id = spec.id ?? hexId(`rule:${lb.name}:${listener.port}:${spec.priority}`);
    const rule: Rule = { arn: this.arn(`listener-rule/${lb.kind}/${lb.name}/${lb.id}/${listener.id}/${id}`), listenerArn: listener.arn, priority: String(spec.priority), conditions: spec.conditions, actions: [] };
    this.rules.set(rule.arn, rule);
    this.setForward(rule, spec.actions, "setup");
    return rule;
  }

  // ---- lookups -----------------------------------------------------------------------------

  loadBalancer(arn: string): LoadBalancer {
    return found(this.loadBalancers, arn, "LoadBalancerNotFound", "load balancers");
  }

  listener(arn: string): Listener {
    return found(this.listeners, arn, "ListenerNotFound", "listeners");
  }

  rule(arn: string): Rule {
    return found(this.rules, arn, "RuleNotFound", "rules");
  }

  targetGroup(arn: string): TargetGroup {
    return found(this.targetGroups, arn, "TargetGroupNotFound", "target groups");
  }

  loadBalancerOf(listener: Listener): LoadBalancer {
    return this.loadBalancer(listener.loadBalancerArn);
  }

  byName<T extends { name: string }>(items: Map<string, T>, name: string): T | undefined {
    for (const item of items.values()) if (item.name === name) return item;
    return undefined;
  }

  /** `<load balancer>:<port>` or `<load balancer>:<port>:<priority>`: how scenarios and the journal name a listener or rule. */
  resourceName(target: Listener | Rule): string {
    if ("listenerArn" in target) return `${this.resourceName(this.listener(target.listenerArn))}:${target.priority}`;
    return `${this.loadBalancerOf(target).name}:${target.port}`;
  }

  /** The listener or rule a scenario names (`web:80`, `web:80:10`). */
  findByName(name: string): Listener | Rule | undefined {
    for (const l of this.listeners.values()) if (this.resourceName(l) === name) return l;
    for (const r of this.rules.values()) if (this.resourceName(r) === name) return r;
    return undefined;
  }

  rulesOf(listener: Listener): Rule[] {
    return [...this.rules.values()].filter((r) => r.listenerArn === listener.arn).sort((a, b) => Number(a.priority) - Number(b.priority));
  }

  /** The load balancers whose listeners or rules forward to the target group. */
  loadBalancersUsing(tgArn: string): LoadBalancer[] {
    const arns = new Set<string>();
    for (const l of this.listeners.values()) if (forwardsTo(l.defaultActions, tgArn)) arns.add(l.loadBalancerArn);
    for (const r of this.rules.values()) if (forwardsTo(r.actions, tgArn)) arns.add(this.listener(r.listenerArn).loadBalancerArn);
    return [...arns].map((a) => this.loadBalancer(a));
  }

  // ---- forward actions ---------------------------------------------------------------------

  modifyListener(arn: string, actions: ForwardAction[] | undefined, operation = "ModifyListener"): Listener {
    const listener = this.listener(arn);
    if (actions) {
      this.checkForward(this.loadBalancerOf(listener), actions);
      this.setForward(listener, actions, operation);
    }
    return listener;
  }

  modifyRule(arn: string, actions: ForwardAction[] | undefined, conditions?: unknown[], operation = "ModifyRule"): Rule {
    const rule = this.rule(arn);
    if (!actions && !conditions) throw validation("Either conditions or actions must be specified");
    if (actions) this.checkForward(this.loadBalancerOf(this.listener(rule.listenerArn)), actions);
    if (conditions) rule.conditions = conditions;
    if (actions) this.setForward(rule, actions, operation);
    return rule;
  }

  /**
   * What ELBv2 refuses in a forward action, given the load balancer:
   *  - a target group that does not exist: `TargetGroupNotFound` "Target groups '<arn>' not found";
   *  - a target group of the other load balancer type (protocol family): `IncompatibleProtocols` (message ours);
   *  - a target group another load balancer forwards to: `TargetGroupAssociationLimit` "The following target
   *    groups cannot be associated with more than one load balancer: <arn>" (quoted in
   *    kubernetes-sigs/aws-load-balancer-controller#4528);
   *  - on a Network Load Balancer without weighted target groups (before 19 November 2025): more than one
   *    target group, "You cannot specify multiple target groups in a single action with a load balancer of
   *    type 'network'" (AWS re:Post "Can NLB support multiple target groups in one listener"), or any weight,
   *    "You cannot specify a target group weight on load balancers of type 'network'" (crossplane-contrib/
   *    provider-upjet-aws#1771), both `ValidationError`.
   */
  checkForward(lb: LoadBalancer, actions: ForwardAction[]): void {
    for (const a of actions) {
      const missing = a.targetGroups.filter((t) => !this.targetGroups.has(t.targetGroupArn)).map((t) => `'${t.targetGroupArn}'`);
      if (missing.length) throw new AwsError("TargetGroupNotFound", `Target groups ${missing.join(", ")} not found`, { status: 400 });
      for (const t of a.targetGroups) {
        const tg = this.targetGroup(t.targetGroupArn);
        if (!PROTOCOLS[lb.type].includes(tg.protocol)) {
          throw new AwsError("IncompatibleProtocols", `Target group '${tg.arn}' uses protocol ${tg.protocol}, which a load balancer of type '${lb.type}' cannot forward to`, { status: 400 });
        }
        const others = this.loadBalancersUsing(tg.arn).filter((o) => o.arn !== lb.arn);
        if (others.length) throw new AwsError("TargetGroupAssociationLimit", `The following target groups cannot be associated with more than one load balancer: ${tg.arn}`, { status: 400 });
      }
      if (lb.type === "network" && !lb.weightedTargetGroups) {
        if (a.targetGroups.length > 1) throw validation("You cannot specify multiple target groups in a single action with a load balancer of type 'network'");
        if (a.weighted) throw validation("You cannot specify a target group weight on load balancers of type 'network'");
      }
    }
  }

  /** Replaces what a listener or rule forwards to without ELBv2's checks (setup, or another writer in the timeline), dated `at`. */
  setForward(target: Listener | Rule, actions: ForwardAction[], operation: string, at = this.now()): void {
    if ("listenerArn" in target) target.actions = actions;
    else target.defaultActions = actions;
    const weights: Record<string, number> = {};
    for (const a of actions) for (const t of a.targetGroups) weights[this.targetGroups.get(t.targetGroupArn)?.name ?? t.targetGroupArn] = t.weight;
    this.forwardHistory.push({ atSeconds: at, resource: this.resourceName(target), arn: target.arn, weights, operation });
    // what the setup builds has been in place for long: its targets are past their first health checks
    this.refreshUse(operation === "setup" ? Number.NEGATIVE_INFINITY : at);
  }

  private refreshUse(at: number): void {
    for (const tg of this.targetGroups.values()) {
      const used = this.loadBalancersUsing(tg.arn).length > 0;
      if (used && !this.usedSince.has(tg.arn)) this.usedSince.set(tg.arn, at);
      if (!used) this.usedSince.delete(tg.arn);
    }
  }

  /** Target group name -> weight of what the listener or rule (`web:80`, `web:80:10`) forwarded to at simulated second `t`. */
  weightsAt(resource: string, t = this.now()): Record<string, number> | undefined {
    let found: ForwardChange | undefined;
    for (const c of this.forwardHistory) if (c.resource === resource && c.atSeconds <= t) found = c;
    return found && { ...found.weights };
  }

  // ---- targets -----------------------------------------------------------------------------

  /** Registers targets, now or at a later simulated second (an ECS task once it runs); `app` is the application's health. */
  registerTargets(tgArn: string, targets: { id: string; port?: number }[], opts: { at?: number; app?: ModeHistory } = {}): RegisteredTarget[] {
    const tg = this.targetGroup(tgArn);
    const at = opts.at ?? this.now();
    return targets.map((t) => {
      const port = t.port ?? tg.port;
      const existing = tg.targets.find((x) => x.id === t.id && x.port === port && (x.deregisteredAt === undefined || x.deregisteredAt > at));
      if (existing) return existing;
      const app = opts.app ?? tg.targetApps.get(t.id);
      const target: RegisteredTarget = { id: t.id, port, registeredAt: at, ...(app ? { app } : {}) };
      tg.targets.push(target);
      return target;
    });
  }

  /** Deregisters targets now or at `at`: they drain for the group's deregistration delay, then are gone. */
  deregisterTargets(tgArn: string, targets: { id: string; port?: number }[], at = this.now()): void {
    const tg = this.targetGroup(tgArn);
    for (const t of targets) {
      const port = t.port ?? tg.port;
      for (const x of tg.targets) if (x.id === t.id && x.port === port && x.deregisteredAt === undefined) x.deregisteredAt = at;
      // a registration planned for later (a task that never got to run) is simply dropped
      tg.targets = tg.targets.filter((x) => !(x.id === t.id && x.port === port && x.registeredAt > at));
    }
  }

  /** Every target of the group that DescribeTargetHealth would list at `t`, with its health. */
  health(tgArn: string, t = this.now()): { target: RegisteredTarget; health: TargetHealthView }[] {
    const tg = this.targetGroup(tgArn);
    const lbType = this.loadBalancersUsing(tg.arn)[0]?.type;
    const out: { target: RegisteredTarget; health: TargetHealthView }[] = [];
    for (const target of tg.targets) {
      const health = targetHealth(tg, target, t, this.usedSince.get(tg.arn), lbType);
      if (health) out.push({ target, health });
    }
    return out;
  }

  /** When the draining of the group's deregistered targets ends (ECS stops a task then). */
  drainedAt(tgArn: string, deregisteredAt: number): number {
    return deregisteredAt + this.targetGroup(tgArn).deregistrationDelaySeconds;
  }
}

function forwardsTo(actions: ForwardAction[], tgArn: string): boolean {
  return actions.some((a) => a.targetGroups.some((t) => t.targetGroupArn === tgArn));
}
