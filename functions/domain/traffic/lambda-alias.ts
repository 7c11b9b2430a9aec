import type { LambdaAliasTarget } from "./target.js";

/** An alias's routing: the version it points to and its AdditionalVersionWeights (fractions in (0, 1)). */
export interface AliasRouting {
  functionVersion: string;
  weights: Record<string, number>;
}

/**
 * The alias for `weight` percent on the new version: 0 and 100 are a single version with no routing config;
 * in between the old version keeps the alias and the new one gets `weight / 100` (Lambda
 * AliasRoutingConfiguration: one additional version, weight between 0.0 and 1.0).
 */
export function aliasRoutingFor(weight: number, target: Pick<LambdaAliasTarget, "fromVersion" | "toVersion">): AliasRouting {
  if (weight >= 100) return { functionVersion: target.toVersion, weights: {} };
  if (weight <= 0) return { functionVersion: target.fromVersion, weights: {} };
  return { functionVersion: target.fromVersion, weights: { [target.toVersion]: weight / 100 } };
}

/**
 * Percent on the new version when the alias is in a state this deployment makes (old version, optionally
 * weighted towards the new one, or the new version alone); null for anything else: another writer's change.
 */
export function weightOnAlias(alias: AliasRouting, target: Pick<LambdaAliasTarget, "fromVersion" | "toVersion">): number | null {
  const extra = Object.entries(alias.weights ?? {});
  if (alias.functionVersion === target.toVersion && extra.length === 0) return 100;
  if (alias.functionVersion !== target.fromVersion) return null;
  if (extra.length === 0) return 0;
  const [version, fraction] = extra[0] as [string, number];
  if (extra.length > 1 || version !== target.toVersion) return null;
  return Math.round(fraction * 10000) / 100;
}

/** "version 3 with {"4":0.1}" / "version 4". */
export function describeAlias(alias: AliasRouting): string {
  return Object.keys(alias.weights ?? {}).length ? `version ${alias.functionVersion} with ${JSON.stringify(alias.weights)}` : `version ${alias.functionVersion}`;
}

export function sameRouting(a: AliasRouting, b: AliasRouting): boolean {
  const norm = (w: Record<string, number>) => JSON.stringify(Object.entries(w ?? {}).sort(([x], [y]) => (x < y ? -1 : 1)));
  return a.functionVersion === b.functionVersion && norm(a.weights) === norm(b.weights);
}
