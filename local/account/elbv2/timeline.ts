import type { TimelineKind } from "../shared/service.js";
import type { ForwardAction } from "./model.js";
import { HEALTH_MODES, type HealthMode } from "./modes.js";
import type { Elbv2World } from "./world.js";

/**
 * ELBv2's timeline entries:
 *   {atSeconds, targetGroup: "web-green", health: "unhealthy"}     the group's targets start failing (or passing) health checks
 *   {atSeconds, listener: "web:80", forward: {"web-blue": 100}}    another writer changes what a listener forwards to
 *   {atSeconds, rule: "web:80:10", forward: "web-blue"}             ... or a listener rule (load balancer:port:priority)
 * A change of forward is recorded as operation `timeline` and is not checked against ELBv2's rules (it
 * stands for whatever another tool did).
 */
type ForwardSpec = string | Record<string, number>;

export function elbv2Timeline(world: Elbv2World): Record<string, TimelineKind> {
  const forwardKind = (key: "listener" | "rule"): TimelineKind => ({
    keys: ["forward"],
    parse(o, f, c, atSeconds) {
      const name = c.string(o, key, f, { required: true });
      const target = name ? world.findByName(name) : undefined;
      if (name && (!target || ("listenerArn" in target) !== (key === "rule"))) c.fail(`${f}.${key}`, `no ${key} named ${name} in the account (${key === "rule" ? "load balancer:port:priority" : "load balancer:port"})`);
      const forward = o.forward as ForwardSpec;
      const names = typeof forward === "string" ? [forward] : typeof forward === "object" && forward !== null ? Object.keys(forward) : [];
      if (names.length === 0) c.fail(`${f}.forward`, "must be a target group name or {name: weight}");
      for (const n of names) if (!world.byName(world.targetGroups, n)) c.fail(`${f}.forward`, `no target group named ${n} in the account`);
      return name && names.length ? { atSeconds, [key]: name, forward } : undefined;
    },
    apply(entry) {
      const name = entry[key] as string;
      const forward = entry.forward as ForwardSpec;
      const arn = (n: string) => world.byName(world.targetGroups, n)?.arn as string;
      const targetGroups = typeof forward === "string" ? [{ targetGroupArn: arn(forward), weight: 1 }] : Object.entries(forward).map(([n, w]) => ({ targetGroupArn: arn(n), weight: w }));
      const action: ForwardAction = { type: "forward", targetGroups, stickiness: { enabled: false } };
      const target = world.findByName(name);
      if (target) world.setForward(target, [action], "timeline", entry.atSeconds);
      return `${key} ${name} -> ${typeof forward === "string" ? forward : Object.entries(forward).map(([n, w]) => `${n}=${w}`).join(", ")} (another writer)`;
    },
  });
  return {
    targetGroup: {
      keys: ["health"],
      parse(o, f, c, atSeconds) {
        const name = c.string(o, "targetGroup", f, { required: true });
        const health = c.string(o, "health", f, { required: true, oneOf: HEALTH_MODES }) as HealthMode | undefined;
        if (name && !world.byName(world.targetGroups, name)) c.fail(`${f}.targetGroup`, `no target group named ${name} in the account`);
        return name && health ? { atSeconds, targetGroup: name, health } : undefined;
      },
      apply(entry) {
        const tg = world.byName(world.targetGroups, entry.targetGroup as string);
        tg?.health.set(entry.atSeconds, entry.health as HealthMode);
        return `target group ${entry.targetGroup}: targets ${entry.health === "healthy" ? "pass" : "fail"} health checks`;
      },
    },
    listener: forwardKind("listener"),
    rule: forwardKind("rule"),
  };
}
