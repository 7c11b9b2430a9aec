import { pendingIntent } from "../domain/control/waiting.js";
import { resolveSchedule, type Schedule } from "../domain/configs/index.js";
import { deploymentIdFromExecutionName, newDeploymentId } from "../domain/deployment/ids.js";
import { type DeployLambdaInput, parseDeployLambdaInput } from "../domain/deployment/input.js";
import type { PreparedDeployment } from "../domain/deployment/state.js";
import { ErrorNames, StepDeployError, ValidationErrors } from "../domain/errors.js";
import { type MetricGate, parseMetricGates } from "../domain/gates/gate.js";
import { hookProblems } from "../domain/hooks/policy.js";
import { isFinalStatus, RegistryErrorNames } from "../domain/registry/index.js";
import type { JsonMap, Platform } from "../domain/registry/types.js";
import { type LambdaAliasTarget, type Placement, placementOfArn, targetKey } from "../domain/traffic/target.js";
import type { Deps } from "../wiring.js";
import { expandGroupDeployment } from "./group-deployment.js";
import { prepareAgainstAccount } from "./prepare.js";

export interface StartEvent {
  input: unknown;
  executionName?: string;
  executionArn: string;
  /** The Start task waits on this token: answered with the prepared deployment, or by the lock's hand-over. */
  taskToken: string;
}

/** What the input says, checked before anything is recorded: the id, where it runs, the target and its lock. */
export interface CheckedStart {
  input: DeployLambdaInput;
  schedule: Schedule;
  metricGates: MetricGate[];
  deploymentId: string;
  where: Placement;
  lockKey: string;
}
type Checked = CheckedStart;

function check(deps: Pick<Deps, "config">, event: StartEvent): Checked {
  const input = parseDeployLambdaInput(event.input);
  const schedule = resolveSchedule(input.deploymentConfig);
  const metricGates = parseMetricGates(input.metricGates, input);
  const where = placementOfArn(event.executionArn);
  const problems = hookProblems(input.hooks, { functionName: input.functionName, where, pattern: deps.config.hookFunctionPattern });
  if (problems.length) throw new ValidationErrors(problems);
  const target: LambdaAliasTarget = { kind: "lambda-alias", functionName: input.functionName, alias: input.alias, fromVersion: input.currentVersion ?? "", toVersion: input.targetVersion };
  const deploymentId = input.deploymentId ?? deploymentIdFromExecutionName(event.executionName) ?? newDeploymentId();
  return { input, schedule, metricGates, deploymentId, where, lockKey: targetKey(target, where) };
}

/**
 * The first task of a deployment (a `.waitForTaskToken` task that owns the queue): checks the input, records the
 * deployment (Created), takes its traffic target's lock, checks the account as CodeDeploy does before it starts,
 * marks it InProgress and answers its own token with the prepared deployment. A busy target fails fast with
 * Deploy.ConflictingDeployment naming the holder; with `queue: true` the deployment waits in the target's FIFO
 * queue instead: the token is stored and the hand-over (or the hourly re-check) makes the task run again.
 * Whatever it refuses, the workflow's CloseUnstarted records and hands the lock on (services/close-unstarted.ts).
 */
export type StartDeps = Pick<Deps, "registry" | "callbacks" | "stepFunctions" | "lambda" | "alarms" | "bundles" | "log" | "config">;

export async function startDeployment(deps: StartDeps, event: StartEvent): Promise<{ waiting: boolean }> {
  // A group plus a revision (docs/groups.md) becomes the full input first; the full input passes as it is.
  const c = check(deps, { ...event, input: await expandGroupDeployment(deps, event.input) });
  const log = deps.log(c.deploymentId);
  const { input, deploymentId, lockKey } = c;
  const group = { application: input.application, deploymentGroup: input.deploymentGroup };
  const asGiven = { functionName: input.functionName, alias: input.alias, targetVersion: input.targetVersion, ...(input.currentVersion ? { currentVersion: input.currentVersion } : {}) };
  await recordCreated(deps, { ...c, config: c.schedule.config, platform: "Lambda", target: asGiven }, event.executionArn);
  const request = { lockKey, ...group, deploymentId, executionArn: event.executionArn };
  const holds = input.queue ? (await deps.registry.acquireOrEnqueue(request)).acquired : Boolean(await deps.registry.acquireLock(request));
  if (!holds && !(await waitInLine(deps, c, event))) return { waiting: true };
  const prepared: PreparedDeployment = await prepareAgainstAccount(deps, c);
  const d = prepared.deployment;
  const target = { functionName: d.functionName, alias: d.alias, currentVersion: d.currentVersion, targetVersion: d.targetVersion };
  await deps.registry.markInProgress(deploymentId, event.executionArn, { deploymentConfigName: d.config, target, overrideAlarms: d.ignoredAlarms.length > 0 });
  log.info("started", { lockKey, config: d.config, steps: prepared.plan.steps.map((s) => [s.atSeconds, s.weight]) });
  // `signal: null`: no wait has ended yet (ShiftTraffic reads `$.signal`).
  await deps.stepFunctions.sendTaskSuccess(event.taskToken, { ...prepared, signal: null });
  return { waiting: false };
}

/** What the Created record says: the checked start of any platform, and its target as the input gives it. */
export interface CreatedRecord {
  deploymentId: string;
  lockKey: string;
  config: string;
  input: { application: string; deploymentGroup: string; queue: boolean; description?: string };
  platform: Platform;
  target: JsonMap;
}

/** Created, with the target as the input gives it; a retry of this task finds its own record (Created or InProgress). */
export async function recordCreated(deps: Pick<Deps, "registry">, c: CreatedRecord, executionArn: string): Promise<void> {
  const { input } = c;
  try {
    await deps.registry.createDeployment({
      deploymentId: c.deploymentId,
      application: input.application,
      deploymentGroup: input.deploymentGroup,
      deploymentConfigName: c.config,
      platform: c.platform,
      target: c.target,
      executionArn,
      lockKey: c.lockKey,
      ...(input.queue ? { queued: true } : {}),
      ...(input.description ? { description: input.description } : {}),
    });
  } catch (e) {
    if ((e as Error).name !== RegistryErrorNames.DeploymentAlreadyExists) throw e;
    // This execution's own record (a retried task, or a run after a wait in line) is fine as it is.
    const existing = await deps.registry.getDeployment(c.deploymentId);
    if (existing?.executionArn !== executionArn || isFinalStatus(existing.status)) throw e;
  }
}

/**
 * Queued: stores the token, then looks at the lock once more (a hand-over before the token was stored would
 * otherwise be missed: the same store-then-check order as the alarm watches). True when the lock is ours now.
 * A stop requested while queued ends the wait (Deploy.Stopped): nothing changed yet, nothing to roll back.
 */
export async function waitInLine(deps: StartDeps, c: Pick<Checked, "deploymentId" | "lockKey"> & { input: { application: string; deploymentGroup: string } }, event: StartEvent): Promise<boolean> {
  await deps.callbacks.putWaiting({ deploymentId: c.deploymentId, token: event.taskToken, kind: "queue", stepIndex: -1, weight: 0, alarms: [] });
  const pending = pendingIntent((await deps.registry.getDeployment(c.deploymentId))?.control);
  if (pending?.intent === "stop" || pending?.intent === "stop-no-rollback") {
    await deps.callbacks.clearWaiting(c.deploymentId, []);
    throw new StepDeployError(ErrorNames.Stopped, `stopped while waiting for ${c.lockKey}${pending ? ` (requested by ${pending.by})` : ""}`);
  }
  const again = await deps.registry.acquireOrEnqueue({ lockKey: c.lockKey, application: c.input.application, deploymentGroup: c.input.deploymentGroup, deploymentId: c.deploymentId, executionArn: event.executionArn });
  if (!again.acquired) {
    deps.log(c.deploymentId).info("queued", { lockKey: c.lockKey, queuedBehind: again.queuedBehind, position: again.position });
    return false;
  }
  await deps.callbacks.clearWaiting(c.deploymentId, []);
  return true;
}
