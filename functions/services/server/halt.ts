import { pendingIntent } from "../../domain/control/waiting.js";
import { ErrorNames, StepDeployError } from "../../domain/errors.js";
import type { ServerRun } from "../../domain/fleet/run.js";
import type { Deps } from "../../wiring.js";
import { checkAlarms } from "../alarms.js";

export type HaltDeps = Pick<Deps, "registry" | "alarms" | "log">;

/** What a server deployment watches between its steps: the deployment (for an operator's stop) and its alarms. */
export type ServerWatch = Pick<ServerRun, "deploymentId" | "alarms" | "ignorePollAlarmFailure">;

/** Why a server deployment must go no further. */
export interface Halt {
  error: string;
  cause: string;
}

/**
 * Why no further batch may go out, or a running batch must be cancelled: a stop request recorded in the registry
 * (`stepdeploy stop`: Deploy.Stopped, with or without rollback), else an alarm in ALARM (Deploy.AlarmTriggered; an
 * unreadable alarm is Deploy.AlarmReadFailed unless ignorePollAlarmFailure). `when` says where it was seen, for the
 * cause ("after the current batch", "during batch 3").
 */
export async function haltReason(deps: HaltDeps, watch: ServerWatch, when: string): Promise<Halt | undefined> {
  const pending = pendingIntent((await deps.registry.getDeployment(watch.deploymentId))?.control);
  if (pending?.intent === "stop") return { error: ErrorNames.Stopped, cause: `stopped by ${pending.by} ${when}` };
  if (pending?.intent === "stop-no-rollback") return { error: ErrorNames.StoppedWithoutRollback, cause: `stopped by ${pending.by} ${when}, without rollback` };
  try {
    await checkAlarms(deps, watch);
  } catch (e) {
    if (!(e instanceof StepDeployError) || e.name === ErrorNames.Transient) throw e;
    return { error: e.name, cause: `${e.message} (${when})` };
  }
  return undefined;
}
