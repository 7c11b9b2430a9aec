import type { LoadBalancerType, RegisteredTarget, TargetGroup } from "./model.js";
import { combine } from "./modes.js";

/**
 * Target health as DescribeTargetHealth reports it, derived from the simulated time `t` (states and
 * reason codes of the ELBv2 API reference, TargetHealth):
 *  - `draining` (Target.DeregistrationInProgress) for `deregistration_delay.timeout_seconds` after
 *    a deregistration, then the target is gone;
 *  - `unused` (Target.NotInUse) while no listener or rule of a load balancer forwards to the group
 *    (a 0-weight forward counts: that is why CodeDeploy leaves the idle target group in the listener);
 *  - otherwise the health checks: a new target is `initial` (Elb.InitialHealthChecking) until
 *    `interval x healthyThresholdCount` seconds of passing checks make it `healthy`, or
 *    `interval x unhealthyThresholdCount` seconds of failing ones make it `unhealthy`; a target that
 *    changes keeps its old state for the same thresholds.
 * Checks start when the target is registered, the group starts being used, or the application's
 * health changes, whichever is latest.
 */
export type TargetState = "initial" | "healthy" | "unhealthy" | "unused" | "draining";

export interface TargetHealthView {
  state: TargetState;
  reason?: string;
  description?: string;
}

export function targetHealth(tg: TargetGroup, target: RegisteredTarget, t: number, usedSince: number | undefined, lbType: LoadBalancerType | undefined): TargetHealthView | undefined {
  if (target.registeredAt > t) return undefined;
  if (target.deregisteredAt !== undefined && target.deregisteredAt <= t) {
    if (t < target.deregisteredAt + tg.deregistrationDelaySeconds) {
      return { state: "draining", reason: "Target.DeregistrationInProgress", description: "Target deregistration is in progress" };
    }
    return undefined;
  }
  if (usedSince === undefined || usedSince > t) {
    return { state: "unused", reason: "Target.NotInUse", description: "Target group is not configured to receive traffic from the load balancer" };
  }
  const { mode, since } = combine(tg.health.at(t), target.app?.at(t));
  const checksFrom = Math.max(target.registeredAt, usedSince);
  const start = Math.max(checksFrom, since);
  // a target whose checks began after the application last changed has no earlier state to keep
  const fresh = since <= checksFrom;
  const unhealthy: TargetHealthView =
    lbType === "network"
      ? { state: "unhealthy", reason: "Target.FailedHealthChecks", description: "Health checks failed" }
      : { state: "unhealthy", reason: "Target.ResponseCodeMismatch", description: "Health checks failed with these codes: [502]" };
  const initial: TargetHealthView = { state: "initial", reason: "Elb.InitialHealthChecking", description: "Initial health checks in progress" };
  const { intervalSeconds, healthyThresholdCount, unhealthyThresholdCount } = tg.healthCheck;
  if (mode === "healthy") {
    if (t >= start + intervalSeconds * healthyThresholdCount) return { state: "healthy" };
    return fresh ? initial : unhealthy;
  }
  if (t >= start + intervalSeconds * unhealthyThresholdCount) return unhealthy;
  return fresh ? initial : { state: "healthy" };
}
