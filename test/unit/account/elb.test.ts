import {
  DeregisterInstancesFromLoadBalancerCommand,
  DescribeInstanceHealthCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingClient,
  RegisterInstancesWithLoadBalancerCommand,
} from "@aws-sdk/client-elastic-load-balancing";
import { afterEach, describe, expect, it } from "vitest";
import { SimAccount } from "../../../local/account/index.js";
import { InProcessNetwork } from "../../../local/account/shared/transport/in-process.js";
import { SimClock } from "../../../local/clock.js";

const c = (k: number) => `i-0c0000000000000c${k}`;
const setup = {
  ssm: { instances: [1, 2, 3, 4].map((k) => ({ id: c(k), tags: { app: "orders" } })) },
  classicLoadBalancers: [
    { name: "orders-classic", healthCheck: { intervalSeconds: 10, healthyThreshold: 3, unhealthyThreshold: 2 }, connectionDraining: { enabled: true, timeoutSeconds: 30 }, instances: [{ id: c(1) }, { id: c(2) }, { id: c(3), health: "unhealthy" }] },
    { name: "orders-nodrain", connectionDraining: { enabled: false }, instances: [{ id: c(1) }] },
  ],
};

function open() {
  const clock = new SimClock();
  const account = SimAccount.fromSetup(setup, { clock });
  const network = new InProcessNetwork();
  const endpoint = account.serveInProcess(network);
  const client = new ElasticLoadBalancingClient({ endpoint, requestHandler: network, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" }, maxAttempts: 1 });
  return { clock, account, client };
}

const states = async (client: ElasticLoadBalancingClient, name = "orders-classic", ids?: string[]) =>
  Object.fromEntries(((await client.send(new DescribeInstanceHealthCommand({ LoadBalancerName: name, ...(ids ? { Instances: ids.map((InstanceId) => ({ InstanceId })) } : {}) }))).InstanceStates ?? []).map((s) => [s.InstanceId, `${s.State}:${s.Description}`]));

describe("simulated Classic Load Balancers (local/account/elb)", () => {
  let w: ReturnType<typeof open> | undefined;
  afterEach(() => {
    w = undefined;
  });

  it("describes load balancers (health check, instances) and the ConnectionDraining attribute", async () => {
    w = open();
    const lbs = (await w.client.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: ["orders-classic"] }))).LoadBalancerDescriptions ?? [];
    expect(lbs.map((l) => [l.LoadBalancerName, l.HealthCheck?.Interval, l.HealthCheck?.HealthyThreshold, l.Instances?.map((i) => i.InstanceId)])).toEqual([["orders-classic", 10, 3, [c(1), c(2), c(3)]]]);
    const attrs = await w.client.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerName: "orders-classic" }));
    expect(attrs.LoadBalancerAttributes?.ConnectionDraining).toEqual({ Enabled: true, Timeout: 30 });
    const off = await w.client.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerName: "orders-nodrain" }));
    expect(off.LoadBalancerAttributes?.ConnectionDraining?.Enabled).toBe(false);
  });

  it("refuses an unknown load balancer with LoadBalancerNotFound, as AWS words it", async () => {
    w = open();
    const err = await w.client.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: ["orders-gone"] })).catch((e: Error) => e);
    expect([(err as Error).name, (err as Error).message]).toEqual(["AccessPointNotFoundException", "There is no ACTIVE Load Balancer named 'orders-gone'"]);
    const reg = await w.client.send(new RegisterInstancesWithLoadBalancerCommand({ LoadBalancerName: "orders-gone", Instances: [{ InstanceId: c(1) }] })).catch((e: Error) => e);
    expect((reg as Error).name).toBe("AccessPointNotFoundException");
  });

  it("deregistration drains for the ConnectionDraining timeout (InService: deregistration in progress), then the instance is gone", async () => {
    w = open();
    const left = await w.client.send(new DeregisterInstancesFromLoadBalancerCommand({ LoadBalancerName: "orders-classic", Instances: [{ InstanceId: c(1) }] }));
    expect(left.Instances?.map((i) => i.InstanceId)).toEqual([c(2), c(3)]);
    expect((await states(w.client))[c(1)]).toBe("InService:Instance deregistration currently in progress.");
    w.clock.advance(29);
    expect((await states(w.client))[c(1)]).toBe("InService:Instance deregistration currently in progress.");
    w.clock.advance(1);
    expect(Object.keys(await states(w.client))).toEqual([c(2), c(3)]);
    expect((await states(w.client, "orders-classic", [c(1)]))[c(1)]).toBe("OutOfService:Instance is not currently registered with the LoadBalancer.");
    // without connection draining the instance is out at once
    await w.client.send(new DeregisterInstancesFromLoadBalancerCommand({ LoadBalancerName: "orders-nodrain", Instances: [{ InstanceId: c(1) }] }));
    expect(await states(w.client, "orders-nodrain")).toEqual({});
  });

  it("a registered instance is OutOfService until healthy threshold x interval, then InService; an unhealthy application stays OutOfService", async () => {
    w = open();
    expect((await states(w.client))[c(3)]).toMatch(/^OutOfService:Instance has failed/);
    await w.client.send(new RegisterInstancesWithLoadBalancerCommand({ LoadBalancerName: "orders-classic", Instances: [{ InstanceId: c(4) }] }));
    expect((await states(w.client))[c(4)]).toBe("OutOfService:Instance registration is still in progress.");
    w.clock.advance(29);
    expect((await states(w.client))[c(4)]).toMatch(/^OutOfService/);
    w.clock.advance(1);
    expect((await states(w.client))[c(4)]).toBe("InService:N/A");
  });

  it("refuses on-premises nodes, unknown and non-running instances (InvalidInstance) and deregistering one never registered; nothing is applied", async () => {
    w = open();
    const fail = async (cmd: RegisterInstancesWithLoadBalancerCommand | DeregisterInstancesFromLoadBalancerCommand) => {
      const e = (await w!.client.send(cmd as RegisterInstancesWithLoadBalancerCommand).catch((x: Error) => x)) as Error;
      return [e.name, e.message];
    };
    expect(await fail(new RegisterInstancesWithLoadBalancerCommand({ LoadBalancerName: "orders-classic", Instances: [{ InstanceId: c(4) }, { InstanceId: "mi-0123456789abcdef0" }] }))).toEqual(["InvalidEndPointException", "Could not find EC2 instance mi-0123456789abcdef0."]);
    expect(Object.keys(await states(w.client))).not.toContain(c(4));
    expect(await fail(new DeregisterInstancesFromLoadBalancerCommand({ LoadBalancerName: "orders-classic", Instances: [{ InstanceId: c(4) }] }))).toEqual(["InvalidEndPointException", `Could not find EC2 instance ${c(4)}.`]);
    const ec2 = w.account.services.get("ec2")?.world as { terminate(ids: string[]): unknown };
    expect(typeof ec2.terminate).toBe("function");
    ec2.terminate([c(4)]);
    expect(await fail(new RegisterInstancesWithLoadBalancerCommand({ LoadBalancerName: "orders-classic", Instances: [{ InstanceId: c(4) }] }))).toEqual(["InvalidEndPointException", `EC2 instance ${c(4)} is not in running state.`]);
  });
});
