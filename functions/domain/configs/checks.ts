/** Small validation helpers shared by the config parsers. Each pushes a problem and never throws. */

export interface Problem {
  field: string;
  reason: string;
}
export type Problems = Problem[];

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** "string", "number", "array", "null", ... for messages. */
export function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

export function show(v: unknown): string {
  return typeof v === "string" ? `'${v}'` : JSON.stringify(v) ?? String(v);
}

/** Flags keys not in `allowed`; `hint(key)` may give a better reason for a known mistake. */
export function rejectUnknownKeys(
  obj: Record<string, unknown>,
  allowed: readonly string[],
  field: string,
  problems: Problems,
  hint?: (key: string) => string | undefined,
): void {
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    problems.push({ field: `${field}.${key}`, reason: hint?.(key) ?? `unknown field; expected ${allowed.join(", ")}` });
  }
}

/** An integer in [min, max]; `rule` names the limit's source. */
export function integerIn(v: unknown, field: string, min: number, max: number, rule: string, problems: Problems): number | undefined {
  if (v === undefined || v === null) {
    problems.push({ field, reason: `is required${rule}` });
    return undefined;
  }
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    problems.push({ field, reason: `must be an integer from ${min} to ${max}, got ${show(v)}${rule}` });
    return undefined;
  }
  return v;
}

/** A positive integer (minutes). Upper bounds are checked on the whole schedule's span. */
export function positiveInteger(v: unknown, field: string, rule: string, problems: Problems): number | undefined {
  if (v === undefined || v === null) {
    problems.push({ field, reason: `is required${rule}` });
    return undefined;
  }
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
    problems.push({ field, reason: `must be a positive integer number of minutes, got ${show(v)}${rule}` });
    return undefined;
  }
  return v;
}
