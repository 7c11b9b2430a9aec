import { checkAlarmsExist, checkAliasAtStart, prepareDeployment } from "../domain/deployment/prepare.js";
import type { PreparedDeployment } from "../domain/deployment/state.js";
import { ErrorNames, type StepDeployError, ValidationError } from "../domain/errors.js";
import type { Deps } from "../wiring.js";
import type { CheckedStart } from "./start.js";

/** A ResourceNotFound from a lookup becomes a refusal naming the input field. */
const notFoundAs = (field: string, what: string) => (e: StepDeployError) => {
  if (e.name === ErrorNames.ResourceNotFound) throw new ValidationError(field, `${what} does not exist (${e.message})`, ErrorNames.ResourceNotFound);
  throw e;
};

/**
 * Checks the account as CodeDeploy does before a deployment starts: the alias (read with its RevisionId, the
 * precondition of the first shift), the target version, the hook functions and the alarms must exist, and the
 * alias must be whole and on currentVersion. Reads only; the decisions are domain/deployment/prepare.ts.
 */
export async function prepareAgainstAccount(deps: Pick<Deps, "lambda" | "alarms" | "log">, c: CheckedStart): Promise<PreparedDeployment> {
  const { input } = c;
  const alias = await deps.lambda.getAlias(input.functionName, input.alias).catch(notFoundAs("alias", `${input.functionName}:${input.alias}`));
  checkAliasAtStart(input, alias, c.lockKey);
  await deps.lambda.getFunctionVersion(input.functionName, input.targetVersion).catch(notFoundAs("targetVersion", `version ${input.targetVersion} of ${input.functionName}`));
  for (const key of ["beforeAllowTraffic", "afterAllowTraffic"] as const) {
    const hook = input.hooks[key];
    if (hook) await deps.lambda.getFunctionVersion(hook).catch(notFoundAs(`hooks.${key}`, `hook function ${hook}`));
  }
  const readings = await deps.alarms.describeAlarms(input.alarms);
  checkAlarmsExist(input.alarms, readings);
  const prepared = prepareDeployment({ input, schedule: c.schedule, metricGates: c.metricGates, deploymentId: c.deploymentId, where: c.where, lockKey: c.lockKey, alias, readings });
  const ignored = prepared.deployment.ignoredAlarms;
  if (ignored.length) deps.log(c.deploymentId).warn("ignoring alarms already in ALARM (ignoreAlarmsFiringAtStart)", { ignoredAlarms: ignored });
  return prepared;
}
