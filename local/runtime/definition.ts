import { readFileSync, statSync } from "node:fs";
import type { LocalStack } from "./stack.js";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * Resolves the CloudFormation intrinsics that serverless-step-functions turns into
 * DefinitionSubstitutions (`Fn::GetAtt: [X, Arn]`, `Ref: X`), giving the definition as it
 * runs on AWS. Anything else is returned untouched.
 */
export function resolveIntrinsics(node: Json, stack: LocalStack): Json {
  if (Array.isArray(node)) return node.map((n) => resolveIntrinsics(n, stack));
  if (node && typeof node === "object") {
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0] === "Fn::GetAtt") {
      const [logicalId, attr] = node["Fn::GetAtt"] as [string, string];
      const fn = stack.functions.get(logicalId);
      if (!fn || attr !== "Arn") throw new Error(`cannot resolve Fn::GetAtt ${logicalId}.${attr}: not a function in serverless.yml`);
      return fn.arn;
    }
    if (keys.length === 1 && keys[0] === "Ref") {
      const id = node.Ref as string;
      const value = stack.refs.get(id);
      if (!value) throw new Error(`cannot resolve Ref ${id}: not a resource in serverless.yml`);
      return value;
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolveIntrinsics(v, stack)]));
  }
  return node;
}

const loaded = new WeakMap<LocalStack, Map<string, { mtimeMs: number; definition: Record<string, Json> }>>();

/**
 * The definition in `path` with its intrinsics resolved against `stack`, read again only when the file changes:
 * every execution of a long-running process (tests, the benchmark, `simulate` of several scenarios) starts from it.
 * Callers share the object and must not change it (the runtime hands the engine a copy).
 */
export function loadDefinition(path: string, stack: LocalStack): Record<string, Json> {
  const mtimeMs = statSync(path).mtimeMs;
  let byPath = loaded.get(stack);
  if (!byPath) {
    byPath = new Map();
    loaded.set(stack, byPath);
  }
  const hit = byPath.get(path);
  if (hit?.mtimeMs === mtimeMs) return hit.definition;
  const definition = resolveIntrinsics(JSON.parse(readFileSync(path, "utf8")) as Json, stack) as Record<string, Json>;
  byPath.set(path, { mtimeMs, definition });
  return definition;
}

export interface StateRef {
  name: string;
  state: Record<string, Json>;
}

/** Every state, including those nested in Map and Parallel, by name. */
export function allStates(def: Record<string, Json>): StateRef[] {
  const out: StateRef[] = [];
  const walk = (machine: Record<string, Json>) => {
    for (const [name, s] of Object.entries((machine.States ?? {}) as Record<string, Record<string, Json>>)) {
      out.push({ name, state: s });
      const inner = (s.ItemProcessor ?? s.Iterator) as Record<string, Json> | undefined;
      if (inner) walk(inner);
      for (const b of (s.Branches ?? []) as Record<string, Json>[]) walk(b);
    }
  };
  walk(def);
  return out;
}
