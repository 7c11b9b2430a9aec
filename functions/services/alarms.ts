import { isTransient } from "../adapters/aws-errors.js";
import { evaluateAlarms } from "../domain/alarms/evaluate.js";
import { ErrorNames, StepDeployError } from "../domain/errors.js";
import type { Deps } from "../wiring.js";

/** The alarm settings of a deployment. */
export interface WatchedAlarms {
  deploymentId: string;
  alarms: string[];
  ignoredAlarms?: string[];
  ignorePollAlarmFailure?: boolean;
}

/**
 * Reads the deployment's alarms and stops it if one is in ALARM (Deploy.AlarmTriggered) or gone
 * (Deploy.AlarmNotFound: a missing alarm is never read as OK). An unreadable state is Deploy.Transient when a
 * retry may help, else Deploy.AlarmReadFailed; with ignorePollAlarmFailure it is logged and the deployment goes
 * on (codedeploy-spec §5.1).
 */
export async function checkAlarms(deps: Pick<Deps, "alarms" | "log">, d: WatchedAlarms): Promise<void> {
  if (d.alarms.length === 0) return;
  let readings: Awaited<ReturnType<Deps["alarms"]["describeAlarms"]>>;
  try {
    readings = await deps.alarms.describeAlarms(d.alarms);
  } catch (e) {
    if (d.ignorePollAlarmFailure) {
      deps.log(d.deploymentId).warn("alarm state unreadable; continuing (ignorePollAlarmFailure)", { error: (e as Error).message });
      return;
    }
    if ((e as Error).name === ErrorNames.Transient || isTransient((e as Error & { cause?: unknown }).cause)) throw e;
    throw new StepDeployError(ErrorNames.AlarmReadFailed, (e as Error).message);
  }
  const verdict = evaluateAlarms(d.alarms, readings, d.ignoredAlarms ?? []);
  if (verdict.ok) return;
  deps.log(d.deploymentId).warn("alarm check failed", { verdict });
  throw new StepDeployError(verdict.kind === "alarm" ? ErrorNames.AlarmTriggered : ErrorNames.AlarmNotFound, verdict.reason);
}
