import { DescribeServicesCommand, ECSClient, RegisterTaskDefinitionCommand, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, failure, startAccount } from "./helpers.js";

/**
 * The simulated ECS's rolling update (ECS deployment controller), as the pipeline ECS deploy action
 * drives it: UpdateService with a new task definition starts a PRIMARY deployment IN_PROGRESS, the
 * previous one stays ACTIVE until the new tasks run, then the rollout is COMPLETED; tasks that do not
 * start fail it through the circuit breaker when it is on, and keep it IN_PROGRESS otherwise.
 */
const td = (image: string) => ({ family: "web", containerDefinitions: [{ name: "web", image }] });
const SETUP = {
  ecs: {
    taskDefinitions: [td("web:v1"), td("web:v2")],
    clusters: [
      {
        name: "prod",
        services: [
          { name: "web", desiredCount: 3, deploymentController: "ECS", taskDefinition: "web:1", taskStartSeconds: 20 },
          { name: "guarded", desiredCount: 2, deploymentController: "ECS", taskDefinition: "web:1", taskStartSeconds: 20, deploymentCircuitBreaker: { enable: true } },
          { name: "rollback", desiredCount: 2, deploymentController: "ECS", taskDefinition: "web:1", taskStartSeconds: 20, deploymentCircuitBreaker: { enable: true, rollback: true } },
          { name: "bluegreen", desiredCount: 1, deploymentController: "CODE_DEPLOY" },
          { name: "external", desiredCount: 1, deploymentController: "EXTERNAL" },
        ],
      },
    ],
  },
};

let h: Harness;
let ecs: ECSClient;
beforeEach(async () => {
  h = await startAccount(SETUP);
  ecs = new ECSClient({ ...h.config, maxAttempts: 1 });
});
afterEach(async () => {
  ecs.destroy();
  await h.close();
});

const rollout = async (service: string) => {
  const s = (await ecs.send(new DescribeServicesCommand({ cluster: "prod", services: [service] }))).services?.[0];
  return { taskDefinition: s?.taskDefinition?.split("/")[1], deployments: (s?.deployments ?? []).map((d) => [d.status, d.taskDefinition?.split("/")[1], d.rolloutState, d.runningCount]) };
};

describe("UpdateService on the ECS controller", () => {
  it("a service starts with one COMPLETED deployment; a new task definition rolls out and completes once its tasks run", async () => {
    expect(await rollout("web")).toEqual({ taskDefinition: "web:1", deployments: [["PRIMARY", "web:1", "COMPLETED", 3]] });
    const out = await ecs.send(new UpdateServiceCommand({ cluster: "prod", service: "web", taskDefinition: "web:2" }));
    expect(out.service?.deployments?.[0]).toMatchObject({ status: "PRIMARY", rolloutState: "IN_PROGRESS", rolloutStateReason: expect.stringMatching(/^ECS deployment ecs-svc\/\d{19} in progress\.$/) });
    h.clock.advance(19);
    expect(await rollout("web")).toEqual({ taskDefinition: "web:2", deployments: [["PRIMARY", "web:2", "IN_PROGRESS", 0], ["ACTIVE", "web:1", "COMPLETED", 3]] });
    h.clock.advance(1);
    expect(await rollout("web")).toEqual({ taskDefinition: "web:2", deployments: [["PRIMARY", "web:2", "COMPLETED", 3]] });
  });

  it("tasks that fail to start: IN_PROGRESS without a circuit breaker; FAILED with ECS's reason after the threshold (3 failed tasks) with it", async () => {
    h.account.applyTimeline([{ atSeconds: 0, taskDefinition: "web", tasks: "fail-to-start" }]);
    await h.account.settled();
    const bad = (await ecs.send(new RegisterTaskDefinitionCommand(td("web:bad")))).taskDefinition?.taskDefinitionArn;
    await ecs.send(new UpdateServiceCommand({ cluster: "prod", service: "web", taskDefinition: bad }));
    await ecs.send(new UpdateServiceCommand({ cluster: "prod", service: "guarded", taskDefinition: bad }));
    h.clock.advance(59);
    expect((await rollout("guarded")).deployments[0]).toEqual(["PRIMARY", "web:3", "IN_PROGRESS", 0]);
    h.clock.advance(1);
    const guarded = (await ecs.send(new DescribeServicesCommand({ cluster: "prod", services: ["guarded"] }))).services?.[0];
    expect(guarded?.deployments?.map((d) => [d.status, d.rolloutState, d.rolloutStateReason, d.failedTasks])).toEqual([
      ["PRIMARY", "FAILED", "ECS deployment circuit breaker: tasks failed to start.", 3],
      ["ACTIVE", "COMPLETED", expect.any(String), 0],
    ]);
    h.clock.advance(3600);
    expect((await rollout("web")).deployments[0]).toEqual(["PRIMARY", "web:3", "IN_PROGRESS", 0]);
  });

  it("with rollback: true, a FAILED rollout rolls the service back to the last COMPLETED deployment (a new PRIMARY of web:1 that completes)", async () => {
    // a bad image pushed: revisions registered from now on fail to start, web:1 keeps starting
    h.account.applyTimeline([{ atSeconds: 0, taskDefinition: "web", tasks: "fail-to-start", newRevisionsOnly: true }]);
    await h.account.settled();
    const before = (await ecs.send(new DescribeServicesCommand({ cluster: "prod", services: ["rollback"] }))).services?.[0];
    expect(before?.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
    const completedId = before?.deployments?.[0]?.id;
    const bad = (await ecs.send(new RegisterTaskDefinitionCommand(td("web:bad")))).taskDefinition?.taskDefinitionArn;
    const started = await ecs.send(new UpdateServiceCommand({ cluster: "prod", service: "rollback", taskDefinition: bad }));
    const failedId = started.service?.deployments?.[0]?.id;
    h.clock.advance(59);
    expect(await rollout("rollback")).toEqual({ taskDefinition: "web:3", deployments: [["PRIMARY", "web:3", "IN_PROGRESS", 0], ["ACTIVE", "web:1", "COMPLETED", 2]] });
    h.clock.advance(1); // the third failed task: the breaker trips and rolls back
    const s = (await ecs.send(new DescribeServicesCommand({ cluster: "prod", services: ["rollback"] }))).services?.[0];
    expect(s?.taskDefinition?.split("/")[1]).toBe("web:1");
    expect(s?.deployments?.map((d) => [d.status, d.taskDefinition?.split("/")[1], d.rolloutState, d.rolloutStateReason])).toEqual([
      ["PRIMARY", "web:1", "IN_PROGRESS", `ECS deployment circuit breaker: rolling back to deploymentId ${completedId}.`],
      ["ACTIVE", "web:3", "FAILED", "ECS deployment circuit breaker: tasks failed to start."],
      ["ACTIVE", "web:1", "COMPLETED", `ECS deployment ${completedId} completed.`],
    ]);
    expect(s?.deployments?.[1]?.id).toBe(failedId);
    h.clock.advance(20);
    expect(await rollout("rollback")).toEqual({ taskDefinition: "web:1", deployments: [["PRIMARY", "web:1", "COMPLETED", 2]] });
    // the guarded service (no rollback) stays on its FAILED deployment
    await ecs.send(new UpdateServiceCommand({ cluster: "prod", service: "guarded", taskDefinition: bad }));
    h.clock.advance(3600);
    expect((await rollout("guarded")).deployments.map((d) => d.slice(0, 3))).toEqual([["PRIMARY", "web:3", "FAILED"], ["ACTIVE", "web:1", "COMPLETED"]]);
  });

  it("a rollback whose task definition fails to start too is FAILED and not rolled back again", async () => {
    h.account.applyTimeline([{ atSeconds: 0, taskDefinition: "web", tasks: "fail-to-start" }]);
    await h.account.settled();
    await ecs.send(new UpdateServiceCommand({ cluster: "prod", service: "rollback", taskDefinition: "web:2" }));
    h.clock.advance(60 + 60);
    // the tasks of the first deployment (from before the failures) still run: it stays listed, COMPLETED
    const stuck = [["PRIMARY", "web:1", "FAILED"], ["ACTIVE", "web:2", "FAILED"], ["ACTIVE", "web:1", "COMPLETED"]];
    expect((await rollout("rollback")).deployments.map((d) => d.slice(0, 3))).toEqual(stuck);
    h.clock.advance(3600);
    expect((await rollout("rollback")).deployments.map((d) => d.slice(0, 3))).toEqual(stuck);
  });

  it.each([
    ["bluegreen", "prod", "InvalidParameterException", "Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment."],
    ["external", "prod", "InvalidParameterException", "Unable to update task definition on services with a EXTERNAL deployment controller. Create a new task set instead."],
    ["missing", "prod", "ServiceNotFoundException", "Service not found."],
    ["web", "staging", "ClusterNotFoundException", "Cluster not found."],
  ])("refuses %s in %s: %s", async (service, cluster, name, message) => {
    const e = await failure(ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: "web:2" })));
    expect([e.name, e.message]).toEqual([name, message]);
  });

  it("refuses an unknown task definition and leaves the service as it was", async () => {
    const e = await failure(ecs.send(new UpdateServiceCommand({ cluster: "prod", service: "web", taskDefinition: "web:9" })));
    expect([e.name, e.message]).toEqual(["InvalidParameterException", "TaskDefinition not found."]);
    expect(await rollout("web")).toEqual({ taskDefinition: "web:1", deployments: [["PRIMARY", "web:1", "COMPLETED", 3]] });
  });
});
