import { readFileSync } from "node:fs";
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

export function loadDefinition(path: string, stack: LocalStack): Record<string, Json> {
  return resolveIntrinsics(JSON.parse(readFileSync(path, "utf8")) as Json, stack) as Record<string, Json>;
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
