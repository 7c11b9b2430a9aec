import { PREDEFINED_PREFIX } from "./limits.js";

/** Levenshtein distance (small strings only: config names are at most 100 characters). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = row;
  }
  return prev[b.length]!;
}

function normalize(name: string): string {
  const lower = name.trim().toLowerCase();
  const prefix = PREDEFINED_PREFIX.toLowerCase();
  return lower.startsWith(prefix) ? lower.slice(prefix.length) : lower;
}

/**
 * The candidates closest to `name` (case-insensitive, `CodeDeployDefault.` prefix optional),
 * or [] when nothing is plausibly meant. Ties are all returned, in candidate order (at most 3).
 */
export function closestNames(name: string, candidates: readonly string[]): string[] {
  const wanted = normalize(name);
  if (!wanted) return [];
  // Singular/plural mix-ups come first: Lambda says "Every1Minute", ECS "Every1Minutes" (codedeploy-spec §1.4).
  const unplural = (s: string) => s.replace(/s$/, "");
  const sameButPlural = candidates.filter((c) => unplural(normalize(c)) === unplural(wanted));
  if (sameButPlural.length > 0) return sameButPlural.slice(0, 3);
  const scored = candidates.map((c) => ({ c, d: editDistance(wanted, normalize(c)) }));
  const best = Math.min(...scored.map((s) => s.d));
  const tolerance = Math.max(3, Math.ceil(wanted.length / 4));
  if (best > tolerance) return [];
  // Among equally distant names prefer the one sharing the longest prefix plus suffix:
  // "...Every1Minutes" means "...Every1Minute", not "...Every2Minutes".
  const ties = scored.filter((s) => s.d === best).map((s) => ({ c: s.c, a: affinity(wanted, normalize(s.c)) }));
  const top = Math.max(...ties.map((t) => t.a));
  return ties.filter((t) => t.a === top).map((t) => t.c).slice(0, 3);
}

function affinity(a: string, b: string): number {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  return prefix + suffix;
}

/** ". Did you mean 'X'?" / ". Did you mean 'X' or 'Y'?" or "" (appended to a reason). */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return "";
  return `. Did you mean ${suggestions.map((s) => `'${s}'`).join(" or ")}?`;
}
