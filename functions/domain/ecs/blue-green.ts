import { ValidationErrors } from "../errors.js";

/**
 * CodeDeploy's `blueGreenDeploymentConfiguration` for ECS (codedeploy-spec §6.1), as a group or a
 * deployment gives it:
 *  - `terminationWaitMinutes` 0-2880 (API `terminationWaitTimeInMinutes`, max 2880): how long the
 *    original task set is kept after all traffic moved; a rollback during the wait is one listener change.
 *    Default 0, as the CDK's `terminationWaitTime` (CodeDeploy's console proposes 60).
 *  - `readyWait` {waitMinutes, actionOnTimeout} (API `deploymentReadyOption`): after test traffic and
 *    before production traffic, wait for `stepdeploy continue <id>` (ContinueDeployment READY_WAIT).
 *    STOP_DEPLOYMENT: not continued in time, the deployment is Stopped. CONTINUE_DEPLOYMENT: CodeDeploy
 *    reroutes at once; stepdeploy waits up to `waitMinutes` for a continue and then goes on by itself
 *    (0 minutes = CodeDeploy's behaviour). ECS allows up to 120 hours before rerouting (UG/limits).
 *  - `installTimeoutMinutes` 1-60 (ours): how long the replacement task set may take to be stable with
 *    every target healthy; CodeDeploy fails a lifecycle event after 60 minutes (UG/limits).
 */
export type ActionOnTimeout = "CONTINUE_DEPLOYMENT" | "STOP_DEPLOYMENT";

export interface ReadyWait {
  waitMinutes: number;
  actionOnTimeout: ActionOnTimeout;
}

export interface BlueGreenOptions {
  terminationWaitMinutes: number;
  readyWait?: ReadyWait;
  installTimeoutMinutes: number;
}

export const MAX_TERMINATION_WAIT_MINUTES = 2880;
export const MAX_READY_WAIT_MINUTES = 120 * 60;
export const MAX_INSTALL_TIMEOUT_MINUTES = 60;
export const DEFAULT_BLUE_GREEN: BlueGreenOptions = { terminationWaitMinutes: 0, installTimeoutMinutes: MAX_INSTALL_TIMEOUT_MINUTES };

type Problems = { field: string; reason: string }[];

function wholeNumber(v: unknown, field: string, min: number, max: number, problems: Problems): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    problems.push({ field, reason: `must be a whole number of minutes from ${min} to ${max}, got ${JSON.stringify(v)}` });
    return undefined;
  }
  return v;
}

/** Validates blue/green options; what is not given comes from `base` (the group's, or the defaults). */
export function parseBlueGreen(raw: unknown, field = "blueGreen", base: BlueGreenOptions = DEFAULT_BLUE_GREEN): BlueGreenOptions {
  if (raw === undefined || raw === null) return base;
  const problems: Problems = [];
  if (typeof raw !== "object" || Array.isArray(raw)) throw new ValidationErrors([{ field, reason: "must be an object with terminationWaitMinutes, readyWait, installTimeoutMinutes" }]);
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!["terminationWaitMinutes", "readyWait", "installTimeoutMinutes"].includes(k)) problems.push({ field: `${field}.${k}`, reason: "unknown field; expected terminationWaitMinutes, readyWait, installTimeoutMinutes" });
  const termination = wholeNumber(o.terminationWaitMinutes, `${field}.terminationWaitMinutes`, 0, MAX_TERMINATION_WAIT_MINUTES, problems);
  const install = wholeNumber(o.installTimeoutMinutes, `${field}.installTimeoutMinutes`, 1, MAX_INSTALL_TIMEOUT_MINUTES, problems);
  let readyWait = base.readyWait;
  if (o.readyWait === null) readyWait = undefined;
  else if (o.readyWait !== undefined) readyWait = parseReadyWait(o.readyWait, `${field}.readyWait`, problems);
  if (problems.length) throw new ValidationErrors(problems);
  return {
    terminationWaitMinutes: termination ?? base.terminationWaitMinutes,
    installTimeoutMinutes: install ?? base.installTimeoutMinutes,
    ...(readyWait ? { readyWait } : {}),
  };
}

function parseReadyWait(raw: unknown, field: string, problems: Problems): ReadyWait | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    problems.push({ field, reason: 'must be {"waitMinutes": n, "actionOnTimeout": "CONTINUE_DEPLOYMENT" | "STOP_DEPLOYMENT"}' });
    return undefined;
  }
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!["waitMinutes", "actionOnTimeout"].includes(k)) problems.push({ field: `${field}.${k}`, reason: "unknown field; expected waitMinutes, actionOnTimeout" });
  const action = o.actionOnTimeout;
  if (action !== "CONTINUE_DEPLOYMENT" && action !== "STOP_DEPLOYMENT") {
    problems.push({ field: `${field}.actionOnTimeout`, reason: `must be CONTINUE_DEPLOYMENT or STOP_DEPLOYMENT, got ${JSON.stringify(action)}` });
  }
  const min = action === "STOP_DEPLOYMENT" ? 1 : 0;
  const waitMinutes = wholeNumber(o.waitMinutes ?? (action === "CONTINUE_DEPLOYMENT" ? 0 : undefined), `${field}.waitMinutes`, min, MAX_READY_WAIT_MINUTES, problems);
  if (waitMinutes === undefined && o.waitMinutes === undefined) problems.push({ field: `${field}.waitMinutes`, reason: "is required with STOP_DEPLOYMENT: how long to wait for `stepdeploy continue`" });
  if (waitMinutes === undefined || (action !== "CONTINUE_DEPLOYMENT" && action !== "STOP_DEPLOYMENT")) return undefined;
  return { waitMinutes, actionOnTimeout: action };
}
