import {
  CreateTaskSetCommand,
  type CreateTaskSetCommandInput,
  DeleteTaskSetCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTaskSetsCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServicePrimaryTaskSetCommand,
  UpdateTaskSetCommand,
} from "@aws-sdk/client-ecs";
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { isThrottlingError } from "@smithy/core/retry";
import { describe, expect, it } from "vitest";
import { type EcsHarness, NETWORK, WEB_SETUP, describeWebAccount } from "./ecs-fixture.js";
import { type Harness, failure, startAccount } from "./helpers.js";

let h: Harness;
let x: EcsHarness;

const green = (over: Partial<CreateTaskSetCommandInput> = {}): CreateTaskSetCommandInput => ({
  cluster: "prod",
  service: "web",
  taskDefinition: "web:2",
  launchType: "FARGATE",
  networkConfiguration: NETWORK,
  loadBalancers: [{ targetGroupArn: x.tg("web-green"), containerName: "web", containerPort: 80 }],
  scale: { value: 100, unit: "PERCENT" },
  ...over,
});
const sets = async () =>
  ((await x.ecs.send(new DescribeTaskSetsCommand({ cluster: "prod", service: "web" }))).taskSets ?? []).map((t) => [t.status, t.taskDefinition?.split("/")[1], t.runningCount, t.pendingCount, t.stabilityStatus]);
const health = async (tg: string) => ((await x.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: x.tg(tg) }))).TargetHealthDescriptions ?? []).map((d) => d.TargetHealth?.State);

describeWebAccount(
  (harness, clients) => {
    h = harness;
    x = clients;
  },
  () => {
    describe("services", () => {
      it("an EXTERNAL service starts with one PRIMARY task set at 100%, steady, its tasks healthy in the blue target group", async () => {
        const out = await x.ecs.send(new DescribeServicesCommand({ cluster: "prod", services: ["web", "missing"] }));
        const web = out.services?.[0];
        expect(web).toMatchObject({ serviceName: "web", deploymentController: { type: "EXTERNAL" }, desiredCount: 2, runningCount: 2, taskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1" });
        expect(web?.taskSets?.map((t) => [t.status, t.scale, t.computedDesiredCount, t.stabilityStatus])).toEqual([["PRIMARY", { value: 100, unit: "PERCENT" }, 2, "STEADY_STATE"]]);
        expect(out.failures).toEqual([{ arn: "arn:aws:ecs:us-east-1:123456789012:service/prod/missing", reason: "MISSING" }]);
        expect(await health("web-blue")).toEqual(["healthy", "healthy"]);
      });

      it("answers an unknown cluster with ClusterNotFoundException", async () => {
        const e = await failure(x.ecs.send(new DescribeServicesCommand({ cluster: "staging", services: ["web"] })));
        expect([e.name, e.message]).toEqual(["ClusterNotFoundException", "Cluster not found."]);
      });
    });

    describe("a replacement task set", () => {
      it("starts PENDING, RUNNING after the service's start time, STEADY_STATE once its targets pass their health checks", async () => {
        const created = await x.ecs.send(new CreateTaskSetCommand(green({ externalId: "d-123" })));
        expect(created.taskSet).toMatchObject({ status: "ACTIVE", externalId: "d-123", computedDesiredCount: 2, pendingCount: 2, runningCount: 0, stabilityStatus: "STABILIZING" });
        expect(created.taskSet?.taskSetArn).toMatch(/^arn:aws:ecs:us-east-1:123456789012:task-set\/prod\/web\/ecs-svc\/\d{19}$/);
        h.clock.advance(19);
        expect((await sets())[1]).toEqual(["ACTIVE", "web:2", 0, 2, "STABILIZING"]);
        expect(await health("web-green")).toEqual([]);
        h.clock.advance(1);
        expect((await sets())[1]).toEqual(["ACTIVE", "web:2", 2, 0, "STABILIZING"]);
        expect(await health("web-green")).toEqual(["initial", "initial"]);
        h.clock.advance(10);
        expect((await sets())[1]).toEqual(["ACTIVE", "web:2", 2, 0, "STEADY_STATE"]);
        expect(await health("web-green")).toEqual(["healthy", "healthy"]);
        expect(x.ecsWorld.taskSetHistory.map((c) => [c.operation, c.detail])).toEqual([["CreateTaskSet", "web:2 at 100% -> web-green"]]);
      });

      it("computes the desired count from the scale, rounded up, and scales with UpdateTaskSet", async () => {
        const created = await x.ecs.send(new CreateTaskSetCommand(green({ scale: { value: 25, unit: "PERCENT" } })));
        expect(created.taskSet?.computedDesiredCount).toBe(1);
        const updated = await x.ecs.send(new UpdateTaskSetCommand({ cluster: "prod", service: "web", taskSet: created.taskSet?.id, scale: { value: 100, unit: "PERCENT" } }));
        expect([updated.taskSet?.computedDesiredCount, updated.taskSet?.pendingCount]).toEqual([2, 2]);
        const down = await x.ecs.send(new UpdateTaskSetCommand({ cluster: "prod", service: "web", taskSet: created.taskSet?.taskSetArn, scale: { value: 0, unit: "PERCENT" } }));
        expect([down.taskSet?.computedDesiredCount, down.taskSet?.pendingCount, down.taskSet?.runningCount]).toEqual([0, 0, 0]);
      });

      it("becomes primary with UpdateServicePrimaryTaskSet; the original drains when deleted, then is gone", async () => {
        const created = await x.ecs.send(new CreateTaskSetCommand(green()));
        h.clock.advance(30);
        await x.ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster: "prod", service: "web", primaryTaskSet: created.taskSet?.taskSetArn }));
        expect(await sets()).toEqual([
          ["ACTIVE", "web:1", 2, 0, "STEADY_STATE"],
          ["PRIMARY", "web:2", 2, 0, "STEADY_STATE"],
        ]);
        const service = await x.ecs.send(new DescribeServicesCommand({ cluster: "prod", services: ["web"] }));
        expect(service.services?.[0]?.taskDefinition).toMatch(/web:2$/);
        const blue = (await x.ecs.send(new DescribeTaskSetsCommand({ cluster: "prod", service: "web" }))).taskSets?.[0]?.id as string;
        const refused = await failure(x.ecs.send(new DeleteTaskSetCommand({ cluster: "prod", service: "web", taskSet: blue })));
        expect(refused.name).toBe("InvalidParameterException");
        const primary = await failure(x.ecs.send(new DeleteTaskSetCommand({ cluster: "prod", service: "web", taskSet: created.taskSet?.id, force: true })));
        expect(primary.message).toContain("primary task set");
        const deleted = await x.ecs.send(new DeleteTaskSetCommand({ cluster: "prod", service: "web", taskSet: blue, force: true }));
        expect(deleted.taskSet?.status).toBe("DRAINING");
        expect(await health("web-blue")).toEqual(["draining", "draining"]);
        h.clock.advance(29);
        expect((await sets()).map((s) => s[0])).toEqual(["DRAINING", "PRIMARY"]);
        h.clock.advance(1);
        expect(await sets()).toEqual([["PRIMARY", "web:2", 2, 0, "STEADY_STATE"]]);
        expect(await health("web-blue")).toEqual([]);
        const gone = await x.ecs.send(new DescribeTaskSetsCommand({ cluster: "prod", service: "web", taskSets: [blue] }));
        expect(gone.failures).toEqual([{ arn: blue, reason: "MISSING" }]);
      });

      it("is idempotent per clientToken", async () => {
        const a = await x.ecs.send(new CreateTaskSetCommand(green({ clientToken: "d-123-install" })));
        const b = await x.ecs.send(new CreateTaskSetCommand(green({ clientToken: "d-123-install" })));
        expect(b.taskSet?.id).toBe(a.taskSet?.id);
        expect(await sets()).toHaveLength(2);
      });

      it.each([
        ["a service without the EXTERNAL controller", () => green({ service: "rolling" }), "InvalidParameterException", "Amazon ECS only supports task set management on services configured to use external deployment controllers."],
        ["an unknown service", () => green({ service: "nope" }), "ServiceNotFoundException", "Service not found."],
        ["an unknown task definition", () => green({ taskDefinition: "web:9" }), "InvalidParameterException", "TaskDefinition not found."],
        ["a container the task definition lacks", () => green({ loadBalancers: [{ targetGroupArn: x.tg("web-green"), containerName: "api", containerPort: 80 }] }), "InvalidParameterException", "The container api does not exist in the task definition."],
        ["a port the container does not map", () => green({ loadBalancers: [{ targetGroupArn: x.tg("web-green"), containerName: "web", containerPort: 8080 }] }), "InvalidParameterException", "did not have a container port 8080"],
        ["a target group no load balancer uses", () => green({ loadBalancers: [{ targetGroupArn: x.tg("tcp-b"), containerName: "web", containerPort: 80 }] }), "InvalidParameterException", "does not have an associated load balancer."],
        ["awsvpc tasks without a network configuration", () => green({ networkConfiguration: undefined }), "InvalidParameterException", "Network Configuration must be provided when networkMode 'awsvpc' is specified."],
        ["a launch type and a capacity provider strategy", () => green({ capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] }), "InvalidParameterException", "Specifying both a launch type and capacity provider strategy is not supported."],
        ["a scale above 100", () => green({ scale: { value: 150, unit: "PERCENT" } }), "InvalidParameterException", "between 0 and 100"],
      ])("refuses %s, creating nothing", async (_what, req, name, message) => {
        const e = await failure(x.ecs.send(new CreateTaskSetCommand(req())));
        expect(e.name).toBe(name);
        expect(e.message).toContain(message);
        expect(await sets()).toHaveLength(1);
      });

      it("refuses a sixth task set on a service", async () => {
        for (let i = 0; i < 4; i++) await x.ecs.send(new CreateTaskSetCommand(green()));
        const e = await failure(x.ecs.send(new CreateTaskSetCommand(green())));
        expect(e.message).toBe("5 deployments exist on the service. Unable to create new TaskSet since this exceeds the maximum limit.");
      });
    });

    describe("task definitions", () => {
      it("registers revisions and describes them by family (latest ACTIVE), family:revision or ARN", async () => {
        const reg = await x.ecs.send(new RegisterTaskDefinitionCommand({ family: "web", containerDefinitions: [{ name: "web", image: "repo@sha256:abc", portMappings: [{ containerPort: 80 }] }], networkMode: "awsvpc" }));
        expect(reg.taskDefinition).toMatchObject({ family: "web", revision: 3, status: "ACTIVE", taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3" });
        for (const ref of ["web", "web:3", "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3"]) {
          const out = await x.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref }));
          expect(out.taskDefinition?.containerDefinitions?.[0]?.image).toBe("repo@sha256:abc");
        }
        expect((await x.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "web:1" }))).taskDefinition?.containerDefinitions?.[0]?.image).toBe("web:v1");
        for (const ref of ["web:4", "api", "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:1"]) {
          const e = await failure(x.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref })));
          expect([e.name, e.message]).toEqual(["ClientException", "Unable to describe task definition."]);
        }
        const bad = await failure(x.ecs.send(new RegisterTaskDefinitionCommand({ family: "web app", containerDefinitions: [{ name: "web", image: "x" }] })));
        expect(bad.name).toBe("ClientException");
      });
    });

    describe("timeline", () => {
      it("a revision whose tasks fail to start never stabilises, until it is fixed", async () => {
        h.account.applyTimeline([
          { atSeconds: 0, taskDefinition: "web:2", tasks: "fail-to-start" },
          { atSeconds: 100, taskDefinition: "web:2", tasks: "healthy" },
        ]);
        await x.ecs.send(new CreateTaskSetCommand(green()));
        h.clock.advance(90);
        expect((await sets())[1]).toEqual(["ACTIVE", "web:2", 0, 2, "STABILIZING"]);
        h.clock.advance(40);
        expect((await sets())[1]).toEqual(["ACTIVE", "web:2", 2, 0, "STEADY_STATE"]);
      });

      it("a revision whose tasks fail their health checks runs but stays STABILIZING, its targets unhealthy", async () => {
        h.account.applyTimeline([{ atSeconds: 0, taskDefinition: "web", tasks: "unhealthy" }]);
        await x.ecs.send(new RegisterTaskDefinitionCommand({ family: "web", containerDefinitions: [{ name: "web", image: "v3", portMappings: [{ containerPort: 80 }] }], networkMode: "awsvpc" }));
        await x.ecs.send(new CreateTaskSetCommand(green({ taskDefinition: "web:3" })));
        h.clock.advance(60);
        expect((await sets())[1]).toEqual(["ACTIVE", "web:3", 2, 0, "STABILIZING"]);
        expect(await health("web-green")).toEqual(["unhealthy", "unhealthy"]);
        // the family-wide entry applies to the running revision too, from its own second on
        expect(await health("web-blue")).toEqual(["unhealthy", "unhealthy"]);
      });
    });

    describe("faults", () => {
      it("throttling is ThrottlingException (HTTP 400), which the SDK retries", async () => {
        h.account.addFault({ operation: "ECS.CreateTaskSet", kind: "throttle", count: 1 });
        const once = new ECSClient({ ...h.config, maxAttempts: 1 });
        const e = await failure(once.send(new CreateTaskSetCommand(green())));
        expect([e.name, e.$metadata.httpStatusCode, isThrottlingError(e as never)]).toEqual(["ThrottlingException", 400, true]);
        once.destroy();
        h.account.addFault({ operation: "ECS.*", kind: "5xx", count: 1 });
        const out = await x.ecs.send(new CreateTaskSetCommand(green()));
        expect(out.$metadata.attempts).toBe(2);
        expect(await sets()).toHaveLength(2);
      });
    });
  },
);

describe("setup", () => {
  it.each([
    ["a service whose task definition does not exist", { ecs: { clusters: [{ name: "c", services: [{ name: "s", taskDefinition: "web:1" }] }] } }, "account.ecs.clusters[0].services[0].taskDefinition"],
    ["a load balancer container the task definition lacks", { ...WEB_SETUP, ecs: { ...WEB_SETUP.ecs, clusters: [{ name: "c", services: [{ name: "s", taskDefinition: "web:1", networkConfiguration: NETWORK, loadBalancer: { targetGroup: "web-blue", containerName: "api", containerPort: 80 } }] }] } }, "loadBalancer.containerName"],
    ["a target group no listener uses", { ...WEB_SETUP, ecs: { ...WEB_SETUP.ecs, clusters: [{ name: "c", services: [{ name: "s", taskDefinition: "web:1", networkConfiguration: NETWORK, loadBalancer: { targetGroup: "tcp-b", containerName: "web", containerPort: 80 } }] }] } }, "loadBalancer.targetGroup"],
    ["awsvpc without a network configuration", { ...WEB_SETUP, ecs: { ...WEB_SETUP.ecs, clusters: [{ name: "c", services: [{ name: "s", taskDefinition: "web:1" }] }] } }, "networkConfiguration"],
  ])("refuses %s, naming the field", async (_what, setup, field) => {
    const e = await failure(startAccount(setup));
    expect(e.name).toBe("Simulate.InvalidAccount");
    expect(JSON.stringify((e as unknown as { problems: unknown }).problems)).toContain(field);
  });
});
