/**
 * The traffic steps of a deployment: the weight on the new version from each step on, and how long it bakes
 * before the next one. The router turns a weight into the target's own terms (functions/services/routers).
 */
export interface ScheduleLike {
  config: string;
  steps: { atSeconds: number; weight: number }[];
  totalSeconds: number;
}

export interface PlanStep {
  index: number;
  atSeconds: number;
  /** Percent of traffic on the target version from this step on. */
  weight: number;
  /** Seconds to bake at this weight before the next step (0 for the last step). */
  bakeSeconds: number;
}

export interface TrafficPlan {
  config: string;
  totalSeconds: number;
  steps: PlanStep[];
}

export function buildTrafficPlan(schedule: ScheduleLike): TrafficPlan {
  const steps = schedule.steps.map((s, i) => {
    const next = schedule.steps[i + 1];
    return { index: i, atSeconds: s.atSeconds, weight: s.weight, bakeSeconds: next ? next.atSeconds - s.atSeconds : 0 };
  });
  return { config: schedule.config, totalSeconds: schedule.totalSeconds, steps };
}

/** Percent on the target version for an alias as Lambda reports it (status views, the simulator's timeline). */
export function weightOnTarget(alias: { functionVersion: string; weights: Record<string, number> }, target: string): number {
  if (alias.functionVersion === target) return 100;
  return Math.round((alias.weights[target] ?? 0) * 100);
}
