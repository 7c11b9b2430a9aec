import { AwsError } from "../shared/protocol/errors.js";

/**
 * EventBridge event patterns: validation and matching, as documented in the EventBridge User Guide
 * ("Event pattern syntax", eb-create-pattern; "Matching on multiple field values",
 * eb-event-patterns-arrays; "Comparison operators for use in event patterns",
 * eb-create-pattern-operators; "Content filtering", eb-event-patterns-content-based-filtering) and
 * in the README of aws/event-ruler, the matching library EventBridge is built on.
 *
 * - A pattern is a JSON object mirroring the event. Every field it names must match (AND); fields
 *   it does not name are ignored. A nested object matches the event's nested object.
 * - A leaf is an array of allowed values (OR): strings, numbers, booleans, null, or one-key
 *   operator objects. "If the value in the event is an array, the event pattern matches if the
 *   intersection of the event pattern array and the event array is non-empty."
 * - Exact values are type-aware: `["5"]` does not match the number 5; numbers compare numerically.
 * - Operators: `prefix`, `suffix` (strings; also `{"prefix": {"equals-ignore-case": "..."}}`),
 *   `equals-ignore-case`, `wildcard` (`*`, with `\*` and `\\` escapes; no consecutive `*`),
 *   `anything-but` (a string, a number, a list of all strings or all numbers, or `{prefix}`,
 *   `{suffix}`, `{equals-ignore-case}`, `{wildcard}`), `numeric` (`["=", n]`, `["<", n]`,
 *   `[">", a, "<=", b]`...; JSON numbers only, -5.0e9..5.0e9), `exists` (true/false) and `cidr`
 *   (IPv4 only here).
 * - "Exists matching only works on the leaf nodes. It does not work on intermediate nodes": a field
 *   whose value is an object counts as absent for `exists`, so does an empty array.
 * - A field the event lacks has no value, so only `{"exists": false}` can match it (every other
 *   matcher, `anything-but` included, needs a value).
 * - `"$or": [{...}, {...}]` (two or more objects) at any level: at least one alternative matches
 *   (event-ruler README, "The $or Primitive"); otherwise `$or` is an ordinary field name.
 * - Arrays of objects in the event: a nested pattern matches if one element matches all of it
 *   (event-ruler's array consistency).
 *
 * Invalid patterns are rejected with `InvalidEventPatternException` ("Event pattern is not valid.
 * Reason: ..."); the reasons are ours.
 *
 * Kept whole rather than cut to what serverless.yml's own rules use (exact values, nested objects,
 * prefix): the simulator also delivers to rules written by users and by tests for notifications,
 * and the services to come emit events that rules filter with the other operators. A matcher that
 * silently disagreed with EventBridge on them would be worse than none; every documented example
 * is checked in test/unit/account/event-pattern-docs.test.ts.
 */
export type EventPattern = { [field: string]: unknown };

const OPERATORS = ["prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric", "exists", "cidr"] as const;
const NUMERIC_LIMIT = 5e9;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isPrimitive = (v: unknown): v is string | number | boolean | null => v === null || ["string", "number", "boolean"].includes(typeof v);

/** Throws InvalidEventPatternException if `pattern` is not a valid EventBridge event pattern. */
export function assertValidPattern(pattern: unknown): asserts pattern is EventPattern {
  const problem = patternProblem(pattern);
  if (problem) throw new AwsError("InvalidEventPatternException", `Event pattern is not valid. Reason: ${problem}`, { status: 400 });
}

/** Why `pattern` is not a valid event pattern, or undefined if it is. */
export function patternProblem(pattern: unknown): string | undefined {
  if (!isObject(pattern)) return "The pattern must be a JSON object.";
  if (Object.keys(pattern).length === 0) return "The pattern must name at least one field.";
  return objectProblem(pattern, "");
}

function objectProblem(o: Json, path: string): string | undefined {
  for (const [key, value] of Object.entries(o)) {
    const at = path ? `${path}.${key}` : key;
    if (isOrBlock(key, value)) {
      for (const alt of value as Json[]) {
        if (Object.keys(alt).length === 0) return `"${at}" alternatives must not be empty.`;
        const p = objectProblem(alt, path);
        if (p) return p;
      }
    } else if (Array.isArray(value)) {
      const p = leafProblem(value, at);
      if (p) return p;
    } else if (isObject(value)) {
      if (Object.keys(value).length === 0) return `"${at}" must not be an empty object.`;
      const p = objectProblem(value, at);
      if (p) return p;
    } else {
      return `"${at}" must be an array of values or a nested object, not ${JSON.stringify(value)}.`;
    }
  }
  return undefined;
}

function isOrBlock(key: string, value: unknown): value is Json[] {
  return key === "$or" && Array.isArray(value) && value.length >= 2 && value.every(isObject) && value.every((alt) => Object.keys(alt).every((k) => !(OPERATORS as readonly string[]).includes(k)));
}

function leafProblem(values: unknown[], at: string): string | undefined {
  if (values.length === 0) return `"${at}": empty arrays are not allowed.`;
  for (const v of values) {
    if (isPrimitive(v)) continue;
    if (Array.isArray(v)) return `"${at}": arrays cannot be nested inside a match array.`;
    const keys = Object.keys(v as Json);
    if (keys.length !== 1) return `"${at}": an operator object must have exactly one key, got ${JSON.stringify(v)}.`;
    const op = keys[0] as string;
    const arg = (v as Json)[op];
    const p = operatorProblem(op, arg, at);
    if (p) return p;
  }
  return undefined;
}

function operatorProblem(op: string, arg: unknown, at: string): string | undefined {
  const bad = (why: string) => `"${at}": ${op} ${why}.`;
  switch (op) {
    case "prefix":
    case "suffix":
      if (typeof arg === "string") return undefined;
      if (isObject(arg) && Object.keys(arg).length === 1 && typeof arg["equals-ignore-case"] === "string") return undefined;
      return bad('needs a string or {"equals-ignore-case": string}');
    case "equals-ignore-case":
      return typeof arg === "string" ? undefined : bad("needs a string");
    case "wildcard":
      return typeof arg === "string" ? wildcardProblem(arg, at) : bad("needs a string");
    case "exists":
      return typeof arg === "boolean" ? undefined : bad("needs true or false");
    case "numeric":
      return numericProblem(arg, at);
    case "cidr":
      return typeof arg === "string" && parseCidr(arg) ? undefined : bad("needs an IPv4 CIDR block such as 10.0.0.0/24 (IPv6 is not supported by the simulated account)");
    case "anything-but":
      return anythingButProblem(arg, at);
    default:
      return `"${at}": unrecognized match type ${op}.`;
  }
}

function anythingButProblem(arg: unknown, at: string): string | undefined {
  if (typeof arg === "string" || typeof arg === "number") return undefined;
  if (Array.isArray(arg)) {
    if (arg.length === 0) return `"${at}": anything-but needs a non-empty list.`;
    if (arg.every((x) => typeof x === "string") || arg.every((x) => typeof x === "number")) return undefined;
    return `"${at}": anything-but lists must contain only strings or only numbers.`;
  }
  if (isObject(arg) && Object.keys(arg).length === 1) {
    const [op, value] = Object.entries(arg)[0] as [string, unknown];
    if ((op === "prefix" || op === "suffix") && typeof value === "string") return undefined;
    if (op === "equals-ignore-case" || op === "wildcard") {
      const list = Array.isArray(value) ? value : [value];
      if (list.length === 0 || !list.every((x) => typeof x === "string")) return `"${at}": anything-but ${op} needs a string or a list of strings.`;
      if (op === "wildcard") for (const w of list as string[]) if (wildcardProblem(w, at)) return wildcardProblem(w, at);
      return undefined;
    }
  }
  return `"${at}": anything-but needs a string, a number, a list of either, or {prefix|suffix|equals-ignore-case|wildcard}.`;
}

function wildcardProblem(w: string, at: string): string | undefined {
  if (w.includes("**")) return `"${at}": consecutive wildcard characters are not allowed.`;
  for (let i = 0; i < w.length; i++) {
    if (w[i] !== "\\") continue;
    if (w[i + 1] !== "*" && w[i + 1] !== "\\") return `"${at}": a backslash may only escape * or \\.`;
    i++;
  }
  return undefined;
}

function numericProblem(arg: unknown, at: string): string | undefined {
  const bad = `"${at}": numeric needs ["=", n], [op, n] or [">"|">=", a, "<"|"<=", b] with numbers between -5.0e9 and 5.0e9.`;
  if (!Array.isArray(arg) || (arg.length !== 2 && arg.length !== 4)) return bad;
  for (let i = 0; i < arg.length; i += 2) {
    if (typeof arg[i] !== "string" || typeof arg[i + 1] !== "number" || Math.abs(arg[i + 1] as number) > NUMERIC_LIMIT) return bad;
  }
  const ops = arg.filter((_, i) => i % 2 === 0) as string[];
  if (ops.length === 1) return ["=", "<", "<=", ">", ">="].includes(ops[0] as string) ? undefined : bad;
  const [lo, hi] = ops as [string, string];
  if (![">", ">="].includes(lo) || !["<", "<="].includes(hi)) return bad;
  return (arg[1] as number) < (arg[3] as number) ? undefined : `"${at}": numeric range bottom must be below its top.`;
}

// ---- matching ------------------------------------------------------------------------------

/** Does `event` (a full EventBridge event: source, detail-type, detail, resources, ...) match `pattern`? */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return matchObject(pattern, event);
}

function matchObject(pattern: Json, node: unknown): boolean {
  for (const [key, p] of Object.entries(pattern)) {
    if (isOrBlock(key, p)) {
      if (!p.some((alt) => matchObject(alt, node))) return false;
      continue;
    }
    const value = isObject(node) ? node[key] : undefined;
    if (Array.isArray(p)) {
      if (!matchLeaf(p, leafValues(value))) return false;
    } else if (isObject(p)) {
      const candidates = objectsIn(value);
      if (candidates.length === 0 ? !matchObject(p, undefined) : !candidates.some((c) => matchObject(p, c))) return false;
    } else {
      return false;
    }
  }
  return true;
}

/** The objects a nested pattern is matched against: the value itself, or the objects in an array. */
function objectsIn(value: unknown): Json[] {
  if (isObject(value)) return [value];
  if (Array.isArray(value)) return value.flatMap((v) => objectsIn(v));
  return [];
}

/** The leaf values at a field: none if absent or an object (intermediate node), the flattened primitives of an array. */
function leafValues(value: unknown): unknown[] {
  if (value === undefined || isObject(value)) return [];
  if (Array.isArray(value)) return value.flatMap((v) => (Array.isArray(v) ? leafValues(v) : isPrimitive(v) ? [v] : []));
  return [value];
}

function matchLeaf(matchers: unknown[], values: unknown[]): boolean {
  return matchers.some((m) => {
    if (isObject(m) && "exists" in m) return m.exists === true ? values.length > 0 : values.length === 0;
    return values.some((v) => matchValue(m, v));
  });
}

function matchValue(m: unknown, v: unknown): boolean {
  if (isPrimitive(m)) return m === v;
  const [op, arg] = Object.entries(m as Json)[0] as [string, unknown];
  switch (op) {
    case "prefix":
      return typeof v === "string" && affix(arg, v, "start");
    case "suffix":
      return typeof v === "string" && affix(arg, v, "end");
    case "equals-ignore-case":
      return typeof v === "string" && v.toLowerCase() === (arg as string).toLowerCase();
    case "wildcard":
      return typeof v === "string" && wildcardRegex(arg as string).test(v);
    case "numeric":
      return typeof v === "number" && numericMatches(arg as (string | number)[], v);
    case "cidr":
      return typeof v === "string" && cidrMatches(arg as string, v);
    case "anything-but":
      return anythingBut(arg, v);
    default:
      return false;
  }
}

function affix(arg: unknown, v: string, side: "start" | "end"): boolean {
  const ignoreCase = isObject(arg);
  const needle = ignoreCase ? (arg["equals-ignore-case"] as string).toLowerCase() : (arg as string);
  const hay = ignoreCase ? v.toLowerCase() : v;
  return side === "start" ? hay.startsWith(needle) : hay.endsWith(needle);
}

function anythingBut(arg: unknown, v: unknown): boolean {
  if (typeof arg === "string" || typeof arg === "number") return v !== arg;
  if (Array.isArray(arg)) return !arg.includes(v);
  const [op, value] = Object.entries(arg as Json)[0] as [string, unknown];
  if (typeof v !== "string") return false;
  if (op === "prefix") return !v.startsWith(value as string);
  if (op === "suffix") return !v.endsWith(value as string);
  const list = (Array.isArray(value) ? value : [value]) as string[];
  if (op === "equals-ignore-case") return !list.some((x) => x.toLowerCase() === v.toLowerCase());
  return !list.some((w) => wildcardRegex(w).test(v));
}

function numericMatches(spec: (string | number)[], v: number): boolean {
  for (let i = 0; i < spec.length; i += 2) {
    const n = spec[i + 1] as number;
    const ok = { "=": v === n, "<": v < n, "<=": v <= n, ">": v > n, ">=": v >= n }[spec[i] as string];
    if (!ok) return false;
  }
  return true;
}

const wildcardCache = new Map<string, RegExp>();
function wildcardRegex(w: string): RegExp {
  let re = wildcardCache.get(w);
  if (re) return re;
  let src = "";
  for (let i = 0; i < w.length; i++) {
    const c = w[i] as string;
    if (c === "\\") {
      src += (w[i + 1] as string).replace(/[\\*]/, (x) => `\\${x}`);
      i++;
    } else if (c === "*") src += "[\\s\\S]*";
    else src += c.replace(/[.*+?^${}()|[\]\\/-]/g, (x) => `\\${x}`);
  }
  re = new RegExp(`^${src}$`);
  wildcardCache.set(w, re);
  return re;
}

function parseIpv4(s: string): number | undefined {
  const parts = s.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function parseCidr(s: string): { base: number; bits: number } | undefined {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(s);
  const ip = m ? parseIpv4(m[1] as string) : parseIpv4(s);
  const bits = m ? Number(m[2]) : 32;
  if (ip === undefined || bits > 32) return undefined;
  return { base: ip, bits };
}

function cidrMatches(cidr: string, v: string): boolean {
  const c = parseCidr(cidr);
  const ip = parseIpv4(v);
  if (!c || ip === undefined) return false;
  const size = 2 ** (32 - c.bits);
  return Math.floor(ip / size) === Math.floor(c.base / size);
}
