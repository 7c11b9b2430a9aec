import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEcsAdapter } from "../../../functions/adapters/ecs.js";
import { createElbv2Adapter } from "../../../functions/adapters/elbv2.js";
import type { FaultKind } from "../../../local/account/shared/transport/faults.js";
import { type EcsHarness, NETWORK, WEB_SETUP, ecsClients } from "../account/ecs-fixture.js";
import { type Harness, failure, startAccount } from "../account/helpers.js";

/**
 * The ECS and ELBv2 adapters' answers to AWS's errors, at the SDK edge (real clients, the simulated account,
 * in-process): every refusal becomes a name from the catalogue that the ASL can match, with the call and AWS's
 * own message, and the idempotent calls stay idempotent. Clients make one attempt, so a fault reaches the adapter.
 */
let h: Harness;
let x: EcsHarness;
let ecs: ReturnType<typeof createEcsAdapter>;
let lb: ReturnType<typeof createElbv2Adapter>;

beforeEach(async () => {
  h = await startAccount(WEB_SETUP);
  x = ecsClients(h, { maxAttempts: 1 });
  ecs = createEcsAdapter(x.ecs);
  lb = createElbv2Adapter(x.elbv2);
});
afterEach(async () => {
  x.close();
  await h.close();
});

/** The ARN of a listener, rule or target group of the same shape that does not exist. */
const unknown = (arn: string) => arn.replace(/[0-9a-f]{16}$/, "0000000000000000");
const named = async (p: Promise<unknown>) => {
  const e = await failure(p);
  return [e.name, e.message];
};

describe("ECS adapter", () => {
  it.each([
    ["an unknown cluster", () => ecs.describeService("staging", "web"), "Deploy.ResourceNotFound", "DescribeServices staging/web: ClusterNotFoundException: Cluster not found."],
    ["an unknown service (reported as a MISSING failure, not an error)", () => ecs.describeService("prod", "api"), "Deploy.ResourceNotFound", "DescribeServices: no service api in cluster prod (MISSING)"],
    ["an unknown task definition revision", () => ecs.describeTaskDefinition("web:9"), "Deploy.ResourceNotFound", "DescribeTaskDefinition web:9: ClientException: Unable to describe task definition."],
    ["an unknown task set made primary", () => ecs.updateServicePrimaryTaskSet("prod", "web", "ecs-svc/999"), "Deploy.ResourceNotFound", "UpdateServicePrimaryTaskSet prod/web ecs-svc/999: TaskSetNotFoundException"],
    ["a task set on a service with the ECS controller", () => ecs.createTaskSet({ cluster: "prod", service: "rolling", taskDefinition: "web:2", externalId: "d-1", launchType: "FARGATE", networkConfiguration: NETWORK, loadBalancers: [], scale: { value: 100, unit: "PERCENT" } } as never), "Deploy.AwsError", "CreateTaskSet prod/rolling: InvalidParameterException"],
  ])("%s", async (_what, call, name, message) => {
    const [n, m] = await named(call());
    expect(n).toBe(name);
    expect(m).toContain(message);
  });

  it.each<[FaultKind, string]>([
    ["throttle", "ThrottlingException"],
    ["5xx", "ServerException"],
  ])("a %s on DescribeServices is Deploy.Transient (the ASL retries it)", async (kind, awsName) => {
    h.account.addFault({ operation: "DescribeServices", kind, count: 1 });
    expect(await named(ecs.describeService("prod", "web"))).toEqual(["Deploy.Transient", expect.stringContaining(`DescribeServices prod/web: ${awsName}`)]);
    // The fault is used up: the next call reads the service.
    expect((await ecs.describeService("prod", "web")).taskSets.map((t) => t.status)).toEqual(["PRIMARY"]);
  });

  it("deleting a task set that is already gone is what the caller wanted; a task set that does not exist reads as undefined", async () => {
    const created = await ecs.createTaskSet({ cluster: "prod", service: "web", taskDefinition: "web:2", externalId: "d-ADAPTER01", launchType: "FARGATE", networkConfiguration: NETWORK, loadBalancers: [{ targetGroupArn: x.tg("web-green"), containerName: "web", containerPort: 80 }], scale: { value: 100, unit: "PERCENT" } } as never);
    expect(created).toMatchObject({ status: "ACTIVE", externalId: "d-ADAPTER01", targetGroupArns: [x.tg("web-green")], launchType: "FARGATE", networkConfiguration: NETWORK });
    await ecs.deleteTaskSet("prod", "web", created.id);
    await expect(ecs.deleteTaskSet("prod", "web", created.id)).resolves.toBeUndefined();
    expect(await ecs.describeTaskSet("prod", "web", created.id)).toBeUndefined();
    expect((await ecs.describeService("prod", "web")).taskSets.map((t) => t.status)).toEqual(["PRIMARY"]);
  });

  it("a task definition registered from one it read keeps its body and gets the next revision", async () => {
    const read = await ecs.describeTaskDefinition("web:2");
    expect(Object.keys(read.body)).not.toContain("revision");
    const registered = await ecs.registerTaskDefinition({ ...read.body, family: "web" });
    expect([registered.family, registered.revision, registered.body.containerDefinitions]).toEqual(["web", 3, read.body.containerDefinitions]);
  });
});

describe("ELBv2 adapter", () => {
  const weighted = (blue: number, green: number) => [
    { targetGroupArn: x.tg("web-blue"), weight: blue },
    { targetGroupArn: x.tg("web-green"), weight: green },
  ];

  it.each([
    ["an unknown listener", () => lb.readRoute(unknown(x.arn("web:80"))), "Deploy.ResourceNotFound", "ListenerNotFoundException"],
    ["an unknown rule", () => lb.readRoute(unknown(x.arn("web:80:10"))), "Deploy.ResourceNotFound", "RuleNotFoundException"],
    ["weights written to an unknown listener", () => lb.writeRoute(unknown(x.arn("web:80")), weighted(90, 10)), "Deploy.ResourceNotFound", "ModifyListener"],
    ["a target group name that does not exist", () => lb.targetGroupArns(["web-blue", "web-purple"]), "Deploy.ResourceNotFound", "DescribeTargetGroups web-blue, web-purple: TargetGroupNotFoundException"],
    ["the health of a target group that does not exist", () => lb.targetHealth(unknown(x.tg("web-blue"))), "Deploy.ResourceNotFound", "DescribeTargetHealth"],
    // (A Network Load Balancer's refusal of weights, Deploy.UnsupportedTrafficConfig: test/unit/ecs/blue-green-services.test.ts.)
    ["a TCP target group behind an Application Load Balancer (any other refusal)", () => lb.writeRoute(x.arn("web:80"), [{ targetGroupArn: x.tg("tcp-a"), weight: 90 }, { targetGroupArn: x.tg("web-green"), weight: 10 }]), "Deploy.AwsError", "ModifyListener"],
  ])("%s", async (_what, call, name, message) => {
    const [n, m] = await named(call());
    expect(n).toBe(name);
    expect(m).toContain(message);
  });

  it("a throttled DescribeListeners is Deploy.Transient, and the next read goes through", async () => {
    h.account.addFault({ operation: "DescribeListeners", kind: "throttle", count: 1 });
    expect((await named(lb.readRoute(x.arn("web:80"))))[0]).toBe("Deploy.Transient");
    expect((await lb.readRoute(x.arn("web:80"))).targetGroups).toEqual(weighted(100, 0));
  });

  it("reads a listener, a rule and a single-target forward in one shape, and writes a rule's weights through ModifyRule", async () => {
    expect(await lb.readRoute(x.arn("web:80"))).toMatchObject({ kind: "listener", loadBalancer: "application", targetGroups: weighted(100, 0) });
    expect(await lb.readRoute(x.arn("edge:443"))).toMatchObject({ kind: "listener", loadBalancer: "network", targetGroups: [{ targetGroupArn: x.tg("tcp-a"), weight: 1 }] });
    expect(await lb.readRoute(x.arn("web:80:10"))).toMatchObject({ kind: "rule", targetGroups: [{ targetGroupArn: x.tg("web-blue"), weight: 1 }] });
    expect((await lb.writeRoute(x.arn("web:80:10"), weighted(80, 20))).targetGroups).toEqual(weighted(80, 20));
    expect(x.elbv2World.weightsAt("web:80:10")).toEqual({ "web-blue": 80, "web-green": 20 });
    expect(x.elbv2World.weightsAt("web:80")).toEqual({ "web-blue": 100, "web-green": 0 });
  });

  it("resolves names and ARNs together, in the order asked", async () => {
    expect(await lb.targetGroupArns([x.tg("web-green"), "web-blue"])).toEqual([x.tg("web-green"), x.tg("web-blue")]);
  });

  it("target health: each target with its port and state", async () => {
    expect((await lb.targetHealth(x.tg("web-blue"))).map((t) => [t.state, t.port])).toEqual([
      ["healthy", 80],
      ["healthy", 80],
    ]);
  });
});
