import type { TimelineKind } from "../shared/service.js";
import { type ScriptedResult, parseResults } from "./script.js";
import type { LambdaWorld } from "./world.js";

/**
 * Lambda's timeline entries:
 *   {atSeconds, hook: "CodeDeployHook_pre", results?: [...], latencySeconds?}   re-scripts any function
 *   {atSeconds, alias: {function, name, version?, weights?}}                    someone else edits the alias
 */
export type HookItem = {
  atSeconds: number;
  hook: string;
  results?: ScriptedResult[];
  latencySeconds?: number;
};

export type AliasItem = {
  atSeconds: number;
  alias: { function: string; name: string; version?: string; weights?: Record<string, number> };
};

export function lambdaTimeline(world: LambdaWorld): Record<string, TimelineKind> {
  const exists = (name: string) => world.functionNames().includes(name);
  return {
    hook: {
      keys: ["results", "latencySeconds"],
      parse(o, f, c, atSeconds) {
        const before = c.problems.length;
        const hook = c.string(o, "hook", f, { required: true });
        const results = parseResults(o.results, `${f}.results`, c);
        const latencySeconds = c.number(o, "latencySeconds", f, { min: 0 });
        if (hook && !exists(hook)) c.fail(`${f}.hook`, `no function named ${hook} in the account`);
        if (!results && latencySeconds === undefined) c.fail(f, "must change results and/or latencySeconds");
        if (!hook || c.problems.length > before) return undefined;
        const item: HookItem = { atSeconds, hook };
        if (results) item.results = results;
        if (latencySeconds !== undefined) item.latencySeconds = latencySeconds;
        return item;
      },
      apply(entry) {
        const { hook, results, latencySeconds } = entry as HookItem;
        world.setScript(world.get(hook), { results, latencySeconds });
        const parts = [results ? `results ${JSON.stringify(results)}` : "", latencySeconds !== undefined ? `latency ${latencySeconds} s` : ""].filter(Boolean);
        return `function ${hook}: ${parts.join(", ")}`;
      },
    },
    alias: {
      keys: [],
      parse(o, f, c, atSeconds) {
        const before = c.problems.length;
        const ao = c.object(o.alias, `${f}.alias`, ["function", "name", "version", "weights"]);
        const fn = ao ? c.string(ao, "function", `${f}.alias`, { required: true }) : undefined;
        const name = ao ? c.string(ao, "name", `${f}.alias`, { required: true }) : undefined;
        const version = ao ? c.string(ao, "version", `${f}.alias`) : undefined;
        const weights = ao?.weights === undefined ? undefined : c.object(ao.weights, `${f}.alias.weights`, Object.keys((ao.weights as object) ?? {}));
        if (fn && !exists(fn)) c.fail(`${f}.alias.function`, `no function named ${fn} in the account`);
        if (!fn || !name || c.problems.length > before) return undefined;
        const item: AliasItem = { atSeconds, alias: { function: fn, name } };
        if (version) item.alias.version = version;
        if (weights) item.alias.weights = weights as Record<string, number>;
        return item;
      },
      apply(entry) {
        const { atSeconds, alias: a } = entry as AliasItem;
        try {
          world.updateAlias(world.get(a.function), a.name, { functionVersion: a.version, weights: a.weights }, "timeline", atSeconds);
          return `alias ${a.function}:${a.name} -> ${a.version ?? "(same version)"}${a.weights ? ` ${JSON.stringify(a.weights)}` : ""}`;
        } catch (e) {
          return `alias ${a.function}:${a.name} change rejected: ${(e as Error).message}`;
        }
      },
    },
  };
}
