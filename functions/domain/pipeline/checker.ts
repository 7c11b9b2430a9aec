import { describeIntrinsic, isIntrinsic } from "./intrinsics.js";
import type { PipelineIssue, UnresolvedReference } from "./types.js";

/**
 * Reads fields out of the raw definition while collecting errors and warnings at JSON paths.
 *
 * The API shapes spell fields in camelCase (`runOrder`), the CloudFormation resource in PascalCase
 * (`RunOrder`); the checker is told which and reads and reports in the user's own spelling. In
 * the CloudFormation shape scalar numbers and booleans are turned into strings where the API wants a
 * string, as CloudFormation does (`Version: 1`, `PollForSourceChanges: false`); in the API shapes
 * they are errors, as the AWS CLI refuses them.
 */
export type KeyStyle = "camel" | "pascal";
export type Raw = Record<string, unknown>;

export interface StringRule {
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** Says what the pattern allows, for the message. */
  describe?: string;
}

export function joinPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}

export class Checker {
  readonly errors: PipelineIssue[] = [];
  readonly warnings: PipelineIssue[] = [];
  readonly unresolved: UnresolvedReference[] = [];

  constructor(readonly style: KeyStyle) {}

  key(name: string): string {
    return this.style === "pascal" ? name.charAt(0).toUpperCase() + name.slice(1) : name;
  }

  at(base: string, name: string): string {
    return joinPath(base, this.key(name));
  }

  error(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  warn(path: string, message: string): void {
    this.warnings.push({ path, message });
  }

  raw(obj: Raw, name: string): unknown {
    return obj[this.key(name)];
  }

  has(obj: Raw, name: string): boolean {
    return obj[this.key(name)] !== undefined;
  }

  /** An object (map) at `path`, or undefined with an error. */
  object(value: unknown, path: string, what: string): Raw | undefined {
    if (isIntrinsic(value)) {
      this.error(path, `${what} is a CloudFormation intrinsic (${describeIntrinsic(value)}); stepdeploy reads the structure of a pipeline offline and needs it written out`);
      return undefined;
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      this.error(path, `${what} must be an object, got ${kind(value)}`);
      return undefined;
    }
    return value as Raw;
  }

  /** Errors for keys not in `names` (given in camelCase), with a suggestion when only the case differs. */
  allowOnly(obj: Raw, path: string, names: readonly string[]): void {
    const allowed = new Map(names.map((n) => [this.key(n), n]));
    for (const k of Object.keys(obj)) {
      if (allowed.has(k)) continue;
      const near = [...allowed.keys()].find((a) => a.toLowerCase() === k.toLowerCase());
      this.error(joinPath(path, k), near ? `unknown field '${k}': did you mean '${near}'?` : `unknown field '${k}'; expected one of ${[...allowed.keys()].join(", ")}`);
    }
  }

  /**
   * A string field. A CloudFormation intrinsic is recorded as unresolved (a warning) and returned in
   * its short form; format checks are skipped for it.
   */
  string(obj: Raw, base: string, name: string, rule: StringRule = {}): string | undefined {
    return this.stringValue(this.raw(obj, name), this.at(base, name), rule);
  }

  stringValue(value: unknown, path: string, rule: StringRule = {}): string | undefined {
    if (value === undefined || value === null) {
      if (rule.required) this.error(path, "is required");
      return undefined;
    }
    if (isIntrinsic(value)) {
      const display = describeIntrinsic(value);
      this.unresolved.push({ path, display, intrinsic: value });
      this.warn(path, `${display} is a CloudFormation reference, left unresolved (CloudFormation resolves it when the stack deploys)`);
      return display;
    }
    let text: string;
    if (typeof value === "string") text = value;
    else if ((typeof value === "number" || typeof value === "boolean") && this.style === "pascal") text = String(value);
    else {
      this.error(path, `must be a string, got ${kind(value)}${typeof value === "number" || typeof value === "boolean" ? ` (write "${String(value)}")` : ""}`);
      return undefined;
    }
    const min = rule.min ?? 1;
    if (text.length < min) this.error(path, min === 1 ? "must not be empty" : `must be at least ${min} characters, got ${text.length}`);
    else if (rule.max !== undefined && text.length > rule.max) this.error(path, `must be at most ${rule.max} characters, got ${text.length}`);
    else if (rule.pattern && !rule.pattern.test(text)) this.error(path, `'${text}' is not allowed: ${rule.describe ?? `must match ${rule.pattern.source}`}`);
    return text;
  }

  /** An integer in [min, max]; CloudFormation strings of digits are accepted. */
  integer(obj: Raw, base: string, name: string, range: { min: number; max: number }): number | undefined {
    const path = this.at(base, name);
    let value = this.raw(obj, name);
    if (value === undefined || value === null) return undefined;
    if (isIntrinsic(value)) {
      this.error(path, `must be a number written out, not ${describeIntrinsic(value)}`);
      return undefined;
    }
    if (typeof value === "string" && this.style === "pascal" && /^-?\d+$/.test(value.trim())) value = Number(value);
    if (typeof value !== "number" || !Number.isInteger(value)) {
      this.error(path, `must be a whole number from ${range.min} to ${range.max}, got ${kind(value)}${typeof value === "number" ? ` ${value}` : ""}`);
      return undefined;
    }
    if (value < range.min || value > range.max) {
      this.error(path, `must be from ${range.min} to ${range.max}, got ${value}`);
      return undefined;
    }
    return value;
  }

  /** A list field; returns [] when absent and not required. */
  list(obj: Raw, base: string, name: string, limits: { required?: boolean; min?: number; max?: number } = {}): unknown[] {
    const path = this.at(base, name);
    const value = this.raw(obj, name);
    if (value === undefined || value === null) {
      if (limits.required) this.error(path, "is required");
      return [];
    }
    if (isIntrinsic(value)) {
      this.error(path, `is a CloudFormation intrinsic (${describeIntrinsic(value)}); stepdeploy needs the list written out`);
      return [];
    }
    if (!Array.isArray(value)) {
      this.error(path, `must be a list, got ${kind(value)}`);
      return [];
    }
    if (limits.min !== undefined && value.length < limits.min) this.error(path, `needs at least ${limits.min} entr${limits.min === 1 ? "y" : "ies"}, got ${value.length}`);
    if (limits.max !== undefined && value.length > limits.max) this.error(path, `takes at most ${limits.max} entries, got ${value.length}`);
    return value;
  }

  /** One of `values`, or undefined (with an error when present but wrong). */
  oneOf<T extends string>(obj: Raw, base: string, name: string, values: readonly T[], required = false): T | undefined {
    const text = this.string(obj, base, name, { required });
    if (text === undefined) return undefined;
    if ((values as readonly string[]).includes(text)) return text as T;
    if (!this.unresolved.some((u) => u.path === this.at(base, name))) this.error(this.at(base, name), `'${text}' is not one of ${values.join(", ")}`);
    return undefined;
  }
}

export function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}
