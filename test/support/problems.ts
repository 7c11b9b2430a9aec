import { expect } from "vitest";
import type { ValidationErrors } from "../../functions/domain/errors.js";

/** The problems `fn` refuses with, as `field: reason` lines (none when it accepts); the error must carry `name`. */
export function problemsOf(name: string, fn: () => unknown): string[] {
  try {
    fn();
    return [];
  } catch (e) {
    expect((e as Error).name).toBe(name);
    return (e as ValidationErrors).problems.map((p) => `${p.field}: ${p.reason}`);
  }
}
