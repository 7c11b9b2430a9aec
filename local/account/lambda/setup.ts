import { AwsError } from "../shared/protocol/errors.js";
import type { Checker, Json } from "../shared/checker.js";
import type { SetupSection } from "../shared/service.js";
import { checkAliasTarget } from "./routing.js";
import { parseResults } from "./script.js";
import type { FunctionDefinition } from "./types.js";
import type { LambdaWorld } from "./world.js";

/**
 * The account setup's `functions` and `hooks` (hooks are functions too, with a 900 s default
 * timeout and a default `Succeeded` result; invocations of them are listed in `hookInvocations`):
 *
 *   "functions": [{ "name": "orders", "versions": 4, "aliases": { "live": "3" } }],
 *   "hooks":     [{ "name": "CodeDeployHook_pre", "results": [{ "status": "Succeeded" }], "latencySeconds": 5 }]
 */
const FUNCTION_KEYS = [
  "name",
  "versions",
  "aliases",
  "timeoutSeconds",
  "memorySize",
  "runtime",
  "handler",
  "role",
  "packageType",
  "imageUri",
  "description",
  "results",
  "latencySeconds",
  "codeUpdateSeconds",
] as const;
export function lambdaSetup(world: LambdaWorld): SetupSection {
  return {
    keys: ["functions", "hooks"],
    parse(setup, c) {
      const defs: FunctionDefinition[] = [];
      const names = new Set(world.functionNames());
      const add = (item: unknown, field: string, kind: "function" | "hook") => {
        const def = parseFunction(item, field, c, kind);
        if (!def) return;
        if (names.has(def.name)) c.fail(`${field}.name`, `function ${def.name} is defined twice`);
        names.add(def.name);
        defs.push(def);
      };
      for (const [i, f] of c.array(setup.functions, "account.functions").entries()) add(f, `account.functions[${i}]`, "function");
      for (const [i, f] of c.array(setup.hooks, "account.hooks").entries()) add(f, `account.hooks[${i}]`, "hook");
      return () => {
        for (const def of defs) world.define(def);
      };
    },
  };
}

function parseFunction(raw: unknown, field: string, c: Checker, kind: "function" | "hook"): FunctionDefinition | undefined {
  const o = c.object(raw, field, FUNCTION_KEYS);
  if (!o) return undefined;
  const before = c.problems.length;
  const name = c.string(o, "name", field, { required: true });
  if (name !== undefined && !/^[a-zA-Z0-9-_]{1,64}$/.test(name)) c.fail(`${field}.name`, "must be 1-64 characters of [a-zA-Z0-9-_]");
  const def: FunctionDefinition = { name: name ?? "", kind };
  const versions = c.number(o, "versions", field, { integer: true, min: 0 });
  if (versions !== undefined) def.versions = versions;
  const timeout = c.number(o, "timeoutSeconds", field, { integer: true, min: 1 });
  if (timeout !== undefined && timeout > 900) c.fail(`${field}.timeoutSeconds`, "must be at most 900 (Lambda's maximum)");
  if (timeout !== undefined) def.timeoutSeconds = timeout;
  const memory = c.number(o, "memorySize", field, { integer: true, min: 128 });
  if (memory !== undefined && memory > 10240) c.fail(`${field}.memorySize`, "must be at most 10240");
  if (memory !== undefined) def.memorySize = memory;
  for (const key of ["runtime", "handler", "role", "imageUri", "description"] as const) {
    const v = c.string(o, key, field);
    if (v !== undefined) def[key] = v;
  }
  const packageType = c.string(o, "packageType", field, { oneOf: ["Zip", "Image"] }) as "Zip" | "Image" | undefined;
  if (packageType) def.packageType = packageType;
  if (packageType === "Image" && !def.imageUri) c.fail(`${field}.imageUri`, "is required for packageType Image");
  const results = parseResults(o.results, `${field}.results`, c);
  if (results) def.results = results;
  const latency = c.number(o, "latencySeconds", field, { min: 0 });
  if (latency !== undefined) def.latencySeconds = latency;
  const updateSeconds = c.number(o, "codeUpdateSeconds", field, { min: 0 });
  if (updateSeconds !== undefined) def.codeUpdateSeconds = updateSeconds;

  if (o.aliases !== undefined) {
    const ao = c.object(o.aliases, `${field}.aliases`, Object.keys((o.aliases as Json) ?? {}));
    const aliases: NonNullable<FunctionDefinition["aliases"]> = {};
    for (const [alias, target] of Object.entries(ao ?? {})) {
      const af = `${field}.aliases.${alias}`;
      if (!/^[a-zA-Z0-9-_]{1,128}$/.test(alias) || /^[0-9]+$/.test(alias)) c.fail(af, "alias names are 1-128 characters of [a-zA-Z0-9-_], not all digits");
      let t: { functionVersion: string; weights: Record<string, unknown>; description?: string } | undefined;
      if (typeof target === "string") t = { functionVersion: target, weights: {} };
      else {
        const to = c.object(target, af, ["version", "weights", "description"]);
        const version = to ? c.string(to, "version", af, { required: true }) : undefined;
        const weights = to?.weights === undefined ? {} : c.object(to.weights, `${af}.weights`, Object.keys((to.weights as Json) ?? {}));
        if (version && weights) t = { functionVersion: version, weights, description: to ? c.string(to, "description", af) : undefined };
      }
      if (!t) continue;
      try {
        const checked = checkAliasTarget(`function ${name}`, t, (v) => v === "$LATEST" || (/^[0-9]+$/.test(v) && Number(v) >= 1 && Number(v) <= (versions ?? 0)));
        aliases[alias] = t.description === undefined ? checked : { ...checked, description: t.description };
      } catch (e) {
        c.fail(af, e instanceof AwsError ? `${e.message}${e.code === "ResourceNotFoundException" ? ` (the function has ${versions ?? 0} published versions)` : ""}` : String(e));
      }
    }
    def.aliases = aliases;
  }
  return c.problems.length > before ? undefined : def;
}

