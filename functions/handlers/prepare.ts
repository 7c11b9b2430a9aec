import { describeAlarms } from "../adapters/cloudwatch.js";
import { getAlias, getFunctionVersion } from "../adapters/lambda.js";
import { evaluateAlarms } from "../domain/alarms/evaluate.js";
import { resolveSchedule } from "../domain/configs/index.js";
import { deploymentIdFromExecutionName, newDeploymentId } from "../domain/deployment/ids.js";
import { parseDeployLambdaInput } from "../domain/deployment/input.js";
import { startEventDetail } from "../domain/deployment/notification.js";
import { aliasStateFor, buildTrafficPlan } from "../domain/deployment/plan.js";
import type { PreparedDeployment } from "../domain/deployment/state.js";
import { ErrorNames, type StepDeployError, ValidationError } from "../domain/errors.js";
import { parseMetricGates } from "../domain/gates/gate.js";
import { withDeployment } from "../lib/logger.js";

export interface PrepareEvent {
  input: unknown;
  executionName?: string;
}

/**
 * Validates the deployment input against the input rules and against the account as CodeDeploy
 * does before it starts: the alias, both versions, the hook functions and the alarms must exist,
 * and currentVersion must be what the alias really serves.
 */
export async function handler(event: PrepareEvent): Promise<PreparedDeployment> {
  const input = parseDeployLambdaInput(event.input);
  const schedule = resolveSchedule(input.deploymentConfig);
  const metricGates = parseMetricGates(input.metricGates, input);
  const deploymentId = input.deploymentId ?? deploymentIdFromExecutionName(event.executionName) ?? newDeploymentId();
  const log = withDeployment(deploymentId);

  const alias = await getAlias(input.functionName, input.alias).catch((e: StepDeployError) => {
    if (e.name === ErrorNames.ResourceNotFound) throw new ValidationError("alias", `${input.functionName}:${input.alias} does not exist (${e.message})`, ErrorNames.ResourceNotFound);
    throw e;
  });
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
  const currentVersion = alias.functionVersion;
  if (currentVersion === input.targetVersion) {
    throw new ValidationError("targetVersion", `alias ${input.alias} already serves version ${currentVersion}`);
  }
  await getFunctionVersion(input.functionName, input.targetVersion).catch((e: StepDeployError) => {
    if (e.name === ErrorNames.ResourceNotFound) throw new ValidationError("targetVersion", `version ${input.targetVersion} of ${input.functionName} does not exist`, ErrorNames.ResourceNotFound);
    throw e;
  });
  for (const key of ["beforeAllowTraffic", "afterAllowTraffic"] as const) {
    const hook = input.hooks[key];
    if (!hook) continue;
    await getFunctionVersion(hook).catch((e: StepDeployError) => {
      if (e.name === ErrorNames.ResourceNotFound) throw new ValidationError(`hooks.${key}`, `hook function ${hook} does not exist`, ErrorNames.ResourceNotFound);
      throw e;
    });
  }
  const readings = await describeAlarms(input.alarms);
  const verdict = evaluateAlarms(input.alarms, readings);
  if (!verdict.ok && verdict.kind === "missing") {
    const index = input.alarms.indexOf(verdict.names[0] ?? "");
    throw new ValidationError(`alarms[${index}]`, verdict.reason, ErrorNames.AlarmNotFound);
  }

  // Hot-fix override: alarms already firing are ignored for this deployment, and said so in every event.
  const ignoredAlarms = input.ignoreAlarmsFiringAtStart ? readings.filter((r) => r.state === "ALARM").map((r) => r.name) : [];
  if (ignoredAlarms.length) log.warn("ignoring alarms already in ALARM (ignoreAlarmsFiringAtStart)", { ignoredAlarms });
  const region = alias.aliasArn.split(":")[3] ?? process.env.AWS_REGION ?? "";
  const deployment = {
    deploymentId,
    application: input.application,
    deploymentGroup: input.deploymentGroup,
    functionName: input.functionName,
    alias: input.alias,
    aliasArn: alias.aliasArn,
    region,
    currentVersion,
    targetVersion: input.targetVersion,
    config: schedule.config,
    hooks: input.hooks,
    alarms: input.alarms,
    ignoredAlarms,
    ignorePollAlarmFailure: input.ignorePollAlarmFailure,
    alarmPollSeconds: input.alarmPollSeconds,
    alarmMonitoring: input.alarmMonitoring,
    metricGates,
    hasGates: metricGates.length > 0,
    autoRollback: input.autoRollback,
    resources: [alias.aliasArn],
    rollbackTo: aliasStateFor(0, currentVersion, input.targetVersion),
    promoteTo: aliasStateFor(100, currentVersion, input.targetVersion),
    eventOutcomes: {
      success: { state: "SUCCESS" as const, reason: null, rollback: false },
      rollbackFailed: {
        state: "FAILURE" as const,
        reason: "rollback failed: the alias could not be restored; the janitor or an operator must restore it",
        rollback: false,
        error: "Deploy.RollbackFailed",
      },
    },
    eventDetail: startEventDetail({
      application: input.application,
      deploymentGroup: input.deploymentGroup,
      deploymentId,
      region,
      config: schedule.config,
      functionName: input.functionName,
      alias: input.alias,
      currentVersion,
      targetVersion: input.targetVersion,
      ...(ignoredAlarms.length ? { ignoredAlarms } : {}),
    }),
  };
  const plan = buildTrafficPlan(schedule, currentVersion, input.targetVersion);
  log.info("deployment prepared", { config: plan.config, steps: plan.steps.map((s) => [s.atSeconds, s.weight]) });
  return { deployment, plan };
}
