import { isTransient } from "../adapters/aws-errors.js";
import { describeAlarms } from "../adapters/cloudwatch.js";
import { evaluateAlarms } from "../domain/alarms/evaluate.js";
import { type BakeCursor, bakeChunkSeconds, continueBake, startBake } from "../domain/deployment/bake.js";
import type { LambdaDeployment } from "../domain/deployment/state.js";
import { decideControl, pendingIntent, type RecordedControl } from "../domain/control/decide.js";
import { ErrorNames, StepDeployError } from "../domain/errors.js";
import { nowMs } from "../lib/clock.js";
import { checkGates } from "../lib/gate-check.js";
import { registry } from "../lib/registry.js";
import { withDeployment } from "../lib/logger.js";

export interface CheckAlarmsEvent {
  deployment: Pick<LambdaDeployment, "deploymentId" | "alarms" | "alarmPollSeconds" | "ignorePollAlarmFailure"> &
    Partial<Pick<LambdaDeployment, "alarmMonitoring" | "metricGates">> & { ignoredAlarms?: string[] };
  /** The step being baked; absent for the check before the first hook. */
  step?: { bakeSeconds: number };
  /** Absent at the start of a step, present on every tick of its bake. */
  bake?: BakeCursor;
}

/**
 * Reads the deployment's alarms and stops it (Deploy.AlarmTriggered) if any is in ALARM, then
 * returns the next bake tick. A missing alarm is never read as OK (Deploy.AlarmNotFound).
 */
export async function handler(event: CheckAlarmsEvent): Promise<BakeCursor> {
  const { deployment } = event;
  const log = withDeployment(deployment.deploymentId);
  const chunk = bakeChunkSeconds(deployment.alarmMonitoring ?? "polling", deployment.alarmPollSeconds, (deployment.metricGates ?? []).map((g) => g.intervalSeconds));
  const next: BakeCursor = event.bake ? continueBake(event.bake, chunk) : startBake(event.step?.bakeSeconds ?? 0, chunk);
  if (event.bake) {
    // Polling mode: this is one poll of the bake; it also serves operator requests and metric gates.
    await applyRecordedControl(deployment.deploymentId, event.bake.left);
    if (deployment.metricGates?.length) next.gateFailures = await checkGates(deployment as Pick<LambdaDeployment, "deploymentId" | "metricGates">, event.bake);
  }
  if (deployment.alarms.length === 0) return next;

  let readings: Awaited<ReturnType<typeof describeAlarms>>;
  try {
    readings = await describeAlarms(deployment.alarms);
  } catch (e) {
    // ignorePollAlarmFailure: proceed when alarm state cannot be read (codedeploy-spec §5.1).
    if (deployment.ignorePollAlarmFailure) {
      log.warn("alarm state unreadable; continuing (ignorePollAlarmFailure)", { error: (e as Error).message });
      return next;
    }
    if (isTransient((e as Error & { cause?: unknown }).cause) || (e as Error).name === ErrorNames.Transient) throw e;
    throw new StepDeployError(ErrorNames.AlarmReadFailed, (e as Error).message);
  }
  const verdict = evaluateAlarms(deployment.alarms, readings, deployment.ignoredAlarms ?? []);
  if (!verdict.ok) {
    log.warn("alarm check failed", { verdict });
    throw new StepDeployError(verdict.kind === "alarm" ? ErrorNames.AlarmTriggered : ErrorNames.AlarmNotFound, verdict.reason);
  }
  return next;
}

/**
 * Polling mode has no token to answer, so operator requests are read here, at every poll:
 * stop ends the bake, promote skips ahead, pause holds with the bake time that is left.
 */
async function applyRecordedControl(deploymentId: string, leftSeconds: number): Promise<void> {
  const pending = pendingIntent((await registry().getDeployment(deploymentId))?.control as RecordedControl | undefined);
  if (!pending) return;
  const now = nowMs();
  const action = decideControl(pending.intent, { deploymentId, token: "", kind: "bake", stepIndex: 0, weight: 0, bakeEndsAtMs: now + leftSeconds * 1000, alarms: [] }, now, pending.by);
  if (action.send === "failure") throw new StepDeployError(action.error, action.cause);
  if (action.send === "success") throw new StepDeployError(PROMOTE_REQUESTED, `promoted on request by ${pending.by}`);
}

export const PROMOTE_REQUESTED = "Deploy.PromoteRequested";
