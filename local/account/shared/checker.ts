import { ValidationErrors } from "../../../functions/domain/errors.js";

/**
 * Strict checking of the plain-JSON account setup, timeline and fault shapes: unknown keys and
 * wrong types are reported with their path (`functions[0].aliases.live`), all at once, so a typo
 * in a scenario fails loudly instead of silently meaning something else.
 */
export interface Problem {
  field: string;
  reason: string;
}

export type Json = Record<string, unknown>;

export const SETUP_ERROR = "Simulate.InvalidAccount";

export class Checker {
  readonly problems: Problem[] = [];

  fail(field: string, reason: string): void {
    this.problems.push({ field, reason });
  }

  /** Throws ValidationErrors (name `Simulate.InvalidAccount`) listing every problem, if any. */
  throwIfAny(): void {
    if (this.problems.length) throw new ValidationErrors(this.problems, SETUP_ERROR);
  }

  object(v: unknown, field: string, allowed: readonly string[]): Json | undefined {
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
      this.fail(field, "must be an object");
      return undefined;
    }
    for (const k of Object.keys(v)) if (!allowed.includes(k) && k !== "$comment") this.fail(`${field}.${k}`, "unknown field");
    return v as Json;
  }

  array(v: unknown, field: string): unknown[] {
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      this.fail(field, "must be a list");
      return [];
    }
    return v;
  }

  string(o: Json, key: string, field: string, opts: { required?: boolean; oneOf?: readonly string[] } = {}): string | undefined {
    const v = o[key];
    if (v === undefined) {
      if (opts.required) this.fail(`${field}.${key}`, "is required");
      return undefined;
    }
    if (typeof v !== "string" || v === "") {
      this.fail(`${field}.${key}`, "must be a non-empty string");
      return undefined;
    }
    if (opts.oneOf && !opts.oneOf.includes(v)) {
      this.fail(`${field}.${key}`, `must be one of ${opts.oneOf.join(", ")}`);
      return undefined;
    }
    return v;
  }

  number(o: Json, key: string, field: string, opts: { required?: boolean; min?: number; integer?: boolean } = {}): number | undefined {
    const v = o[key];
    if (v === undefined) {
      if (opts.required) this.fail(`${field}.${key}`, "is required");
      return undefined;
    }
    if (typeof v !== "number" || !Number.isFinite(v) || (opts.integer && !Number.isInteger(v)) || (opts.min !== undefined && v < opts.min)) {
      this.fail(`${field}.${key}`, `must be a${opts.integer ? "n integer" : " number"}${opts.min !== undefined ? ` >= ${opts.min}` : ""}`);
      return undefined;
    }
    return v;
  }
}
