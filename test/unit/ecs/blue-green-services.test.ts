import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEcsAdapter } from "../../../functions/adapters/ecs.js";
import { createElbv2Adapter } from "../../../functions/adapters/elbv2.js";
import { type EcsTarget, parseEcsTarget, readiness } from "../../../functions/domain/ecs/index.js";
import { promoteAndRemoveOriginal } from "../../../functions/services/ecs/cleanup.js";
import { installReplacement } from "../../../functions/services/ecs/install.js";
import { observeReplacement } from "../../../functions/services/ecs/observe.js";
import { type EcsPlan, planEcsDeployment } from "../../../functions/services/ecs/plan.js";
import { rollBackEcs } from "../../../functions/services/ecs/rollback.js";
import { listenerWeightsRouter } from "../../../functions/services/routers/listener-weights.js";
import { type EcsHarness, WEB_SETUP, ecsClients } from "../account/ecs-fixture.js";
import { type Harness, startAccount } from "../account/helpers.js";

/**
 * The ECS blue/green steps over the real adapters, against the simulated account (the SDK edge):
 * plan, install, wait for the replacement, move weights, roll back or clean up, asserting the listeners
 * and task sets after each.
 */
let h: Harness;
let x: EcsHarness;
let deps: { loadBalancer: ReturnType<typeof createElbv2Adapter>; ecs: ReturnType<typeof createEcsAdapter> };
let target: EcsTarget;

beforeEach(async () => {
  h = await startAccount(WEB_SETUP);
  x = ecsClients(h);
  deps = { loadBalancer: createElbv2Adapter(x.elbv2), ecs: createEcsAdapter(x.ecs) };
  target = parseEcsTarget({ cluster: "prod", service: "web", targetGroups: ["web-blue", "web-green"], prodTrafficRoute: { listenerArn: x.arn("web:80") }, testTrafficRoute: { listenerArn: x.arn("web:8080") }, containerName: "web", containerPort: 80 });
});
afterEach(async () => {
  x.close();
  await h.close();
});

const weights = (resource: string) => x.elbv2World.weightsAt(resource);
const taskSets = () => x.ecsWorld.taskSetsAt([...x.ecsWorld.services.values()][0] as never).map((t) => [t.taskSet.status, `${t.taskSet.taskDefinition.family}:${t.taskSet.taskDefinition.revision}`, t.stabilityStatus]);
const plan = () => planEcsDeployment(deps, { deploymentId: "d-ABCDEF123", target, revision: { taskDefinition: "web" } });

async function installed(): Promise<{ p: EcsPlan; replacement: string }> {
  const p = await plan();
  const { taskSet } = await installReplacement(deps, { target, plan: p, config: "CodeDeployDefault.ECSCanary10Percent5Minutes" });
  return { p, replacement: taskSet.id };
}

describe("plan", () => {
  it("picks blue from the PRIMARY task set, resolves the task definition family to its latest revision, and plans the replacement on green", async () => {
    const p = await plan();
    expect([p.blue, p.green, p.original.status, p.taskDefinitionArn]).toEqual([x.tg("web-blue"), x.tg("web-green"), "PRIMARY", "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2"]);
    expect(p.createTaskSet).toMatchObject({ cluster: "prod", service: "web", externalId: "d-ABCDEF123", launchType: "FARGATE", loadBalancers: [{ targetGroupArn: x.tg("web-green"), containerName: "web", containerPort: 80 }], networkConfiguration: WEB_SETUP.ecs.clusters[0]?.services[0]?.networkConfiguration });
    expect(h.account.callCounts((c) => !["DescribeTargetGroups", "DescribeServices", "DescribeListeners", "DescribeTaskDefinition"].includes(c.operation))).toEqual({});
  });

  it.each([
    ["a service without the EXTERNAL controller", () => ({ target: { ...target, service: "rolling" } }), "Deploy.InvalidInput", "uses the ECS deployment controller"],
    ["a task definition that does not exist", () => ({ revision: { taskDefinition: "web:9" } }), "Deploy.ResourceNotFound", "Unable to describe task definition"],
    ["a container the task definition lacks", () => ({ revision: { taskDefinition: "web:2", containerName: "api" } }), "Deploy.InvalidInput", "has no container api"],
    ["a listener that does not exist", () => ({ target: { ...target, prodTrafficRoute: { listenerArn: `${x.arn("web:80").slice(0, -1)}0` } } }), "Deploy.ResourceNotFound", "One or more listeners not found"],
    ["a target group that does not exist", () => ({ target: { ...target, targetGroups: ["web-blue", "web-purple"] as [string, string] } }), "Deploy.ResourceNotFound", "web-purple"],
  ])("refuses %s, changing nothing", async (_what, over, name, message) => {
    const o = over() as { target?: EcsTarget; revision?: { taskDefinition: string; containerName?: string } };
    const e = await planEcsDeployment(deps, { deploymentId: "d-1", target: o.target ?? target, revision: o.revision ?? { taskDefinition: "web" } }).catch((err: Error) => err);
    expect([(e as Error).name, (e as Error).message]).toEqual([name, expect.stringContaining(message)]);
    expect(h.account.callCounts((c) => c.operation.startsWith("Modify") || c.operation.endsWith("TaskSet"))).toEqual({});
  });

  it("refuses a service with a task set left by an unfinished deployment (Deploy.TargetNotReady)", async () => {
    await installed();
    const e = await plan().catch((err: Error) => err);
    expect((e as Error).name).toBe("Deploy.TargetNotReady");
    expect((e as Error).message).toContain("ACTIVE arn:aws:ecs:us-east-1:123456789012:task-definition/web:2");
  });
});

describe("install and the replacement's readiness", () => {
  it("creates the replacement on green at 100%; it is ready once stable with every target healthy", async () => {
    const { p, replacement } = await installed();
    expect(weights("web:80")).toEqual({ "web-blue": 100, "web-green": 0 });
    expect(taskSets()).toEqual([
      ["PRIMARY", "web:1", "STEADY_STATE"],
      ["ACTIVE", "web:2", "STABILIZING"],
    ]);
    const at = async (t: number) => {
      h.clock.advance(t - h.clock.elapsedSeconds());
      return readiness(await observeReplacement(deps, { cluster: "prod", service: "web", taskSetId: replacement, green: p.green }), t, 600);
    };
    expect(await at(15)).toMatchObject({ ready: false, why: "0/2 tasks running, 2 pending, STABILIZING; targets: no targets" });
    expect(await at(25)).toMatchObject({ ready: false, why: "2/2 tasks running, 0 pending, STABILIZING; targets: 2 initial" });
    expect(await at(30)).toEqual({ ready: true });
  });

  it("is safe to retry: a second install finds the route as it left it and the same task set", async () => {
    const p = await plan();
    const first = await installReplacement(deps, { target, plan: p, config: "c" });
    const again = await installReplacement(deps, { target, plan: p, config: "c" });
    expect(again.taskSet.id).toBe(first.taskSet.id);
    expect(taskSets()).toHaveLength(2);
  });

  it("a route changed by another writer between plan and install is not overwritten", async () => {
    const p = await plan();
    h.account.applyTimeline([{ atSeconds: 0, listener: "web:80", forward: { "web-blue": 50, "web-green": 50 } }]);
    const e = await installReplacement(deps, { target, plan: p, config: "c" }).catch((err: Error) => err);
    expect((e as Error).name).toBe("Deploy.TrafficConflict");
    expect(weights("web:80")).toEqual({ "web-blue": 50, "web-green": 50 });
    expect(taskSets()).toHaveLength(1);
  });
});

describe("moving traffic", () => {
  it("sets {blue: 100-w, green: w} and verifies it landed; refuses to bake on a weight another writer changed", async () => {
    const { p } = await installed();
    const router = listenerWeightsRouter(deps.loadBalancer);
    const prod = { kind: "listener-weights" as const, routeArn: x.arn("web:80"), blue: p.blue, green: p.green, config: "CodeDeployDefault.ECSCanary10Percent5Minutes" };
    const start = await router.read(prod);
    const ten = await router.setWeight(prod, 10, start.revision);
    expect(weights("web:80")).toEqual({ "web-blue": 90, "web-green": 10 });
    expect((await router.verify(prod, 10)).weight).toBe(10);
    h.account.applyTimeline([{ atSeconds: 0, listener: "web:80", forward: { "web-blue": 100 } }]);
    await expect(router.verify(prod, 10)).rejects.toMatchObject({ name: "Deploy.TrafficConflict", message: expect.stringContaining("does not serve 10% on green") });
    await expect(router.setWeight(prod, 100, ten.revision)).rejects.toMatchObject({ name: "Deploy.TrafficConflict" });
    expect(weights("web:80")).toEqual({ "web-blue": 100 });
  });

  it("names the config and the load balancer type when a Network Load Balancer refuses weights", async () => {
    await h.close();
    const nlb = {
      targetGroups: WEB_SETUP.targetGroups,
      loadBalancers: [{ name: "edge", type: "network", weightedTargetGroups: false, listeners: [{ port: 443, protocol: "TCP", forward: "tcp-a" }] }],
    };
    h = await startAccount(nlb);
    x = ecsClients(h);
    const router = listenerWeightsRouter(createElbv2Adapter(x.elbv2));
    const route = { kind: "listener-weights" as const, routeArn: x.arn("edge:443"), blue: x.tg("tcp-a"), green: x.tg("tcp-b"), config: "CodeDeployDefault.ECSCanary10Percent5Minutes" };
    const now = await router.read(route);
    await expect(router.setWeight(route, 10, now.revision)).rejects.toMatchObject({
      name: "Deploy.UnsupportedTrafficConfig",
      message: expect.stringContaining("CodeDeployDefault.ECSCanary10Percent5Minutes needs weighted target groups"),
    });
  });
});

describe("the end: cleanup or rollback", () => {
  it("cleanup makes the replacement primary and deletes the original, whose targets drain", async () => {
    const { p, replacement } = await installed();
    await promoteAndRemoveOriginal(deps, { cluster: "prod", service: "web", replacement, original: p.original.id });
    expect(taskSets()).toEqual([
      ["DRAINING", "web:1", "STABILIZING"],
      ["PRIMARY", "web:2", "STABILIZING"],
    ]);
    h.clock.advance(60);
    expect(taskSets()).toEqual([["PRIMARY", "web:2", "STEADY_STATE"]]);
    await promoteAndRemoveOriginal(deps, { cluster: "prod", service: "web", replacement, original: p.original.id });
  });

  it("rollback puts both routes back on blue at 100 in one call each, deletes the replacement and leaves the primary", async () => {
    const { p, replacement } = await installed();
    h.clock.advance(30);
    const router = listenerWeightsRouter(deps.loadBalancer);
    const test = { kind: "listener-weights" as const, routeArn: x.arn("web:8080"), blue: p.blue, green: p.green, config: "c" };
    const testStart = await router.read(test);
    await router.setWeight(test, 100, testStart.revision);
    const prod = { ...test, routeArn: x.arn("web:80") };
    await router.setWeight(prod, 10, (await router.read(prod)).revision);
    expect([weights("web:80"), weights("web:8080")]).toEqual([{ "web-blue": 90, "web-green": 10 }, { "web-blue": 0, "web-green": 100 }]);
    const modifies = () => h.account.callCounts((c) => c.operation === "ModifyListener");
    const before = modifies();
    const result = await rollBackEcs(deps, { target, pair: p, config: "c", prodRevision: p.prodRevision, testRevision: p.testRevision, ownWeights: [10], replacement });
    expect([result.prod.restored, result.test?.restored, result.replacementDeleted]).toEqual([true, true, true]);
    expect([weights("web:80"), weights("web:8080")]).toEqual([{ "web-blue": 100, "web-green": 0 }, { "web-blue": 100, "web-green": 0 }]);
    expect((modifies()["ELBv2.ModifyListener"] ?? 0) - (before["ELBv2.ModifyListener"] ?? 0)).toBe(2);
    expect(taskSets()).toEqual([
      ["PRIMARY", "web:1", "STEADY_STATE"],
      ["DRAINING", "web:2", "STABILIZING"],
    ]);
  });

  // Found by the whole-deployment fault injection: an execution aborted after its own rollback had put the test route
  // back in its original form (a single forward to blue) left the replacement running, because the janitor took that
  // form for another writer's.
  it.each([
    ["the original single forward to blue", { "web-blue": 1 }],
    ["blue at any weight beside green at 0", { "web-blue": 7, "web-green": 0 }],
  ])("rollback (and the janitor's, knowing no revision) counts a route already all on blue as restored: %s", async (_what, forward) => {
    const { p, replacement } = await installed();
    h.account.applyTimeline([
      { atSeconds: 0, listener: "web:80", forward },
      { atSeconds: 0, listener: "web:8080", forward },
    ]);
    const modifies = () => h.account.callCounts((c) => c.operation === "ModifyListener")["ELBv2.ModifyListener"] ?? 0;
    const before = modifies();
    const result = await rollBackEcs(deps, { target, pair: p, config: "c", prodRevision: "", testRevision: "", ownWeights: [], replacement });
    expect([result.prod.restored, result.test?.restored, result.replacementDeleted]).toEqual([true, true, true]);
    expect(modifies() - before).toBe(0);
    expect([weights("web:80"), weights("web:8080")]).toEqual([forward, forward]);
    // The replacement is deleted (gone, or DRAINING while its tasks stop); the primary is the original.
    expect(taskSets().filter((t) => t[0] !== "DRAINING")).toEqual([["PRIMARY", "web:1", "STEADY_STATE"]]);
  });

  it("rollback leaves a route another writer changed alone, and keeps the replacement serving it", async () => {
    const { p, replacement } = await installed();
    h.account.applyTimeline([{ atSeconds: 0, listener: "web:80", forward: { "web-blue": 30, "web-green": 70 } }]);
    const result = await rollBackEcs(deps, { target, pair: p, config: "c", prodRevision: p.prodRevision, testRevision: p.testRevision, ownWeights: [10, 100], replacement });
    expect([result.prod.restored, result.replacementDeleted]).toEqual([false, false]);
    expect(weights("web:80")).toEqual({ "web-blue": 30, "web-green": 70 });
    expect(taskSets().map((t) => t[0])).toEqual(["PRIMARY", "ACTIVE"]);
  });
});
