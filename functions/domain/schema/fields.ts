// A namespace import: esbuild then bundles only what is used (a named `z` pulls all of zod, locales included).
import * as z from "zod";
import { ErrorNames, ValidationErrors } from "../errors.js";

/**
 * The building blocks every input schema uses (deployment inputs, the groups file, release sources), so each
 * field says what is wrong in the same words: `is required`, `must be a string, got number`, `must be true or
 * false`, `must be an integer from 1 to 3600`, `unknown field`. The schemas are zod (v4): validation, the
 * TypeScript types and the published JSON Schemas (schemas/*.json) all come from them.
 */
export type Problem = { field: string; reason: string };

/** What a value is, in the words of an error message (`null`, `array`, `number`, ...). */
export const kind = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/**
 * A required, non-empty string; `rule` (pattern + what it means) checks its form. With `quote`, the message
 * starts with the value itself (`'Bad_Bucket' is not a valid S3 bucket name`), for names a reader must spot.
 */
export function text(rule?: { pattern: RegExp; means: string; quote?: boolean }) {
  const s = z
    .string({ error: (iss) => (iss.input === undefined || iss.input === null ? "is required" : `must be a string, got ${kind(iss.input)}`) })
    .min(1, { error: "is required", abort: true });
  if (!rule) return s;
  return s.regex(rule.pattern, { error: (iss) => (rule.quote ? `'${String(iss.input)}' ${rule.means}` : rule.means) });
}

/** A boolean that may be left out (`null` too): `true` or `false`, nothing truthy. */
export const flag = () => z.boolean({ error: "must be true or false" }).nullish();

/** An integer in [min, max] that may be left out. */
export const intIn = (min: number, max: number) =>
  z
    .int({ error: `must be an integer from ${min} to ${max}` })
    .min(min, { error: `must be an integer from ${min} to ${max}` })
    .max(max, { error: `must be an integer from ${min} to ${max}` })
    .nullish();

/**
 * An object that names its fields in the error when it is something else, and refuses unknown keys (`unknownKey`
 * says what belongs there instead); `missing` is the message when it is left out.
 */
export function record<T extends z.core.$ZodLooseShape>(shape: T, what: string, unknownKey = "unknown field", missing = "is required") {
  return z.strictObject(shape, {
    error: (iss) => (iss.code === "unrecognized_keys" ? unknownKey : iss.input === undefined ? missing : `must be an object ${what}`),
  });
}

/** A map from names of the form `key` to `value`s (YAML mappings such as `applications:`). */
export function map<K extends z.ZodType<string>, V extends z.ZodType>(key: K, value: V, what: string) {
  return z.record(key, value, { error: (iss) => (iss.input === undefined ? "is required" : `must be a map of ${what}`) });
}

/** `a.b[1].c` from a zod path; the root is named by `root` (e.g. `(input)`). */
export function fieldOf(path: readonly PropertyKey[], root: string): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? String(p) : `.${String(p)}`;
  return out === "" ? root : out;
}

/** One problem per issue; unknown keys give one problem each, at the key's own path. */
export function problemsOf(error: z.ZodError, root: string): Problem[] {
  const out: Problem[] = [];
  for (const iss of error.issues) {
    if (iss.code === "unrecognized_keys") {
      const reason = iss.message.startsWith("Unrecognized key") ? "unknown field" : iss.message;
      for (const k of iss.keys) out.push({ field: fieldOf([...iss.path, k], root), reason });
    } else if (iss.code === "invalid_key") {
      // A map key of the wrong form: the key's own rule says why, at the key's path (zod's path ends with it).
      out.push({ field: fieldOf(iss.path, root), reason: iss.issues[0]?.message ?? iss.message });
    } else if (iss.code === "invalid_union" && iss.message === "Invalid input") {
      // A union without its own message: the branch that got furthest says best what is wrong.
      const best = [...iss.errors].sort((a, b) => depth(b) - depth(a))[0] ?? [];
      if (best.length) out.push(...problemsOf(new z.ZodError(best.map((i) => ({ ...i, path: [...iss.path, ...i.path] }))), root));
      else out.push({ field: fieldOf(iss.path, root), reason: iss.message });
    } else out.push({ field: fieldOf(iss.path, root), reason: iss.message });
  }
  return out;
}

const depth = (issues: z.core.$ZodIssue[]) => Math.max(0, ...issues.map((i) => i.path.length));

/** Parses with `schema` or throws every problem at once as `ValidationErrors` named `errorName`. */
export function parseOrThrow<S extends z.ZodType>(schema: S, raw: unknown, opts: { root: string; errorName?: string }): z.output<S> {
  const r = schema.safeParse(raw);
  if (!r.success) throw new ValidationErrors(problemsOf(r.error, opts.root), opts.errorName ?? ErrorNames.InvalidInput);
  return r.data;
}
