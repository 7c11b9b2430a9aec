import type { Checker } from "../shared/checker.js";
import type { SetupSection } from "../shared/service.js";
import { HEALTH_MODES, type HealthMode } from "../elbv2/modes.js";
import type { ClassicElbWorld } from "./world.js";

/**
 * The Classic Load Balancer part of the account setup:
 *
 *   "classicLoadBalancers": [{ "name": "orders-classic",
 *                              "healthCheck": { "intervalSeconds": 10, "healthyThreshold": 2, "unhealthyThreshold": 2 },
 *                              "connectionDraining": { "enabled": true, "timeoutSeconds": 30 },
 *                              "instances": [{ "id": "i-0c0000000000000c1" }, { "id": "i-0c0000000000000c2", "health": "unhealthy" }] }]
 *
 * What the setup registers has been in service for long (InService at once). An instance's own `health`
 * (`unhealthy`: its application never passes the checks) holds whenever it is registered. Limits as the API takes them:
 * names of 1-32 letters, digits and hyphens; interval 5-300 s; thresholds 2-10; draining timeout 1-3600 s.
 */
const NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/;

export function elbSetup(world: ClassicElbWorld): SetupSection {
  return {
    keys: ["classicLoadBalancers"],
    parse(setup, c) {
      const lbs = c.array(setup.classicLoadBalancers, "account.classicLoadBalancers").flatMap((raw, i) => parseOne(raw, `account.classicLoadBalancers[${i}]`, c));
      return () => {
        for (const spec of lbs) {
          world.create(spec);
          for (const inst of spec.instances) if (inst.health) world.setApp(spec.name, inst.id, inst.health, Number.NEGATIVE_INFINITY);
          world.register(spec.name, spec.instances.map((i) => i.id), { at: Number.NEGATIVE_INFINITY, checkEc2: false });
        }
      };
    },
  };
}

function parseOne(raw: unknown, f: string, c: Checker) {
  const o = c.object(raw, f, ["name", "healthCheck", "connectionDraining", "instances"]);
  if (!o) return [];
  const name = c.string(o, "name", f, { required: true });
  if (name && !NAME.test(name)) c.fail(`${f}.name`, "must be 1-32 letters, digits and hyphens, not starting or ending with a hyphen");
  const hc = o.healthCheck === undefined ? undefined : c.object(o.healthCheck, `${f}.healthCheck`, ["intervalSeconds", "healthyThreshold", "unhealthyThreshold"]);
  const range = (v: number | undefined, field: string, min: number, max: number) => {
    if (v !== undefined && v > max) c.fail(field, `must be ${min}-${max}`);
    return v;
  };
  const healthCheck = hc && {
    ...opt("intervalSeconds", range(c.number(hc, "intervalSeconds", `${f}.healthCheck`, { integer: true, min: 5 }), `${f}.healthCheck.intervalSeconds`, 5, 300)),
    ...opt("healthyThreshold", range(c.number(hc, "healthyThreshold", `${f}.healthCheck`, { integer: true, min: 2 }), `${f}.healthCheck.healthyThreshold`, 2, 10)),
    ...opt("unhealthyThreshold", range(c.number(hc, "unhealthyThreshold", `${f}.healthCheck`, { integer: true, min: 2 }), `${f}.healthCheck.unhealthyThreshold`, 2, 10)),
  };
  const cd = o.connectionDraining === undefined ? undefined : c.object(o.connectionDraining, `${f}.connectionDraining`, ["enabled", "timeoutSeconds"]);
  if (cd?.enabled !== undefined && typeof cd.enabled !== "boolean") c.fail(`${f}.connectionDraining.enabled`, "must be a boolean");
  const connectionDraining = cd && {
    ...opt("enabled", typeof cd.enabled === "boolean" ? cd.enabled : undefined),
    ...opt("timeoutSeconds", range(c.number(cd, "timeoutSeconds", `${f}.connectionDraining`, { integer: true, min: 1 }), `${f}.connectionDraining.timeoutSeconds`, 1, 3600)),
  };
  const instances = c.array(o.instances, `${f}.instances`).flatMap((t, j) => {
    const to = c.object(t, `${f}.instances[${j}]`, ["id", "health"]);
    const id = to && c.string(to, "id", `${f}.instances[${j}]`, { required: true });
    const health = to && (c.string(to, "health", `${f}.instances[${j}]`, { oneOf: HEALTH_MODES }) as HealthMode | undefined);
    return id ? [{ id, ...opt("health", health) }] : [];
  });
  return name ? [{ name, instances, ...opt("healthCheck", healthCheck), ...opt("connectionDraining", connectionDraining) }] : [];
}

const opt = <K extends string, V>(k: K, v: V | undefined): { [P in K]?: V } => (v === undefined ? {} : ({ [k]: v } as { [P in K]: V }));
