import { type FleetNext, type FleetPlan, nextFleetStep } from "../../../functions/domain/fleet/index.js";

export interface FleetRun {
  outcome: "succeed" | "fail";
  code?: string;
  /** Sizes of the batches actually started. */
  batches: number[];
  attempted: number;
}

/**
 * Drives nextFleetStep the way the workflow does: instance k (in deployment order) succeeds iff `results[k]`.
 * Asserts after every decision that no batch could take the healthy count below the minimum.
 */
export function runFleet(plan: Pick<FleetPlan, "instances" | "minHealthy">, results: readonly boolean[]): FleetRun {
  let succeeded = 0;
  let failed = 0;
  const batches: number[] = [];
  for (;;) {
    const next: FleetNext = nextFleetStep({ instances: plan.instances, minHealthy: plan.minHealthy, succeeded, failed });
    if (next.action === "succeed") return { outcome: "succeed", batches, attempted: succeeded + failed };
    if (next.action === "fail") return { outcome: "fail", code: next.error.code, batches, attempted: succeeded + failed };
    if (plan.instances - failed - next.size < plan.minHealthy) throw new Error(`batch of ${next.size} breaks the minimum ${plan.minHealthy}`);
    const start = succeeded + failed;
    batches.push(next.size);
    for (let k = start; k < start + next.size; k++) {
      if (results[k]) succeeded++;
      else failed++;
    }
  }
}
