import { type Problems, integerIn, isRecord, kindOf, positiveInteger, rejectUnknownKeys } from "./checks.js";
import { MAX_PERCENTAGE, MAX_SHIFT_SPAN_MINUTES, MIN_PERCENTAGE } from "./limits.js";
import type { BakeStep } from "./types.js";

/**
 * Validates stepdeploy's step-list extension: `[{weight, bakeMinutes}, ...]`.
 * Same limits as CodeDeploy's own configs: weights 1-99 (100% follows the last bake),
 * at most 2880 minutes from the first shift to the last (codedeploy-spec §1.5, §8).
 */

/** Weights strictly increase from 1 to 99, so there can be at most 99 steps. */
export const MAX_STEPS = MAX_PERCENTAGE - MIN_PERCENTAGE + 1;
const LIMIT = " (same limit as CodeDeploy's traffic-shifting configs)";

function parseStep(v: unknown, field: string, problems: Problems): BakeStep | undefined {
  if (!isRecord(v)) {
    problems.push({ field, reason: `must be an object {weight, bakeMinutes}, got ${kindOf(v)}` });
    return undefined;
  }
  rejectUnknownKeys(v, ["weight", "bakeMinutes"], field, problems);
  let weight: number | undefined;
  if (v.weight === 100) {
    problems.push({ field: `${field}.weight`, reason: `must be from ${MIN_PERCENTAGE} to ${MAX_PERCENTAGE}, got 100; 100% follows automatically after the last step's bake` });
  } else {
    weight = integerIn(v.weight, `${field}.weight`, MIN_PERCENTAGE, MAX_PERCENTAGE, "", problems);
  }
  const bakeMinutes = positiveInteger(v.bakeMinutes, `${field}.bakeMinutes`, "", problems);
  if (weight === undefined || bakeMinutes === undefined) return undefined;
  return { weight, bakeMinutes };
}

/** Returns the steps, or undefined after pushing at least one problem. */
export function parseStepList(v: unknown, field: string, problems: Problems): BakeStep[] | undefined {
  if (!Array.isArray(v)) {
    problems.push({ field, reason: `must be a list of {weight, bakeMinutes}, got ${kindOf(v)}` });
    return undefined;
  }
  if (v.length === 0) {
    problems.push({ field, reason: "must have at least one step" });
    return undefined;
  }
  if (v.length > MAX_STEPS) {
    problems.push({ field, reason: `has ${v.length} steps; at most ${MAX_STEPS} (weights strictly increase from ${MIN_PERCENTAGE} to ${MAX_PERCENTAGE})` });
    return undefined;
  }
  const before = problems.length;
  const steps = v.map((s, i) => parseStep(s, `${field}[${i}]`, problems));
  steps.forEach((s, i) => {
    const prev = steps[i - 1];
    if (s && prev && s.weight <= prev.weight) {
      problems.push({ field: `${field}[${i}].weight`, reason: `must be greater than the previous step's weight ${prev.weight} (weights strictly increase)` });
    }
  });
  if (problems.length > before) return undefined;
  const valid = steps as BakeStep[];
  const span = valid.reduce((sum, s) => sum + s.bakeMinutes, 0);
  if (span > MAX_SHIFT_SPAN_MINUTES) {
    problems.push({ field, reason: `bakes add up to ${span} minutes; at most ${MAX_SHIFT_SPAN_MINUTES} minutes from the first shift to 100%${LIMIT}` });
    return undefined;
  }
  return valid;
}
