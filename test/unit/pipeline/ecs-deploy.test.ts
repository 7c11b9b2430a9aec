import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { ecsDeadlineMs, type RolloutLook, rolloutVerdict, taskDefinitionName } from "../../../functions/domain/pipeline/execution/ecs.js";
import { createHandler as pollAction } from "../../../functions/handlers/pipeline/pollAction.js";
import { createHandler as runAction } from "../../../functions/handlers/pipeline/runAction.js";
import { zipFiles } from "../../../functions/lib/zip-files.js";
import type { DeclaredAction } from "../../../functions/services/pipeline/actions.js";
import type { PollAnswer } from "../../../functions/services/pipeline/ecs-deploy.js";
import type { FakeEcsService } from "../../support/fakes/ecs-service.js";
import { type FakeWorld, fakeWorld } from "../../support/fakes/index.js";

/**
 * The ECS deploy action on in-memory ports, called as the compiled poll loop calls it: start
 * (register the revision with the new images, UpdateService), then looks until the rollout ends.
 */
const TD1 = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1";
const action = (configuration: Record<string, string> = {}): DeclaredAction => ({ stage: "Deploy", name: "Web", actionTypeId: { category: "Deploy", owner: "AWS", provider: "ECS", version: "1" }, configuration: { ClusterName: "prod", ServiceName: "web", ...configuration }, inputArtifacts: ["Images"], outputArtifacts: [], runOrder: 1 }) as never;
const INPUT = { name: "Images", bucket: "art", key: "p/Images/x.zip" };
const enc = (t: string) => new TextEncoder().encode(t);

let w: FakeWorld;
let ecs: FakeEcsService;

async function artifact(files: Record<string, string>) {
  w.artifacts.put(INPUT.bucket, INPUT.key, await zipFiles(Object.entries(files).map(([name, text]) => ({ name, content: enc(text) }))));
}

beforeEach(() => {
  w = fakeWorld();
  ecs = w.deps.ecs as FakeEcsService;
  ecs.taskDefinitions.set(TD1, { arn: TD1, family: "web", revision: 1, body: { family: "web", cpu: "256", containerDefinitions: [{ name: "web", image: "web:v1" }, { name: "log", image: "fluent:1" }] } });
  ecs.services.set("prod/web", { arn: "arn:svc", name: "web", cluster: "prod", deploymentController: "ECS", desiredCount: 2, taskSets: [], taskDefinition: TD1, deployments: [{ id: "ecs-svc/0", status: "PRIMARY", taskDefinition: TD1, rolloutState: "COMPLETED", rolloutStateReason: "", desiredCount: 2, runningCount: 2, failedTasks: 0 }] });
});

const start = (a: DeclaredAction, deadlineMs?: number) => runAction(w.deps)({ action: a, request: { configuration: a.configuration, inputs: [INPUT], outputs: [], ...(deadlineMs !== undefined && { deadlineMs }) } }) as Promise<PollAnswer>;

describe("ECS deploy action", () => {
  it("registers web:2 with the new image (other containers and settings kept), updates the service, then succeeds when the rollout completes", async () => {
    await artifact({ "imagedefinitions.json": JSON.stringify([{ name: "web", imageUri: "web:v2" }]) });
    const first = await start(action());
    expect(first).toMatchObject({ done: false, nextPollSeconds: 15, state: { deploymentId: "ecs-svc/2" } });
    expect(ecs.calls).toEqual(["UpdateService arn:aws:ecs:us-east-1:123456789012:task-definition/web:2"]);
    const registered = [...ecs.taskDefinitions.values()].find((t) => t.revision === 2);
    expect(registered?.body).toEqual({ family: "web", cpu: "256", containerDefinitions: [{ name: "web", image: "web:v2" }, { name: "log", image: "fluent:1" }] });

    w.advance(15);
    const second = await pollAction(w.deps)({ action: action(), state: first.state });
    expect(second.done).toBe(false);
    ecs.finishRollout("prod", "web", "COMPLETED");
    const third = await pollAction(w.deps)({ action: action(), state: second.state });
    expect(third).toMatchObject({ done: true, state: { variables: {}, summary: expect.stringContaining("prod/web to web:2 (web=web:v2): ECS deployment ecs-svc/2 completed") } });
  });

  it("a FAILED rollout fails the action with the service's reason", async () => {
    await artifact({ "imagedefinitions.json": JSON.stringify([{ name: "web", imageUri: "web:bad" }]) });
    const first = await start(action());
    ecs.finishRollout("prod", "web", "FAILED");
    await expect(pollAction(w.deps)({ action: action(), state: first.state })).rejects.toMatchObject({ name: "Pipeline.ActionFailed", message: expect.stringContaining("Deploy.Web: ECS deployment ecs-svc/2 failed: ECS deployment circuit breaker: tasks failed to start.") });
  });

  it("a circuit breaker rollback: the action follows the rollback deployment, then fails saying the service is back on web:1", async () => {
    await artifact({ "imagedefinitions.json": JSON.stringify([{ name: "web", imageUri: "web:bad" }]) });
    const first = await start(action());
    ecs.circuitBreakerRollback("prod", "web");
    w.advance(15);
    const second = await pollAction(w.deps)({ action: action(), state: first.state });
    expect(second).toMatchObject({ done: false, state: { deploymentId: "ecs-svc/2", rollback: { id: "ecs-svc/3", failure: "ECS deployment circuit breaker: tasks failed to start." } } });
    ecs.finishRollout("prod", "web", "COMPLETED"); // the rollback deployment completes; the failed one is no longer listed
    w.advance(15);
    await expect(pollAction(w.deps)({ action: action(), state: second.state })).rejects.toMatchObject({
      name: "Pipeline.ActionFailed",
      message: "Deploy.Web: ECS deployment ecs-svc/2 failed (ECS deployment circuit breaker: tasks failed to start) and the deployment circuit breaker rolled the service back: the service is back on web:1 (rollback deployment ecs-svc/3 COMPLETED, 2/2 tasks running) (prod/web to web:2 (web=web:bad))",
    });
  });

  it("DeploymentTimeout ends a rollout that never completes", async () => {
    await artifact({ "imagedefinitions.json": JSON.stringify([{ name: "web", imageUri: "web:v2" }]) });
    const a = action({ DeploymentTimeout: "5" });
    let answer = await start(a);
    const waits: number[] = [];
    await expect(
      (async () => {
        for (;;) {
          waits.push(answer.nextPollSeconds);
          w.advance(answer.nextPollSeconds);
          answer = (await pollAction(w.deps)({ action: a, state: answer.state })) as PollAnswer;
        }
      })(),
    ).rejects.toMatchObject({ message: expect.stringContaining("did not complete within the DeploymentTimeout") });
    expect(waits.reduce((x, y) => x + y, 0)).toBe(300);
  });

  it.each([
    [{ "imagedefinitions.json": JSON.stringify([{ name: "api", imageUri: "api:v2" }]) }, {}, "names container 'api', which the task definition does not have (web, log) in task definition web:1"],
    [{ "other.json": "[]" }, {}, "input artifact Images has no imagedefinitions.json (it has: other.json)"],
    [{ "images.json": JSON.stringify([{ name: "web", imageUri: "web:v2" }]), "imagedefinitions.json": "[" }, {}, "imagedefinitions.json is not valid JSON"],
    [{ "imagedefinitions.json": "[]" }, {}, "must be a non-empty JSON list"],
    [{ "imagedefinitions.json": "[]" }, { DeploymentTimeout: "61" }, "DeploymentTimeout '61' must be a whole number of minutes from 1 to 60"],
  ])("fails before any ECS change: %j %j", async (files, configuration, message) => {
    await artifact(files);
    await expect(start(action(configuration))).rejects.toMatchObject({ name: "Pipeline.ActionFailed", message: expect.stringContaining(message) });
    expect(ecs.calls).toEqual([]);
  });

  it("FileName picks another file of the artifact", async () => {
    await artifact({ "images.json": JSON.stringify([{ name: "log", imageUri: "fluent:2" }]) });
    await start(action({ FileName: "images.json" }));
    expect([...ecs.taskDefinitions.values()].find((t) => t.revision === 2)?.body["containerDefinitions"]).toEqual([{ name: "web", image: "web:v1" }, { name: "log", image: "fluent:2" }]);
  });

  it("a service with the CODE_DEPLOY controller is refused, naming the controller", async () => {
    await artifact({ "imagedefinitions.json": JSON.stringify([{ name: "web", imageUri: "web:v2" }]) });
    (ecs.services.get("prod/web") as { deploymentController: string }).deploymentController = "CODE_DEPLOY";
    await expect(start(action())).rejects.toMatchObject({ message: expect.stringContaining("uses the CODE_DEPLOY deployment controller") });
    expect(ecs.calls).toEqual([]);
  });
});

describe("rolloutVerdict and ecsDeadlineMs", () => {
  const look = (o: Partial<RolloutLook>): RolloutLook => ({ id: "d2", status: "PRIMARY", rolloutState: "IN_PROGRESS", rolloutStateReason: "r", desiredCount: 2, runningCount: 0, ...o });
  it.each([
    [[look({ rolloutState: "COMPLETED", runningCount: 2 })], 0, "succeeded"],
    [[look({ rolloutState: "FAILED" })], 0, "failed"],
    [[look({}), look({ id: "d1", status: "ACTIVE", rolloutState: "COMPLETED" })], 0, "wait"],
    [[look({ status: "ACTIVE" }), look({ id: "d3" })], 0, "failed"],
    [[look({ id: "d1" })], 0, "failed"],
    [[look({})], 60_000, "failed"],
  ])("%j at %d ms -> %s", (deployments, now, kind) => {
    expect(rolloutVerdict("d2", deployments, now, 60_000).kind).toBe(kind);
  });
  const TD = (n: number) => `arn:aws:ecs:us-east-1:1:task-definition/web:${n}`;
  const failed = look({ status: "ACTIVE", rolloutState: "FAILED", rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.", taskDefinition: TD(2) });
  const FOLLOWED = { id: "d3", failure: "ECS deployment circuit breaker: tasks failed to start." };
  const rb = (o: Partial<RolloutLook>) => look({ id: "d3", rolloutStateReason: "ECS deployment circuit breaker: rolling back to deploymentId d1.", taskDefinition: TD(1), ...o });
  it.each([
    ["rollback in progress: follow it, keeping ECS's reason", [rb({}), failed], undefined, 0, { kind: "wait", seconds: 15, rollback: FOLLOWED }],
    ["rollback seen first while the failed one still says IN_PROGRESS", [rb({}), look({ status: "ACTIVE" })], undefined, 0, { kind: "wait", seconds: 15, rollback: { id: "d3" } }],
    ["rollback COMPLETED, failed one gone", [rb({ rolloutState: "COMPLETED", rolloutStateReason: "ECS deployment d3 completed.", runningCount: 2 })], "d3", 0, "the service is back on web:1 (rollback deployment d3 COMPLETED, 2/2 tasks running)"],
    ["rollback FAILED", [rb({ rolloutState: "FAILED", rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start." }), failed], "d3", 0, "but the rollback to web:1 failed too (deployment d3: ECS deployment circuit breaker: tasks failed to start.)"],
    ["rollback replaced", [look({ id: "d4" }), rb({ status: "ACTIVE" })], "d3", 0, "rollback deployment d3 to web:1 was replaced before it completed"],
    ["rollback gone", [look({ id: "d4" })], "d3", 0, "rollback deployment d3 is no longer listed on the service"],
    ["rollback past the deadline", [rb({}), failed], "d3", 60_000, "the rollback to web:1 (deployment d3) was still IN_PROGRESS at the DeploymentTimeout"],
    ["a PRIMARY that is not a rollback is not followed", [look({ id: "d4", rolloutStateReason: "ECS deployment d4 in progress." }), look({ status: "ACTIVE" })], undefined, 0, "was replaced by d4 before it completed"],
  ])("%s", (_name, deployments, rollbackId, now, want) => {
    const v = rolloutVerdict("d2", deployments as RolloutLook[], now as number, 60_000, rollbackId ? { id: rollbackId as string } : undefined);
    if (typeof want === "string") expect(v).toEqual({ kind: "failed", reason: expect.stringContaining(want) });
    else expect(v).toEqual(want);
  });
  it("names the failure and where the service is left", () => {
    const v = rolloutVerdict("d2", [rb({ rolloutState: "COMPLETED", runningCount: 2 })], 0, 60_000, FOLLOWED);
    expect(v).toEqual({ kind: "failed", reason: "ECS deployment d2 failed (ECS deployment circuit breaker: tasks failed to start) and the deployment circuit breaker rolled the service back: the service is back on web:1 (rollback deployment d3 COMPLETED, 2/2 tasks running)" });
    expect(taskDefinitionName(TD(7))).toBe("web:7");
  });
  it("property: a followed rollback never succeeds the action, and no look waits past the deadline", () => {
    const lookArb = fc.record({
      id: fc.constantFrom("d1", "d2", "d3", "d4"),
      status: fc.constantFrom("PRIMARY", "ACTIVE"),
      rolloutState: fc.constantFrom("IN_PROGRESS", "COMPLETED", "FAILED"),
      rolloutStateReason: fc.constantFrom("ECS deployment circuit breaker: rolling back to deploymentId d1.", "ECS deployment circuit breaker: tasks failed to start.", "in progress"),
      desiredCount: fc.constant(2),
      runningCount: fc.nat(2),
    });
    fc.assert(
      fc.property(fc.array(lookArb, { maxLength: 4 }), fc.option(fc.constantFrom("d3", "d4"), { nil: undefined }), fc.nat(70_000), (deployments, followed, now) => {
        const v = rolloutVerdict("d2", deployments, now, 60_000, followed ? { id: followed } : undefined);
        if (followed) expect(v.kind).not.toBe("succeeded");
        if (v.kind === "wait") expect(now + v.seconds * 1000).toBeLessThanOrEqual(60_000 + 999);
        if (v.kind === "wait" && v.rollback) expect(deployments.some((d) => d.id === v.rollback?.id && d.id !== "d2")).toBe(true);
      }),
    );
  });
  it("never waits past the deadline", () => {
    expect(rolloutVerdict("d2", [look({})], 55_500, 60_000)).toEqual({ kind: "wait", seconds: 5 });
  });
  it.each([
    [{}, undefined, 3_600_000],
    [{ DeploymentTimeout: "10" }, undefined, 600_000],
    [{ DeploymentTimeout: "10" }, 60_000, 60_000],
  ])("deadline of %j (action deadline %s) is %d ms after the start", (conf, actionDeadline, ms) => {
    expect(ecsDeadlineMs(conf, 0, actionDeadline)).toBe(ms);
  });
});
