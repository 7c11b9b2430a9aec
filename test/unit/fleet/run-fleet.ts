import { type FleetNext, type FleetPlan, nextFleetStep } from "../../../functions/domain/fleet/index.js";

export interface FleetRun {
  outcome: "succeed" | "fail";
  code?: string;
  /** Sizes of the batches actually started. */
  batches: number[];
  attempted: number;
}

/**
 * Drives nextFleetStep the way the workflow does: instance k (in deployment order) succeeds iff `results[k]`; the
 * first `unhealthy` instances are unhealthy from an earlier deployment (they come first in that order).
 * Asserts after every decision that no batch risking a healthy instance could take the healthy count below the minimum.
 */
export function runFleet(plan: Pick<FleetPlan, "instances" | "minHealthy">, results: readonly boolean[], unhealthy = 0): FleetRun {
  let succeeded = 0;
  let failed = 0;
  const batches: number[] = [];
  for (;;) {
    const start = succeeded + failed;
    const unhealthyLeft = Math.max(0, unhealthy - start);
    const next: FleetNext = nextFleetStep({ instances: plan.instances, minHealthy: plan.minHealthy, succeeded, failed, unhealthyLeft });
    if (next.action === "succeed") return { outcome: "succeed", batches, attempted: start };
    if (next.action === "fail") return { outcome: "fail", code: next.error.code, batches, attempted: start };
    const healthyNow = succeeded + (plan.instances - start - unhealthyLeft);
    const healthyRisked = next.size - Math.min(unhealthyLeft, next.size);
    if (healthyRisked > 0 && healthyNow - healthyRisked < plan.minHealthy) throw new Error(`batch of ${next.size} breaks the minimum ${plan.minHealthy}`);
    batches.push(next.size);
    for (let k = start; k < start + next.size; k++) {
      if (results[k]) succeeded++;
      else failed++;
    }
  }
}
