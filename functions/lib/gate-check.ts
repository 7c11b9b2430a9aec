import { getMetricWindow } from "../adapters/cloudwatch.js";
import type { BakeCursor } from "../domain/deployment/bake.js";
import type { LambdaDeployment } from "../domain/deployment/state.js";
import { StepDeployError } from "../domain/errors.js";
import { evaluateGates } from "../domain/gates/gate.js";
import { gateQueries, gateValues } from "../domain/gates/queries.js";
import { nowMs } from "./clock.js";
import { withDeployment } from "./logger.js";
import { registry } from "./registry.js";

export const METRIC_GATE_FAILED = "Deploy.MetricGateFailed";

/**
 * Evaluates the metric gates over the wait that just ended (`bake.sleep` seconds). Throws
 * Deploy.MetricGateFailed with the measured values, or Deploy.PauseRequested when a gate without
 * data is set to pause; otherwise returns the consecutive-failure counts to carry on.
 */
export async function checkGates(d: Pick<LambdaDeployment, "deploymentId" | "metricGates">, bake: BakeCursor): Promise<number[]> {
  if (!d.metricGates?.length) return [];
  const end = nowMs();
  const values = gateValues(d.metricGates, await getMetricWindow(gateQueries(d.metricGates), end - Math.max(60, bake.sleep) * 1000, end));
  const { outcome, readings } = evaluateGates(d.metricGates, values, bake.gateFailures ?? []);
  withDeployment(d.deploymentId).info("metric gates evaluated", { readings, outcome: outcome.kind });
  if (outcome.kind === "fail") throw new StepDeployError(METRIC_GATE_FAILED, outcome.reason);
  if (outcome.kind === "pause") {
    // Recorded like an operator's pause, so the deployment stays paused until someone resumes it.
    await registry().requestControl(d.deploymentId, { intent: "pause", by: `metric gate: ${outcome.reason}` });
    throw new StepDeployError("Deploy.PauseRequested", JSON.stringify({ remainingSeconds: Math.max(1, bake.left), reason: outcome.reason }));
  }
  return readings.map((r) => r.consecutiveFailures);
}
