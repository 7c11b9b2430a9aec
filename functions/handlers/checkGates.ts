import { type BakeCursor, bakeChunkSeconds, continueBake } from "../domain/deployment/bake.js";
import type { LambdaDeployment } from "../domain/deployment/state.js";
import { checkGates } from "../lib/gate-check.js";

export interface CheckGatesEvent {
  deployment: LambdaDeployment;
  bake: BakeCursor;
}

/** After each wait of a gated bake: evaluate the metric gates, then plan the next wait. */
export async function handler(event: CheckGatesEvent): Promise<BakeCursor> {
  const d = event.deployment;
  const gateFailures = await checkGates(d, event.bake);
  const chunk = bakeChunkSeconds(d.alarmMonitoring, d.alarmPollSeconds, d.metricGates.map((g) => g.intervalSeconds));
  return { ...continueBake(event.bake, chunk), gateFailures };
}
