import type { Checker, Json } from "../shared/checker.js";
import type { SetupSection } from "../shared/service.js";
import { type ForwardAction, LOAD_BALANCER_TYPES, type LoadBalancerType, PROTOCOLS } from "./model.js";
import { HEALTH_MODES, type HealthMode, ModeHistory } from "./modes.js";
import type { Elbv2World } from "./world.js";

/**
 * The ELBv2 part of the account setup:
 *
 *   "targetGroups": [{ "name": "web-blue", "protocol": "HTTP", "port": 80, "targetType": "ip",
 *                      "healthCheck": { "intervalSeconds": 5, "healthyThresholdCount": 2, "unhealthyThresholdCount": 2 },
 *                      "deregistrationDelaySeconds": 30, "health": "healthy", "targets": [{ "id": "10.0.1.10" }] }],
 *   "loadBalancers": [{ "name": "web", "type": "application",
 *                       "listeners": [{ "port": 80, "protocol": "HTTP", "forward": "web-blue",
 *                                       "rules": [{ "priority": 10, "pathPattern": "/api/*", "forward": { "web-blue": 1 } }] }] }]
 *
 * `forward` is a target group name (a plain forward) or `{name: weight}` (a weighted forward). Optional
 * `id`s fix the 16-hex-digit part of ARNs (by default derived from the names). What the setup builds
 * has been in place for long: its targets start healthy. `weightedTargetGroups: false` on a network load
 * balancer makes it refuse weights as Network Load Balancers did before 19 November 2025. A target's own
 * `health` (`unhealthy`: its application never passes the checks) holds whenever that id is registered.
 */
const TG_KEYS = ["name", "protocol", "port", "targetType", "healthCheck", "deregistrationDelaySeconds", "health", "targets", "id"];
const LB_KEYS = ["name", "type", "listeners", "weightedTargetGroups", "id"];
const LISTENER_KEYS = ["port", "protocol", "forward", "rules", "id"];
const RULE_KEYS = ["priority", "pathPattern", "hostHeader", "forward", "id"];
const NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/;

type Forward = string | Record<string, number>;

export function elbv2Setup(world: Elbv2World): SetupSection {
  return {
    keys: ["loadBalancers", "targetGroups"],
    parse(setup, c) {
      const tgs = c.array(setup.targetGroups, "account.targetGroups").map((raw, i) => parseTargetGroup(raw, `account.targetGroups[${i}]`, c));
      const tgNames = new Map(tgs.flatMap((t) => (t ? [[t.name, t] as const] : [])));
      const lbs = c.array(setup.loadBalancers, "account.loadBalancers").map((raw, i) => parseLoadBalancer(raw, `account.loadBalancers[${i}]`, c, tgNames));
      checkAssociations(lbs, c);
      return () => {
        for (const t of tgs) {
          if (!t) continue;
          const tg = world.createTargetGroup(t);
          for (const target of t.targets) if (target.health) tg.targetApps.set(target.id, new ModeHistory(target.health));
          world.registerTargets(tg.arn, t.targets, { at: Number.NEGATIVE_INFINITY });
        }
        for (const spec of lbs) {
          if (!spec) continue;
          const lb = world.createLoadBalancer(spec);
          for (const l of spec.listeners) {
            const actions = [forwardAction(world, l.forward)];
            world.checkForward(lb, actions);
            const listener = world.createListener(lb, { ...l, defaultActions: actions });
            for (const r of l.rules) {
              const ruleActions = [forwardAction(world, r.forward)];
              world.checkForward(lb, ruleActions);
              world.createRule(listener, { priority: r.priority, conditions: r.conditions, actions: ruleActions, ...(r.id ? { id: r.id } : {}) });
            }
          }
        }
      };
    },
  };
}

/** What ELBv2 would refuse across load balancers: a target group used by two of them, weights on a network load balancer without weighted target groups. */
function checkAssociations(lbs: ReturnType<typeof parseLoadBalancer>[], c: Checker): void {
  const owner = new Map<string, string>();
  lbs.forEach((lb, i) => {
    if (!lb) return;
    const forwards = lb.listeners.flatMap((l) => [l.forward, ...l.rules.map((r) => r.forward)]);
    for (const fwd of forwards) {
      if (lb.weightedTargetGroups === false && typeof fwd === "object") c.fail(`account.loadBalancers[${i}]`, "a network load balancer without weighted target groups forwards to one target group, without a weight");
      for (const n of typeof fwd === "string" ? [fwd] : Object.keys(fwd)) {
        const other = owner.get(n);
        if (other && other !== lb.name) c.fail(`account.loadBalancers[${i}]`, `target group ${n} is already used by load balancer ${other} (a target group belongs to one load balancer)`);
        owner.set(n, lb.name);
      }
    }
  });
}

function forwardAction(world: Elbv2World, forward: Forward): ForwardAction {
  const arnOf = (name: string) => world.byName(world.targetGroups, name)?.arn as string;
  if (typeof forward === "string") return { type: "forward", targetGroups: [{ targetGroupArn: arnOf(forward), weight: 1 }], stickiness: { enabled: false } };
  return { type: "forward", targetGroups: Object.entries(forward).map(([n, w]) => ({ targetGroupArn: arnOf(n), weight: w })), stickiness: { enabled: false }, weighted: true };
}

function parseTargetGroup(raw: unknown, f: string, c: Checker) {
  const o = c.object(raw, f, TG_KEYS);
  if (!o) return undefined;
  const name = c.string(o, "name", f, { required: true });
  if (name && !NAME.test(name)) c.fail(`${f}.name`, "must be 1-32 letters, digits and hyphens, not starting or ending with a hyphen");
  const protocol = c.string(o, "protocol", f, { required: true, oneOf: [...PROTOCOLS.application, ...PROTOCOLS.network] });
  const port = c.number(o, "port", f, { required: true, integer: true, min: 1 });
  const targetType = c.string(o, "targetType", f, { oneOf: ["ip", "instance"] }) as "ip" | "instance" | undefined;
  const hc = o.healthCheck === undefined ? undefined : c.object(o.healthCheck, `${f}.healthCheck`, ["intervalSeconds", "healthyThresholdCount", "unhealthyThresholdCount"]);
  const healthCheck = hc && {
    ...opt("intervalSeconds", c.number(hc, "intervalSeconds", `${f}.healthCheck`, { integer: true, min: 5 })),
    ...opt("healthyThresholdCount", c.number(hc, "healthyThresholdCount", `${f}.healthCheck`, { integer: true, min: 2 })),
    ...opt("unhealthyThresholdCount", c.number(hc, "unhealthyThresholdCount", `${f}.healthCheck`, { integer: true, min: 2 })),
  };
  const deregistrationDelaySeconds = c.number(o, "deregistrationDelaySeconds", f, { integer: true, min: 0 });
  const health = c.string(o, "health", f, { oneOf: HEALTH_MODES }) as HealthMode | undefined;
  const id = hexIdField(o, f, c);
  const targets = c.array(o.targets, `${f}.targets`).flatMap((t, j) => {
    const to = c.object(t, `${f}.targets[${j}]`, ["id", "port", "health"]);
    const tid = to && c.string(to, "id", `${f}.targets[${j}]`, { required: true });
    const tport = to && c.number(to, "port", `${f}.targets[${j}]`, { integer: true, min: 1 });
    const thealth = to && (c.string(to, "health", `${f}.targets[${j}]`, { oneOf: HEALTH_MODES }) as HealthMode | undefined);
    return tid ? [{ id: tid, ...opt("port", tport), ...opt("health", thealth) }] : [];
  });
  if (!name || !protocol || port === undefined) return undefined;
  return { name, protocol, port, targets, ...opt("targetType", targetType), ...opt("healthCheck", healthCheck), ...opt("deregistrationDelaySeconds", deregistrationDelaySeconds), ...opt("health", health), ...opt("id", id) };
}

function parseLoadBalancer(raw: unknown, f: string, c: Checker, tgs: Map<string, { protocol: string }>) {
  const o = c.object(raw, f, LB_KEYS);
  if (!o) return undefined;
  const name = c.string(o, "name", f, { required: true });
  if (name && !NAME.test(name)) c.fail(`${f}.name`, "must be 1-32 letters, digits and hyphens, not starting or ending with a hyphen");
  const type = (c.string(o, "type", f, { oneOf: LOAD_BALANCER_TYPES }) ?? "application") as LoadBalancerType;
  if (o.weightedTargetGroups !== undefined && (typeof o.weightedTargetGroups !== "boolean" || type !== "network")) c.fail(`${f}.weightedTargetGroups`, "must be a boolean, on a network load balancer");
  const id = hexIdField(o, f, c);
  const listeners = c.array(o.listeners, `${f}.listeners`).flatMap((l, i) => {
    const lf = `${f}.listeners[${i}]`;
    const lo = c.object(l, lf, LISTENER_KEYS);
    if (!lo) return [];
    const port = c.number(lo, "port", lf, { required: true, integer: true, min: 1 });
    const protocol = c.string(lo, "protocol", lf, { oneOf: PROTOCOLS[type] }) ?? (type === "application" ? "HTTP" : "TCP");
    const forward = parseForward(lo.forward, `${lf}.forward`, c, tgs, type);
    if (lo.rules !== undefined && type === "network") c.fail(`${lf}.rules`, "Network Load Balancer listeners have no rules (only a default action)");
    const rules = c.array(lo.rules, `${lf}.rules`).flatMap((r, j) => {
      const rf = `${lf}.rules[${j}]`;
      const ro = c.object(r, rf, RULE_KEYS);
      if (!ro) return [];
      const priority = c.number(ro, "priority", rf, { required: true, integer: true, min: 1 });
      const pathPattern = c.string(ro, "pathPattern", rf);
      const hostHeader = c.string(ro, "hostHeader", rf);
      if (!pathPattern && !hostHeader) c.fail(rf, "needs a pathPattern or a hostHeader condition");
      const conditions = [
        ...(pathPattern ? [{ Field: "path-pattern", Values: [pathPattern] }] : []),
        ...(hostHeader ? [{ Field: "host-header", Values: [hostHeader] }] : []),
      ];
      const rforward = parseForward(ro.forward, `${rf}.forward`, c, tgs, type);
      const rid = hexIdField(ro, rf, c);
      return priority !== undefined && rforward ? [{ priority, conditions, forward: rforward, ...opt("id", rid) }] : [];
    });
    const lid = hexIdField(lo, lf, c);
    return port !== undefined && forward ? [{ port, protocol, forward, rules, ...opt("id", lid) }] : [];
  });
  if (!name) return undefined;
  return { name, type, listeners, ...opt("id", id), ...(typeof o.weightedTargetGroups === "boolean" ? { weightedTargetGroups: o.weightedTargetGroups } : {}) };
}

function parseForward(raw: unknown, f: string, c: Checker, tgs: Map<string, { protocol: string }>, type: LoadBalancerType): Forward | undefined {
  const names = typeof raw === "string" ? [raw] : typeof raw === "object" && raw !== null && !Array.isArray(raw) ? Object.keys(raw) : undefined;
  if (!names || names.length === 0) {
    c.fail(f, "must be a target group name or {name: weight}");
    return undefined;
  }
  for (const n of names) {
    const tg = tgs.get(n);
    if (!tg) c.fail(f, `no target group named ${n} in account.targetGroups`);
    else if (!PROTOCOLS[type].includes(tg.protocol)) c.fail(f, `target group ${n} (${tg.protocol}) cannot be used by a ${type} load balancer`);
  }
  if (typeof raw === "object") {
    for (const [n, w] of Object.entries(raw as Json)) if (typeof w !== "number" || !Number.isInteger(w) || w < 0 || w > 999) c.fail(`${f}.${n}`, "must be a weight from 0 to 999");
  }
  return raw as Forward;
}

function hexIdField(o: Json, f: string, c: Checker): string | undefined {
  const id = c.string(o, "id", f);
  if (id && !/^[0-9a-f]{16}$/.test(id)) c.fail(`${f}.id`, "must be 16 lowercase hex digits");
  return id;
}

const opt = <K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } => (v === undefined ? {} : ({ [key]: v } as { [P in K]?: V }));
