import type { Checker, Json } from "../shared/checker.js";
import type { SetupSection } from "../shared/service.js";
import type { SsmWorld } from "./world.js";

/**
 * The SSM part of the account setup: managed nodes, EC2 (`i-...`) or on-premises (`mi-...`).
 *
 *   "ssm": { "instances": [{ "id": "i-0a1", "platform": "Linux", "pingStatus": "Online", "tags": { "app": "orders" },
 *                            "lastSuccessful": "d-PREVIOUS1",
 *                            "behaviour": { "eventSeconds": 2, "fail": { "event": "ApplicationStart", "exitCode": 3, "bundleKey": "orders/v2.zip" },
 *                                           "hang": { "event": "ValidateService" } } }],
 *            "count": { "prefix": "i-0fleet", "n": 1000, "tags": { "app": "orders" } } }
 *
 * `count` adds n Linux nodes named prefix + a zero-padded number (large fleets for the bench).
 */
const INSTANCE_KEYS = ["id", "platform", "pingStatus", "tags", "behaviour", "lastSuccessful"];

export function ssmSetup(world: SsmWorld): SetupSection {
  return {
    keys: ["ssm"],
    parse(setup, c) {
      if (setup.ssm === undefined) return () => undefined;
      const o = c.object(setup.ssm, "account.ssm", ["instances", "count"]);
      if (!o) return () => undefined;
      const adds = c.array(o.instances, "account.ssm.instances").flatMap((raw, k) => parseInstance(raw, `account.ssm.instances[${k}]`, c));
      if (o.count !== undefined) adds.push(...parseCount(o.count, c));
      const ids = new Set<string>();
      for (const a of adds) {
        if (ids.has(a.id)) c.fail("account.ssm.instances", `duplicate instance id ${a.id}`);
        ids.add(a.id);
      }
      return () => {
        for (const a of adds) world.addInstance(a);
      };
    },
  };
}

type Add = Parameters<SsmWorld["addInstance"]>[0];

function parseInstance(raw: unknown, f: string, c: Checker): Add[] {
  const o = c.object(raw, f, INSTANCE_KEYS);
  if (!o) return [];
  const id = c.string(o, "id", f, { required: true });
  if (id && !/^(i-[0-9a-f]{8,17}|mi-[0-9a-f]{17})$/.test(id)) c.fail(`${f}.id`, "must be an EC2 instance id (i-...) or an on-premises managed node id (mi- and 17 hex digits)");
  const platform = c.string(o, "platform", f, { oneOf: ["Linux", "Windows"] }) as "Linux" | "Windows" | undefined;
  const pingStatus = c.string(o, "pingStatus", f, { oneOf: ["Online", "ConnectionLost"] }) as "Online" | "ConnectionLost" | undefined;
  const tags = parseTags(o.tags, `${f}.tags`, c);
  const lastSuccessful = c.string(o, "lastSuccessful", f);
  const behaviour = o.behaviour === undefined ? undefined : parseBehaviour(o.behaviour, `${f}.behaviour`, c);
  return id ? [{ id, platform, pingStatus, tags, behaviour, lastSuccessful }] : [];
}

function parseTags(raw: unknown, f: string, c: Checker): Record<string, string> {
  if (raw === undefined) return {};
  const o = c.object(raw, f, Object.keys((raw as Json) ?? {}));
  if (!o) return {};
  for (const [k, v] of Object.entries(o)) if (typeof v !== "string") c.fail(`${f}.${k}`, "must be a string");
  return o as Record<string, string>;
}

function parseBehaviour(raw: unknown, f: string, c: Checker): Add["behaviour"] {
  const o = c.object(raw, f, ["eventSeconds", "fail", "hang"]);
  if (!o) return undefined;
  const out: NonNullable<Add["behaviour"]> = {};
  if (o.eventSeconds !== undefined) {
    if (typeof o.eventSeconds !== "number" || o.eventSeconds < 0) c.fail(`${f}.eventSeconds`, "must be a number ≥ 0");
    else out.eventSeconds = o.eventSeconds;
  }
  for (const kind of ["fail", "hang"] as const) {
    if (o[kind] === undefined) continue;
    const r = c.object(o[kind], `${f}.${kind}`, kind === "fail" ? ["event", "exitCode", "bundleKey"] : ["event", "bundleKey"]);
    const event = r && c.string(r, "event", `${f}.${kind}`, { required: true });
    if (!r || !event) continue;
    const bundleKey = c.string(r, "bundleKey", `${f}.${kind}`);
    if (kind === "fail") out.fail = { event, exitCode: typeof r.exitCode === "number" ? r.exitCode : 1, ...(bundleKey ? { bundleKey } : {}) };
    else out.hang = { event, ...(bundleKey ? { bundleKey } : {}) };
  }
  return out;
}

function parseCount(raw: unknown, c: Checker): Add[] {
  const o = c.object(raw, "account.ssm.count", ["prefix", "n", "tags"]);
  if (!o) return [];
  const prefix = c.string(o, "prefix", "account.ssm.count", { required: true }) ?? "i-0";
  const n = o.n;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 5000) {
    c.fail("account.ssm.count.n", "must be an integer 1-5000");
    return [];
  }
  const tags = parseTags(o.tags, "account.ssm.count.tags", c);
  const width = Math.max(17 - prefix.length + 2, String(n).length);
  return Array.from({ length: n }, (_, k) => ({ id: `${prefix}${String(k + 1).padStart(width, "0")}`, tags }));
}
