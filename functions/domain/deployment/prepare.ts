import type { AlarmReading } from "../alarms/evaluate.js";
import { evaluateAlarms } from "../alarms/evaluate.js";
import { ErrorNames, ValidationError } from "../errors.js";
import type { MetricGate } from "../gates/gate.js";
import { groupId } from "../groups/id.js";
import type { LambdaAliasTarget, Placement } from "../traffic/target.js";
import { startCursor } from "./cursor.js";
import type { DeployLambdaInput } from "./input.js";
import { eventResources, startEventDetail } from "./notification.js";
import { buildTrafficPlan, type ScheduleLike } from "./plan.js";
import type { PreparedDeployment } from "./state.js";

/** The alias as the start read it (GetAlias), with its revision. */
export interface AliasAtStart {
  aliasArn: string;
  functionVersion: string;
  weights: Record<string, number>;
  revisionId: string;
}

/**
 * What the alias must be for a deployment to start, as CodeDeploy checks before it starts: not split by a
 * half-finished deployment, on `currentVersion` when the input names it, not already on the target, and the
 * alias ARN Lambda returns is the lock that was taken (the same function, however it was named).
 */
export function checkAliasAtStart(input: Pick<DeployLambdaInput, "alias" | "currentVersion" | "targetVersion">, alias: AliasAtStart, lockKey: string): void {
  if (alias.aliasArn !== lockKey) {
    throw new ValidationError("functionName", `resolves to ${alias.aliasArn}, not ${lockKey}; name the function in this stack's account and region`);
  }
  if (Object.keys(alias.weights).length > 0) {
    throw new ValidationError(
      "alias",
      `${input.alias} already splits traffic ${JSON.stringify(alias.weights)}; another deployment is in progress or was left half-done. Finish or roll it back first`,
      ErrorNames.VersionMismatch,
    );
  }
  if (input.currentVersion && input.currentVersion !== alias.functionVersion) {
    throw new ValidationError("currentVersion", `is ${input.currentVersion} but alias ${input.alias} points to version ${alias.functionVersion}`, ErrorNames.VersionMismatch);
  }
  if (alias.functionVersion === input.targetVersion) throw new ValidationError("targetVersion", `alias ${input.alias} already serves version ${alias.functionVersion}`);
}

/** A listed alarm CloudWatch does not know is refused by its field (never read as OK). */
export function checkAlarmsExist(alarms: string[], readings: AlarmReading[]): void {
  const verdict = evaluateAlarms(alarms, readings);
  if (!verdict.ok && verdict.kind === "missing") {
    throw new ValidationError(`alarms[${alarms.indexOf(verdict.names[0] ?? "")}]`, verdict.reason, ErrorNames.AlarmNotFound);
  }
}

/** The alarm, gate and rollback settings every deployment carries in `$.deployment` (Lambda and ECS alike). */
export function watchSettings(input: Pick<DeployLambdaInput, "alarms" | "ignorePollAlarmFailure" | "alarmPollSeconds" | "alarmMonitoring" | "autoRollback">, ignoredAlarms: string[], metricGates: MetricGate[]) {
  return {
    alarms: input.alarms,
    ignoredAlarms,
    ignorePollAlarmFailure: input.ignorePollAlarmFailure,
    alarmPollSeconds: input.alarmPollSeconds,
    alarmMonitoring: input.alarmMonitoring,
    metricGates,
    hasGates: metricGates.length > 0,
    autoRollback: input.autoRollback,
  };
}

export interface PrepareArgs {
  input: DeployLambdaInput;
  schedule: ScheduleLike;
  metricGates: MetricGate[];
  deploymentId: string;
  where: Placement;
  lockKey: string;
  alias: AliasAtStart;
  /** Alarms in ALARM now (ignored only with ignoreAlarmsFiringAtStart). */
  readings: AlarmReading[];
}

/**
 * The deployment record the workflow carries (`$.deployment`), its plan and its first cursor, from the validated
 * input and what the account said. Pure: every read happened before (functions/services/start.ts).
 */
export function prepareDeployment(a: PrepareArgs): PreparedDeployment {
  const { input, deploymentId, alias } = a;
  const currentVersion = alias.functionVersion;
  // Hot-fix override: alarms already firing are ignored for this deployment, and said so in every event.
  const ignoredAlarms = input.ignoreAlarmsFiringAtStart ? a.readings.filter((r) => r.state === "ALARM").map((r) => r.name) : [];
  const target: LambdaAliasTarget = { kind: "lambda-alias", functionName: input.functionName, alias: input.alias, fromVersion: currentVersion, toVersion: input.targetVersion };
  const watcher = input.alarmMonitoring === "polling" || a.metricGates.length > 0;
  const deployment = {
    deploymentId,
    application: input.application,
    deploymentGroup: input.deploymentGroup,
    functionName: input.functionName,
    alias: input.alias,
    aliasArn: alias.aliasArn,
    target,
    lockKey: a.lockKey,
    account: a.where.account,
    region: a.where.region,
    currentVersion,
    targetVersion: input.targetVersion,
    config: a.schedule.config,
    hooks: input.hooks,
    ...watchSettings(input, ignoredAlarms, a.metricGates),
    resources: eventResources(alias.aliasArn, a.where, input.application, input.deploymentGroup),
    eventOutcomes: {
      success: { state: "SUCCESS" as const, reason: null, rollback: false },
      rollbackFailed: {
        state: "FAILURE" as const,
        reason: "rollback failed: the alias could not be restored; the janitor or an operator must restore it",
        rollback: false,
        error: ErrorNames.RollbackFailed,
      },
    },
    eventDetail: startEventDetail({
      application: input.application,
      deploymentGroup: input.deploymentGroup,
      deploymentId,
      instanceGroupId: groupId(input.application, input.deploymentGroup),
      region: a.where.region,
      config: a.schedule.config,
      functionName: input.functionName,
      alias: input.alias,
      currentVersion,
      targetVersion: input.targetVersion,
      ...(ignoredAlarms.length ? { ignoredAlarms } : {}),
    }),
  };
  return { deployment, plan: buildTrafficPlan(a.schedule), cursor: startCursor(watcher, alias.revisionId) };
}
