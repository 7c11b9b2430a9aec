import { describe, expect, it } from "vitest";
import { createHandler as janitor } from "../../../functions/handlers/janitor.js";
import type { TaskSetState } from "../../../functions/ports/ecs-service.js";
import { type FakeWorld, fakeWorld } from "../../support/fakes/index.js";
import type { FakeEcsService } from "../../support/fakes/ecs-service.js";
import type { FakeLoadBalancer } from "../../support/fakes/load-balancer.js";
import { BLUE, GREEN, LISTENER, RULE, TEST_LISTENER } from "./fixtures.js";

/**
 * The janitor for an ECS deployment whose execution died mid-deployment (services/ecs/janitor.ts): it puts the
 * routes back on blue, deletes the replacement task set, releases the route locks and emits the terminal event
 * with the ECS fields; it leaves alone what is not ours to restore (a route another writer changed, a
 * replacement that cleanup already made PRIMARY) and says why.
 */
const ID = "d-ECSJAN001";
const EXEC = `arn:aws:states:us-east-1:123456789012:execution:stepdeploy-test-deploy-ecs:${ID}`;
const SERVICE_ARN = "arn:aws:ecs:us-east-1:123456789012:service/prod/web";
const TD = (rev: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${rev}`;
const dead = (status: string) => ({ detail: { executionArn: EXEC, name: ID, status }, region: "us-east-1" });
const route = (blue: number, green: number) => [
  { targetGroupArn: BLUE, weight: blue },
  { targetGroupArn: GREEN, weight: green },
];

const taskSet = (id: string, status: string, taskDefinition: string, targetGroup: string, externalId?: string): TaskSetState => ({
  id,
  arn: `${SERVICE_ARN}/task-set/${id}`,
  status,
  taskDefinition,
  ...(externalId ? { externalId } : {}),
  targetGroupArns: [targetGroup],
  computedDesiredCount: 2,
  runningCount: 2,
  pendingCount: 0,
  stabilityStatus: "STEADY_STATE",
  scale: 100,
});

interface EcsWorld extends FakeWorld {
  ecs: FakeEcsService;
  lb: FakeLoadBalancer;
}

/**
 * A deployment of web:2 over web:1 that Start recorded as InProgress (blue/green resolved, both routes locked),
 * with the replacement installed and the routes where the execution left them.
 */
async function inProgress(opts: { prod: [number, number]; test: [number, number]; replacementStatus?: string; installed?: boolean; prodRoute?: string }): Promise<EcsWorld> {
  const w = fakeWorld();
  const ecs = w.deps.ecs as FakeEcsService;
  const lb = w.deps.loadBalancer as FakeLoadBalancer;
  const installed = opts.installed ?? true;
  ecs.services.set("prod/web", {
    arn: SERVICE_ARN,
    name: "web",
    cluster: "prod",
    deploymentController: "EXTERNAL",
    desiredCount: 2,
    taskSets: [taskSet("ecs-svc/1", "PRIMARY", TD(1), BLUE), ...(installed ? [taskSet("ecs-svc/2", opts.replacementStatus ?? "ACTIVE", TD(2), GREEN, ID)] : [])],
  });
  const prodRoute = opts.prodRoute ?? LISTENER;
  lb.routes.set(prodRoute, route(...opts.prod));
  lb.routes.set(TEST_LISTENER, route(...opts.test));
  const group = { application: "web-app", deploymentGroup: "web-prod", deploymentId: ID, executionArn: EXEC };
  await w.deps.registry.createDeployment({ ...group, deploymentConfigName: "CodeDeployDefault.ECSCanary10Percent5Minutes", platform: "ECS", target: { cluster: "prod", service: "web", prodTrafficRoute: prodRoute, testTrafficRoute: TEST_LISTENER, taskDefinition: "web" }, lockKey: prodRoute });
  await w.deps.registry.acquireLock({ ...group, lockKey: prodRoute });
  await w.deps.registry.acquireLock({ ...group, lockKey: TEST_LISTENER });
  const target = { cluster: "prod", service: "web", prodTrafficRoute: prodRoute, testTrafficRoute: TEST_LISTENER, taskDefinition: TD(2), currentTaskDefinition: TD(1) };
  await w.deps.registry.markInProgress(ID, EXEC, {
    deploymentConfigName: "CodeDeployDefault.ECSCanary10Percent5Minutes",
    target: installed ? { ...target, blue: BLUE, green: GREEN, extraLockKeys: [TEST_LISTENER] } : target,
    overrideAlarms: false,
  });
  return Object.assign(w, { ecs, lb });
}

const taskSetIds = (w: EcsWorld) => w.ecs.services.get("prod/web")?.taskSets.map((t) => `${t.id} ${t.status}`);
const locks = async (w: EcsWorld) => Promise.all([LISTENER, TEST_LISTENER].map(async (lockKey) => (await w.deps.registry.getLock({ lockKey }))?.holderDeploymentId));

describe("the janitor, for an ECS deployment that died", () => {
  it.each([
    ["aborted mid-canary (prod 90/10, test on green)", "ABORTED", [90, 10], [0, 100], "Stopped", "STOP", "Deploy.ExecutionAborted"],
    ["timed out after the test traffic, before any shift", "TIMED_OUT", [100, 0], [0, 100], "Failed", "FAILURE", "Deploy.ExecutionTimedOut"],
    ["failed outside its Catch with all traffic on green", "FAILED", [0, 100], [0, 100], "Failed", "FAILURE", "Deploy.ExecutionFailed"],
  ] as const)("%s: both routes back on blue, the replacement deleted, the original PRIMARY, every lock released, one event", async (_what, status, prod, test, recorded, state, error) => {
    const w = await inProgress({ prod: [...prod], test: [...test] });
    expect(await janitor(w.deps)(dead(status))).toEqual({ deploymentId: ID, action: "restored" });
    expect([w.lb.routes.get(LISTENER), w.lb.routes.get(TEST_LISTENER)]).toEqual([route(100, 0), route(100, 0)]);
    expect(taskSetIds(w)).toEqual(["ecs-svc/1 PRIMARY"]);
    expect(w.ecs.calls).toEqual(["DeleteTaskSet ecs-svc/2"]);
    expect(await locks(w)).toEqual([undefined, undefined]);
    expect(await w.deps.registry.getDeployment(ID)).toMatchObject({ status: recorded, errorName: error, rollbackInfo: { rollbackMessage: `execution ${status.toLowerCase()}; traffic restored to the original task set by the janitor` } });
    expect(w.events.sent.map((e) => e.detail)).toEqual([
      expect.objectContaining({ state, rollback: true, error, cluster: "prod", service: "web", currentVersion: TD(1), targetVersion: TD(2), config: "CodeDeployDefault.ECSCanary10Percent5Minutes" }),
    ]);
  });

  it("a production route another writer changed (a weight split no deployment of ours writes): left alone, the replacement kept, recorded and released, the event says why", async () => {
    const w = await inProgress({ prod: [70, 20], test: [0, 100] });
    expect(await janitor(w.deps)(dead("ABORTED"))).toEqual({ deploymentId: ID, action: "closed-without-restore" });
    expect(w.lb.routes.get(LISTENER)).toEqual(route(70, 20));
    // The test route is ours, and goes back; the replacement stays, so no request reaches a target group without tasks.
    expect(w.lb.routes.get(TEST_LISTENER)).toEqual(route(100, 0));
    expect(taskSetIds(w)).toEqual(["ecs-svc/1 PRIMARY", "ecs-svc/2 ACTIVE"]);
    expect(await locks(w)).toEqual([undefined, undefined]);
    const event = w.events.sent[0]?.detail;
    expect(event).toMatchObject({ state: "STOP", rollback: false, error: "Deploy.ExecutionAborted", cluster: "prod", service: "web" });
    expect(String(event?.reason)).toMatch(new RegExp(`not rolled back: ${LISTENER.replaceAll("/", "\\/")} was not restored: .*another writer changed it`));
    expect(w.events.sent).toHaveLength(1);
  });

  it("a replacement that cleanup had already made PRIMARY: nothing moved back (the original may be gone), recorded and released", async () => {
    const w = await inProgress({ prod: [0, 100], test: [0, 100], replacementStatus: "PRIMARY" });
    expect(await janitor(w.deps)(dead("FAILED"))).toEqual({ deploymentId: ID, action: "closed-without-restore" });
    expect([w.lb.routes.get(LISTENER), w.lb.routes.get(TEST_LISTENER)]).toEqual([route(0, 100), route(0, 100)]);
    expect(w.lb.writes).toEqual([]);
    expect(w.ecs.calls).toEqual([]);
    expect(await locks(w)).toEqual([undefined, undefined]);
    expect(await w.deps.registry.getDeployment(ID)).toMatchObject({ status: "Failed", rollbackInfo: { rollbackMessage: expect.stringContaining("already PRIMARY") } });
    expect(w.events.sent.map((e) => e.detail)).toEqual([expect.objectContaining({ rollback: false, currentVersion: TD(1), targetVersion: TD(2) })]);
  });

  it("one that died before Install recorded its target groups: nothing to restore, the locks released, the event names the task definitions it knew", async () => {
    const w = await inProgress({ prod: [100, 0], test: [100, 0], installed: false });
    expect(await janitor(w.deps)(dead("ABORTED"))).toEqual({ deploymentId: ID, action: "closed-without-restore" });
    expect(w.lb.writes).toEqual([]);
    expect(w.ecs.calls).toEqual([]);
    expect((await locks(w))[0]).toBeUndefined();
    expect(await w.deps.registry.getDeployment(ID)).toMatchObject({ status: "Stopped", rollbackInfo: { rollbackMessage: expect.stringContaining("had not installed anything") } });
    expect(w.events.sent[0]?.detail).toMatchObject({ state: "STOP", rollback: false, currentVersion: TD(1), targetVersion: TD(2) });
  });

  it("a production route that is a listener rule is restored through the rule", async () => {
    const w = await inProgress({ prod: [90, 10], test: [0, 100], prodRoute: RULE });
    expect(await janitor(w.deps)(dead("ABORTED"))).toMatchObject({ action: "restored" });
    expect([w.lb.routes.get(RULE), w.lb.routes.get(TEST_LISTENER), w.lb.routes.has(LISTENER)]).toEqual([route(100, 0), route(100, 0), false]);
    expect((await w.deps.registry.getLock({ lockKey: RULE }))?.holderDeploymentId).toBeUndefined();
  });
});
