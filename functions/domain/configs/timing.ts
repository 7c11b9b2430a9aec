import type { BakeStep, Schedule, TrafficRoutingConfig, TrafficStep } from "./types.js";

/**
 * Pure schedule math. Inputs are assumed valid (see validate-*.ts); T0 is the moment traffic
 * shifting starts (AllowTraffic, after BeforeAllowTraffic succeeded: codedeploy-spec §1.3).
 *
 * Timing choices (the spec marks both UNCONFIRMED, §1.3 and §11 item 1):
 * - Linear, "model A": shifts at T0, T0+I, ..., T0+(n-1)·I with n = ceil(100/p); the 100% shift
 *   is the last one and ends the schedule (API `TimeBasedLinear.linearInterval`: "number of minutes
 *   between each incremental traffic shift"). No extra bake after the 100% shift.
 * - Linear with p not dividing 100: p, 2p, ... then 100 (the last increment is the remainder).
 */

/** Number of shifts a linear config makes: ceil(100/p), the last one reaching 100%. */
export function linearShiftCount(linearPercentage: number): number {
  return Math.ceil(100 / linearPercentage);
}

/** Minutes from the first shift to the last (the quantity CodeDeploy limits to 2880). */
export function shiftSpanMinutes(routing: TrafficRoutingConfig): number {
  switch (routing.type) {
    case "AllAtOnce":
      return 0;
    case "TimeBasedCanary":
      return routing.timeBasedCanary.canaryInterval;
    case "TimeBasedLinear":
      return (linearShiftCount(routing.timeBasedLinear.linearPercentage) - 1) * routing.timeBasedLinear.linearInterval;
  }
}

/** Minutes from the first shift to 100% for a step list: the sum of the bakes. */
export function stepListSpanMinutes(steps: readonly BakeStep[]): number {
  return steps.reduce((sum, s) => sum + s.bakeMinutes, 0);
}

export function stepsForRouting(routing: TrafficRoutingConfig): TrafficStep[] {
  switch (routing.type) {
    case "AllAtOnce":
      return [{ atSeconds: 0, weight: 100 }];
    case "TimeBasedCanary": {
      const { canaryPercentage, canaryInterval } = routing.timeBasedCanary;
      return [
        { atSeconds: 0, weight: canaryPercentage },
        { atSeconds: canaryInterval * 60, weight: 100 },
      ];
    }
    case "TimeBasedLinear": {
      const { linearPercentage, linearInterval } = routing.timeBasedLinear;
      const n = linearShiftCount(linearPercentage);
      return Array.from({ length: n }, (_, k) => ({
        atSeconds: k * linearInterval * 60,
        weight: Math.min((k + 1) * linearPercentage, 100),
      }));
    }
  }
}

/** Step list: each weight holds for its bake; 100% follows the last step's bake. */
export function stepsForBakeList(bakeSteps: readonly BakeStep[]): TrafficStep[] {
  const steps: TrafficStep[] = [];
  let at = 0;
  for (const s of bakeSteps) {
    steps.push({ atSeconds: at, weight: s.weight });
    at += s.bakeMinutes * 60;
  }
  steps.push({ atSeconds: at, weight: 100 });
  return steps;
}

export function scheduleOf(config: string, steps: TrafficStep[]): Schedule {
  return { config, steps, totalSeconds: steps.at(-1)?.atSeconds ?? 0 };
}
