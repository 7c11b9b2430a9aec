import { type AlarmReading, evaluateAlarms } from "../alarms/evaluate.js";
import { ErrorNames, ValidationErrors } from "../errors.js";
import type { ReleasePlan } from "./plan.js";
import type { HookEvent } from "./targets.js";

/**
 * The account as the deployment will find it, read before any code is uploaded or published. A
 * release whose deployment would be refused (or stopped before its first shift) is refused here
 * instead, with the deployment's own error name, while nothing has changed yet:
 * the alias exists and serves one version, the appspec's CurrentVersion is that version, a given
 * TargetVersion exists, the hooks exist, the alarms exist and none is in ALARM.
 */
export interface TargetFacts {
  /** null: the alias does not exist. */
  alias: { functionVersion: string; weights: Record<string, number> } | null;
  /** Whether the plan's TargetVersion exists; undefined when the release publishes it. */
  targetVersionExists?: boolean;
  /** Hooks that do not exist. */
  missingHooks: HookEvent[];
  /** The release's alarms as CloudWatch reports them. */
  alarms: { names: string[]; readings: AlarmReading[] };
}

/** Returns the version the deployment starts from (what the alias serves), or throws a named error. */
export function checkTargetState(plan: ReleasePlan, facts: TargetFacts): { currentVersion: string } {
  const fail = (name: string, field: string, reason: string) => new ValidationErrors([{ field, reason }], name);
  const target = `${plan.functionName}:${plan.alias}`;
  if (!facts.alias) throw fail(ErrorNames.ResourceNotFound, plan.fields.alias, `alias ${target} does not exist`);
  const split = Object.keys(facts.alias.weights);
  if (split.length > 0) {
    throw fail(
      ErrorNames.VersionMismatch,
      plan.fields.alias,
      `${target} already splits traffic ${JSON.stringify(facts.alias.weights)}; another deployment is in progress or was left half-done. Finish or roll it back first`,
    );
  }
  const live = facts.alias.functionVersion;
  if (plan.currentVersion !== null && plan.currentVersion !== live) {
    throw fail(ErrorNames.VersionMismatch, plan.fields.currentVersion, `is ${plan.currentVersion} but ${target} serves version ${live}`);
  }
  if (plan.targetVersion !== null && facts.targetVersionExists === false) {
    throw fail(ErrorNames.ResourceNotFound, plan.fields.targetVersion, `version ${plan.targetVersion} of ${plan.functionName} does not exist`);
  }
  if (facts.missingHooks.length > 0) {
    throw new ValidationErrors(
      facts.missingHooks.map((event) => ({ field: plan.fields.hooks[event], reason: `hook function ${plan.hooks[event]} does not exist` })),
      ErrorNames.ResourceNotFound,
    );
  }
  const verdict = evaluateAlarms(facts.alarms.names, facts.alarms.readings);
  if (!verdict.ok) {
    const name = verdict.kind === "missing" ? ErrorNames.AlarmNotFound : ErrorNames.AlarmTriggered;
    throw fail(name, "deployment.alarms", `${verdict.reason}; nothing was uploaded or published`);
  }
  return { currentVersion: live };
}
