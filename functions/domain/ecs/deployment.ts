import { eventResources } from "../deployment/notification.js";
import { groupId } from "../groups/id.js";
import type { AlarmReading } from "../alarms/evaluate.js";
import { startCursor, type StepCursor } from "../deployment/cursor.js";
import { buildTrafficPlan, type ScheduleLike, type TrafficPlan } from "../deployment/plan.js";
import { watchSettings } from "../deployment/prepare.js";
import type { LambdaDeployment, TerminalFields } from "../deployment/state.js";
import { ErrorNames } from "../errors.js";
import type { MetricGate } from "../gates/gate.js";
import type { ListenerWeightsTarget, Placement } from "../traffic/target.js";
import { ecsLifecycle, type EcsHooks } from "./lifecycle.js";
import type { DeployEcsInput } from "./input.js";
import { type EcsTarget, routeArn } from "./target.js";
import type { CreateTaskSetPlan } from "./task-set-plan.js";
import { forwardFor, forwardRevision } from "./weights.js";

/** The ECS half of `$.deployment`: what the ECS steps need, decided once at the start. */
export interface EcsDeploymentPart {
  target: EcsTarget;
  cluster: string;
  service: string;
  /** Target group ARNs: blue serves the PRIMARY (original) task set, green gets the replacement. */
  blue: string;
  green: string;
  originalTaskSet: string;
  originalTaskDefinition: string;
  taskDefinitionArn: string;
  createTaskSet: CreateTaskSetPlan;
  /** The routes' forward actions as read at the start: the preconditions of Install's and AllowTestTraffic's writes. */
  prodRevision: string;
  testRoute: ListenerWeightsTarget | null;
  testRevision: string | null;
  installTimeoutSeconds: number;
  /** 0: no ready wait. */
  readyWaitSeconds: number;
  readyWaitAction: "CONTINUE_DEPLOYMENT" | "STOP_DEPLOYMENT" | null;
  /** 0: no termination wait. */
  terminationWaitSeconds: number;
}

/** `$.deployment` of the deploy-ecs state machine. Shared handlers (shift, bake, pause, finalize, conclude) read the same fields as for Lambda. */
export interface EcsDeployment
  extends Pick<
    LambdaDeployment,
    | "deploymentId"
    | "application"
    | "deploymentGroup"
    | "account"
    | "region"
    | "config"
    | "alarms"
    | "ignoredAlarms"
    | "ignorePollAlarmFailure"
    | "alarmPollSeconds"
    | "alarmMonitoring"
    | "metricGates"
    | "hasGates"
    | "autoRollback"
    | "resources"
  > {
  platform: "ECS";
  /** The production route: what ShiftTraffic moves and the router is chosen by. */
  target: ListenerWeightsTarget;
  /** The lock the queue works on (the service); the routes' locks are taken beside it. */
  lockKey: string;
  extraLockKeys: string[];
  /** The task definitions (original and replacement), in the places Lambda deployments keep versions. */
  currentVersion: string;
  targetVersion: string;
  hooks: EcsHooks & { timeoutSeconds: number };
  eventDetail: Record<string, unknown>;
  /** `ready`: the READY notification at the start of the ready wait (CodeDeploy's READY state). */
  eventOutcomes: { success: TerminalFields; rollbackFailed: TerminalFields; ready: { state: "READY"; reason: null; rollback: false } };
  ecs: EcsDeploymentPart;
}

/** What Start read of the account (services/ecs/plan.ts) that the deployment keeps. */
export interface EcsStartReadings {
  blue: string;
  green: string;
  original: { id: string; taskDefinition: string };
  taskDefinitionArn: string;
  createTaskSet: CreateTaskSetPlan;
  prodRevision: string;
  testRevision?: string;
}

export interface PreparedEcsDeployment {
  deployment: EcsDeployment;
  plan: TrafficPlan;
  cursor: StepCursor;
}

/**
 * `$.deployment`, the plan and the first cursor of an ECS deployment, from the checked input and what the
 * account said. Pure. The first cursor carries the production route's revision as Install leaves it
 * (`{blue: 100, green: 0}`): Install writes that before any traffic step, so the first shift's precondition
 * is known now.
 */
export function prepareEcsDeployment(a: {
  input: DeployEcsInput;
  schedule: ScheduleLike;
  metricGates: MetricGate[];
  deploymentId: string;
  where: Placement;
  lockKeys: string[];
  readings: EcsStartReadings;
  alarmReadings: AlarmReading[];
}): PreparedEcsDeployment {
  const { input, readings: r } = a;
  const t = input.target;
  const pair = { blue: r.blue, green: r.green };
  const route = (arn: string): ListenerWeightsTarget => ({ kind: "listener-weights", routeArn: arn, ...pair, config: a.schedule.config });
  const prod = route(routeArn(t.prodTrafficRoute));
  const ignoredAlarms = input.ignoreAlarmsFiringAtStart ? a.alarmReadings.filter((x) => x.state === "ALARM").map((x) => x.name) : [];
  const lifecycle = ecsLifecycle({ hooks: input.hooks, hasTestRoute: Boolean(t.testTrafficRoute), blueGreen: input.blueGreen });
  const runs = (event: string) => lifecycle.find((s) => s.event === event)?.runs === true;
  const ready = input.blueGreen.readyWait;
  const detail = {
    application: input.application,
    deploymentGroup: input.deploymentGroup,
    deploymentId: a.deploymentId,
    // CodeDeploy's deployment group id, as Lambda deployments carry it: the groups' trigger rule matches on it.
    instanceGroupId: groupId(input.application, input.deploymentGroup),
    state: "START",
    region: a.where.region,
    config: a.schedule.config,
    cluster: t.cluster,
    service: t.service,
    currentVersion: r.original.taskDefinition,
    targetVersion: r.taskDefinitionArn,
    reason: null,
    rollback: false,
    ...(ignoredAlarms.length ? { ignoredAlarms } : {}),
  };
  const deployment: EcsDeployment = {
    deploymentId: a.deploymentId,
    application: input.application,
    deploymentGroup: input.deploymentGroup,
    platform: "ECS",
    target: prod,
    lockKey: a.lockKeys[0] as string,
    extraLockKeys: a.lockKeys.slice(1),
    account: a.where.account,
    region: a.where.region,
    currentVersion: r.original.taskDefinition,
    targetVersion: r.taskDefinitionArn,
    config: a.schedule.config,
    hooks: { ...input.hooks, timeoutSeconds: input.hookTimeoutSeconds },
    ...watchSettings(input, ignoredAlarms, a.metricGates),
    eventDetail: detail,
    resources: eventResources(prod.routeArn, a.where, input.application, input.deploymentGroup),
    eventOutcomes: {
      success: { state: "SUCCESS", reason: null, rollback: false },
      ready: { state: "READY", reason: null, rollback: false },
      rollbackFailed: {
        state: "FAILURE",
        reason: "rollback failed: the listeners could not be restored; the janitor or an operator must restore them",
        rollback: false,
        error: ErrorNames.RollbackFailed,
      },
    },
    ecs: {
      target: t,
      cluster: t.cluster,
      service: t.service,
      ...pair,
      originalTaskSet: r.original.id,
      originalTaskDefinition: r.original.taskDefinition,
      taskDefinitionArn: r.taskDefinitionArn,
      createTaskSet: r.createTaskSet,
      prodRevision: r.prodRevision,
      testRoute: t.testTrafficRoute ? route(routeArn(t.testTrafficRoute)) : null,
      testRevision: r.testRevision ?? null,
      installTimeoutSeconds: input.blueGreen.installTimeoutMinutes * 60,
      readyWaitSeconds: runs("ReadyWait") ? (ready?.waitMinutes ?? 0) * 60 : 0,
      readyWaitAction: ready?.actionOnTimeout ?? null,
      terminationWaitSeconds: input.blueGreen.terminationWaitMinutes * 60,
    },
  };
  const watcher = input.alarmMonitoring === "polling" || a.metricGates.length > 0;
  return { deployment, plan: buildTrafficPlan(a.schedule), cursor: startCursor(watcher, forwardRevision(forwardFor(pair, 0))) };
}
