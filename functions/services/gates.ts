import { ErrorNames, StepDeployError } from "../domain/errors.js";
import { evaluateGates, type MetricGate } from "../domain/gates/gate.js";
import { gateQueries, gateValues } from "../domain/gates/queries.js";
import type { Deps } from "../wiring.js";

/**
 * Evaluates the metric gates over the wait that just ended (`windowSeconds`, at least a minute). Throws
 * Deploy.MetricGateFailed with the measured values, or Deploy.PauseRequested (recorded like an operator's pause,
 * so the deployment stays paused until someone resumes it) when a gate without data is set to pause; otherwise
 * returns the consecutive-failure counts to carry on.
 */
export async function evaluateGatesNow(
  deps: Pick<Deps, "metrics" | "registry" | "clock" | "log">,
  d: { deploymentId: string; metricGates: MetricGate[] },
  windowSeconds: number,
  previous: number[],
  bakeSecondsLeft: number,
): Promise<number[]> {
  const end = deps.clock.nowMs();
  const values = gateValues(d.metricGates, await deps.metrics.getMetricWindow(gateQueries(d.metricGates), end - Math.max(60, windowSeconds) * 1000, end));
  const { outcome, readings } = evaluateGates(d.metricGates, values, previous);
  deps.log(d.deploymentId).info("metric gates evaluated", { readings, outcome: outcome.kind });
  if (outcome.kind === "fail") throw new StepDeployError(ErrorNames.MetricGateFailed, outcome.reason);
  if (outcome.kind === "pause") {
    await deps.registry.requestControl(d.deploymentId, { intent: "pause", by: `metric gate: ${outcome.reason}` });
    throw new StepDeployError(ErrorNames.PauseRequested, JSON.stringify({ remainingSeconds: bakeSecondsLeft, reason: outcome.reason }));
  }
  return readings.map((r) => r.consecutiveFailures);
}
