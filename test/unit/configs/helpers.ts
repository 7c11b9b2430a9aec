import { expect } from "vitest";
import type { Schedule } from "../../../functions/domain/configs/index.js";
import { ValidationError, ValidationErrors } from "../../../functions/domain/errors.js";

export interface Problem {
  field: string;
  reason: string;
}

/** Runs `fn`, expects a Deploy.InvalidConfig error, and returns its problems (one for ValidationError). */
export function problemsOf(fn: () => unknown): Problem[] {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, "expected a validation error").toBeDefined();
  const e = thrown as Error;
  expect(e.name).toBe("Deploy.InvalidConfig");
  if (e instanceof ValidationErrors) return e.problems;
  if (e instanceof ValidationError) return [{ field: e.field, reason: e.message.slice(e.field.length + 2) }];
  throw e;
}

/** Which schedule invariants `s` breaks (empty when well-formed). */
export function scheduleViolations(s: Schedule): string[] {
  const v: string[] = [];
  const first = s.steps[0];
  const last = s.steps.at(-1);
  if (!first || !last) return ["no steps"];
  if (first.atSeconds !== 0) v.push(`first step at ${first.atSeconds}, not 0`);
  s.steps.forEach((step, i) => {
    if (!Number.isInteger(step.atSeconds) || !Number.isInteger(step.weight)) v.push(`step ${i} is not integral`);
    if (step.weight < 1 || step.weight > 100) v.push(`step ${i} weight ${step.weight} out of 1..100`);
    const prev = s.steps[i - 1];
    if (prev && step.atSeconds < prev.atSeconds) v.push(`step ${i} goes back in time`);
    if (prev && step.weight <= prev.weight) v.push(`step ${i} weight does not increase`);
  });
  if (last.weight !== 100) v.push(`ends at ${last.weight}%, not 100%`);
  if (s.totalSeconds !== last.atSeconds) v.push(`totalSeconds ${s.totalSeconds} is not the last step's time ${last.atSeconds}`);
  if (s.totalSeconds > 172_800) v.push(`totalSeconds ${s.totalSeconds} exceeds 2880 minutes`);
  return v;
}

/** The schedule invariants every resolved config must satisfy. */
export function expectWellFormed(s: Schedule): void {
  expect(scheduleViolations(s)).toEqual([]);
}
