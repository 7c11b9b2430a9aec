import { ElasticLoadBalancingClient } from "@aws-sdk/client-elastic-load-balancing";
import { describe, expect, it } from "vitest";
import { createElbAdapter } from "../../../functions/adapters/elb.js";
import { SimAccount } from "../../../local/account/index.js";
import { InProcessNetwork } from "../../../local/account/shared/transport/in-process.js";
import { SimClock } from "../../../local/clock.js";

const c = (k: number) => `i-0c0000000000000c${k}`;

function adapter() {
  const clock = new SimClock();
  const setup = {
    ssm: { instances: [1, 2, 3].map((k) => ({ id: c(k), tags: {} })) },
    classicLoadBalancers: [
      { name: "orders-classic", healthCheck: { intervalSeconds: 10, healthyThreshold: 3, unhealthyThreshold: 2 }, connectionDraining: { enabled: true, timeoutSeconds: 30 }, instances: [{ id: c(1) }, { id: c(2) }] },
      { name: "orders-plain", connectionDraining: { enabled: false } },
    ],
  };
  const account = SimAccount.fromSetup(setup, { clock });
  const network = new InProcessNetwork();
  const endpoint = account.serveInProcess(network);
  const client = new ElasticLoadBalancingClient({ endpoint, requestHandler: network, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" }, maxAttempts: 1 });
  return { port: createElbAdapter(client), clock, account };
}

describe("the Classic Load Balancer adapter (functions/adapters/elb.ts) on the simulated account", () => {
  it("describes load balancers in order: the drain wait is the ConnectionDraining timeout (0 when disabled), the health check as the API gives it (defaults 30 s x 10)", async () => {
    const { port } = adapter();
    expect(await port.describe(["orders-plain", "orders-classic"])).toEqual([
      { name: "orders-plain", drainSeconds: 0, healthCheck: { intervalSeconds: 30, healthyThreshold: 10 } },
      { name: "orders-classic", drainSeconds: 30, healthCheck: { intervalSeconds: 10, healthyThreshold: 3 } },
    ]);
  });

  it("an unknown name is Deploy.ResourceNotFound with AWS's message; an instance ELB refuses is Deploy.UnsupportedTrafficConfig", async () => {
    const { port } = adapter();
    await expect(port.describe(["orders-gone"])).rejects.toMatchObject({ name: "Deploy.ResourceNotFound", message: expect.stringContaining("There is no ACTIVE Load Balancer named 'orders-gone'") });
    await expect(port.registerInstances("orders-classic", ["mi-0123456789abcdef0"])).rejects.toMatchObject({ name: "Deploy.UnsupportedTrafficConfig", message: expect.stringContaining("InvalidInstance") });
  });

  it("deregisters only the instances the load balancer has (one never registered would be refused), and reads health in the traffic vocabulary", async () => {
    const { port, clock, account } = adapter();
    await port.deregisterInstances("orders-classic", [c(1), c(3)]);
    expect(account.callCounts()["ELB.DeregisterInstancesFromLoadBalancer"]).toBe(1);
    expect(await port.instanceHealth("orders-classic")).toEqual([
      { id: c(1), port: 0, state: "draining", reason: "Instance deregistration currently in progress." },
      { id: c(2), port: 0, state: "healthy" },
    ]);
    await port.deregisterInstances("orders-classic", [c(3)]);
    expect(account.callCounts()["ELB.DeregisterInstancesFromLoadBalancer"]).toBe(1);
    clock.advance(30);
    await port.registerInstances("orders-classic", [c(1)]);
    expect((await port.instanceHealth("orders-classic")).map((h) => `${h.id}:${h.state}`)).toEqual([`${c(1)}:unhealthy`, `${c(2)}:healthy`]);
    clock.advance(30);
    expect((await port.instanceHealth("orders-classic")).map((h) => `${h.id}:${h.state}`)).toEqual([`${c(1)}:healthy`, `${c(2)}:healthy`]);
  });
});
