import { checkAlarmsExist } from "../../domain/deployment/prepare.js";
import { deploymentIdFromExecutionName, newDeploymentId } from "../../domain/deployment/ids.js";
import { type PreparedEcsDeployment, prepareEcsDeployment } from "../../domain/ecs/deployment.js";
import { resolveEcsConfig } from "../../domain/ecs/configs.js";
import { type DeployEcsInput, parseDeployEcsInput } from "../../domain/ecs/input.js";
import { ECS_HOOK_EVENTS } from "../../domain/ecs/lifecycle.js";
import { ecsLockKeys, routeArn } from "../../domain/ecs/target.js";
import { ErrorNames, ValidationError, ValidationErrors } from "../../domain/errors.js";
import { parseMetricGates } from "../../domain/gates/gate.js";
import { hookProblems } from "../../domain/hooks/policy.js";
import { placementOfArn } from "../../domain/traffic/target.js";
import type { Deps } from "../../wiring.js";
import { expandEcsGroupDeployment } from "../group-deployment.js";
import { recordCreated, type StartDeps, type StartEvent, waitInLine } from "../start.js";
import { planEcsDeployment } from "./plan.js";

export type EcsStartDeps = StartDeps & Pick<Deps, "loadBalancer" | "ecs">;

function check(deps: Pick<Deps, "config">, event: StartEvent) {
  const input = parseDeployEcsInput(event.input);
  const schedule = resolveEcsConfig(input.deploymentConfig).schedule;
  const gates = Array.isArray(input.metricGates) ? (input.metricGates as Record<string, unknown>[]) : [];
  const lambdaGate = gates.findIndex((g) => g && typeof g === "object" && "lambdaErrorRatePercent" in g);
  if (lambdaGate >= 0) throw new ValidationError(`metricGates[${lambdaGate}].lambdaErrorRatePercent`, "measures a Lambda version; an ECS deployment's gates use metric, ratio or expression");
  const metricGates = parseMetricGates(input.metricGates, { functionName: "", alias: "", targetVersion: "" });
  const where = placementOfArn(event.executionArn);
  const keys = Object.fromEntries(ECS_HOOK_EVENTS.map((e) => [`${e[0]?.toLowerCase()}${e.slice(1)}`, input.hooks[e] ?? null]));
  const problems = hookProblems(keys, { where, pattern: deps.config.hookFunctionPattern }, Object.keys(keys));
  if (problems.length) throw new ValidationErrors(problems);
  const deploymentId = input.deploymentId ?? deploymentIdFromExecutionName(event.executionName) ?? newDeploymentId();
  const lockKeys = ecsLockKeys(input.target);
  return { input, schedule, metricGates, deploymentId, where, lockKeys, lockKey: lockKeys[0] as string };
}
type Checked = ReturnType<typeof check>;

/**
 * The first task of an ECS deployment, the same steps as a Lambda deployment's Start (services/start.ts): check
 * the input, record it, take the service's lock (or wait in its queue), check the account, mark it InProgress and
 * answer the task's own token with the prepared deployment. The routes' locks (`elbv2:<listener or rule>`) are
 * taken beside the service's once the account check passed: a route busy with another deployment fails fast
 * (Deploy.ConflictingDeployment) and CloseUnstarted hands the service's lock on.
 */
export async function startEcsDeployment(deps: EcsStartDeps, event: StartEvent): Promise<{ waiting: boolean }> {
  // An ECS group plus a revision (docs/groups.md) becomes the full input first; the full input passes as it is.
  const c = check(deps, { ...event, input: await expandEcsGroupDeployment(deps, event.input) });
  const { input, deploymentId, lockKey } = c;
  await recordCreated(deps, { ...c, config: c.schedule.config, platform: "ECS", target: recordedTarget(input) }, event.executionArn);
  const request = { lockKey, application: input.application, deploymentGroup: input.deploymentGroup, deploymentId, executionArn: event.executionArn };
  const holds = input.queue ? (await deps.registry.acquireOrEnqueue(request)).acquired : Boolean(await deps.registry.acquireLock(request));
  if (!holds && !(await waitInLine(deps, c, event))) return { waiting: true };
  const prepared = await prepareAgainstAccount(deps, c);
  await takeRouteLocks(deps, c, event.executionArn);
  const d = prepared.deployment;
  await deps.registry.markInProgress(deploymentId, event.executionArn, { deploymentConfigName: d.config, target: recordedTarget(input, d), overrideAlarms: d.ignoredAlarms.length > 0 });
  deps.log(deploymentId).info("started", { lockKeys: c.lockKeys, config: d.config, blue: d.ecs.blue, green: d.ecs.green, taskDefinition: d.targetVersion });
  // `signal: null`, `install: null`: no wait has ended and nothing is installed yet (later states read both paths).
  await deps.stepFunctions.sendTaskSuccess(event.taskToken, { ...prepared, signal: null, install: null });
  return { waiting: false };
}

/** What the registry keeps of the target: enough for `status` and for the janitor to put the routes back. */
function recordedTarget(input: DeployEcsInput, d?: PreparedEcsDeployment["deployment"]) {
  const t = input.target;
  return {
    cluster: t.cluster,
    service: t.service,
    prodTrafficRoute: routeArn(t.prodTrafficRoute),
    ...(t.testTrafficRoute ? { testTrafficRoute: routeArn(t.testTrafficRoute) } : {}),
    taskDefinition: d?.targetVersion ?? input.revision.taskDefinition,
    ...(d ? { currentTaskDefinition: d.currentVersion, blue: d.ecs.blue, green: d.ecs.green, extraLockKeys: d.extraLockKeys } : {}),
  };
}

/** Reads only: the service, routes and task definition (services/ecs/plan.ts), the hook functions and the alarms. */
async function prepareAgainstAccount(deps: EcsStartDeps, c: Checked): Promise<PreparedEcsDeployment> {
  const { input } = c;
  const plan = await planEcsDeployment(deps, { deploymentId: c.deploymentId, target: input.target, revision: input.revision });
  for (const event of ECS_HOOK_EVENTS) {
    const hook = input.hooks[event];
    if (hook) await deps.lambda.getFunctionVersion(hook).catch(() => {
      throw new ValidationError(`hooks.${event[0]?.toLowerCase()}${event.slice(1)}`, `hook function ${hook} does not exist`, ErrorNames.ResourceNotFound);
    });
  }
  const alarmReadings = await deps.alarms.describeAlarms(input.alarms);
  checkAlarmsExist(input.alarms, alarmReadings);
  return prepareEcsDeployment({
    input,
    schedule: c.schedule,
    metricGates: c.metricGates,
    deploymentId: c.deploymentId,
    where: c.where,
    lockKeys: c.lockKeys,
    readings: { ...plan, original: { id: plan.original.id, taskDefinition: plan.original.taskDefinition } },
    alarmReadings,
  });
}

/** The routes' locks, fail fast; on a busy route the ones taken here are given back. */
async function takeRouteLocks(deps: Pick<Deps, "registry">, c: Checked, executionArn: string): Promise<void> {
  const taken: string[] = [];
  try {
    for (const lockKey of c.lockKeys.slice(1)) {
      await deps.registry.acquireLock({ lockKey, application: c.input.application, deploymentGroup: c.input.deploymentGroup, deploymentId: c.deploymentId, executionArn });
      taken.push(lockKey);
    }
  } catch (e) {
    for (const lockKey of taken) await deps.registry.release({ lockKey }, c.deploymentId);
    throw e;
  }
}
