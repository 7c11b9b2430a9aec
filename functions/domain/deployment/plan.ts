/**
 * Turns a traffic schedule into the alias updates the workflow applies, one per step.
 * Each step carries the exact UpdateAlias arguments so the state machine can call
 * `aws-sdk:lambda:updateAlias` directly (no dynamic keys are possible in JSONPath Parameters).
 */
export interface ScheduleLike {
  config: string;
  steps: { atSeconds: number; weight: number }[];
  totalSeconds: number;
}

export interface AliasRouting {
  AdditionalVersionWeights: Record<string, number>;
}

export interface PlanStep {
  index: number;
  atSeconds: number;
  /** Percent of traffic on the target version from this step on. */
  weight: number;
  /** Seconds to bake at this weight before the next step (0 for the last step). */
  bakeSeconds: number;
  functionVersion: string;
  routingConfig: AliasRouting;
}

export interface TrafficPlan {
  config: string;
  totalSeconds: number;
  steps: PlanStep[];
}

/** Routing for `weight` percent on `target`: weights are fractions in (0, 1) (Lambda AliasRoutingConfiguration). */
export function aliasStateFor(weight: number, current: string, target: string): { functionVersion: string; routingConfig: AliasRouting } {
  if (weight >= 100) return { functionVersion: target, routingConfig: { AdditionalVersionWeights: {} } };
  if (weight <= 0) return { functionVersion: current, routingConfig: { AdditionalVersionWeights: {} } };
  return { functionVersion: current, routingConfig: { AdditionalVersionWeights: { [target]: weight / 100 } } };
}

export function buildTrafficPlan(schedule: ScheduleLike, currentVersion: string, targetVersion: string): TrafficPlan {
  const steps = schedule.steps.map((s, i) => {
    const next = schedule.steps[i + 1];
    return {
      index: i,
      atSeconds: s.atSeconds,
      weight: s.weight,
      bakeSeconds: next ? next.atSeconds - s.atSeconds : 0,
      ...aliasStateFor(s.weight, currentVersion, targetVersion),
    };
  });
  return { config: schedule.config, totalSeconds: schedule.totalSeconds, steps };
}

/** Percent on the target version for an alias as Lambda reports it. */
export function weightOnTarget(alias: { functionVersion: string; weights: Record<string, number> }, target: string): number {
  if (alias.functionVersion === target) return 100;
  return Math.round((alias.weights[target] ?? 0) * 100);
}
