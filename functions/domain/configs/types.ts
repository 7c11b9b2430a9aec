/**
 * Deployment-configuration types. The config shapes mirror CodeDeploy's API
 * (codedeploy-spec §1.5, API `TrafficRoutingConfig`); the schedule is stepdeploy's own.
 */

/** Compute platforms that shift traffic. `Server` (EC2/on-premises) exists in the API but has no traffic routing. */
export type ComputePlatform = "Lambda" | "ECS";

export interface TimeBasedCanary {
  /** Percent shifted in the first increment (integer 1-99). */
  canaryPercentage: number;
  /** Minutes between the first and the second shift (API `TimeBasedCanary.canaryInterval`). */
  canaryInterval: number;
}

export interface TimeBasedLinear {
  /** Percent shifted at the start of each increment (integer 1-99). */
  linearPercentage: number;
  /** Minutes between each incremental shift (API `TimeBasedLinear.linearInterval`). */
  linearInterval: number;
}

/** CodeDeploy's `TrafficRoutingConfig`, as a discriminated union on `type`. */
export type TrafficRoutingConfig =
  | { type: "AllAtOnce" }
  | { type: "TimeBasedCanary"; timeBasedCanary: TimeBasedCanary }
  | { type: "TimeBasedLinear"; timeBasedLinear: TimeBasedLinear };

export type TrafficRoutingType = TrafficRoutingConfig["type"];

/** One entry of stepdeploy's step-list extension: hold `weight` percent for `bakeMinutes`. */
export interface BakeStep {
  weight: number;
  bakeMinutes: number;
}

/** From `atSeconds` after traffic shifting starts (T0), `weight` percent goes to the new version. */
export interface TrafficStep {
  atSeconds: number;
  /** Integer percent on the new version from this moment on. */
  weight: number;
}

/**
 * The resolved plan. Invariants: first step at 0, weights strictly increasing,
 * last weight 100, `totalSeconds` = the last step's `atSeconds`.
 */
export interface Schedule {
  /** Predefined or custom config name; "custom" for an unnamed custom config or step list. */
  config: string;
  steps: TrafficStep[];
  totalSeconds: number;
}

/** How a schedule was built; selects the timing note shown to humans. */
export type ScheduleKind = TrafficRoutingType | "StepList";

/** Everything resolveConfig learned about a config, including the schedule. */
export interface ResolvedConfig {
  source: "predefined" | "custom" | "steps";
  kind: ScheduleKind;
  /** Known for predefined configs and when a custom config states it; otherwise undefined. */
  computePlatform: ComputePlatform | undefined;
  /** Absent for step lists. */
  trafficRoutingConfig: TrafficRoutingConfig | undefined;
  /** Present for step lists. */
  bakeSteps: BakeStep[] | undefined;
  schedule: Schedule;
}
