import { describe, expect, it } from "vitest";
import { serverLockKey } from "../../functions/domain/fleet/run.js";
import { registry } from "../../functions/wiring.js";
import { ec2WorldOf } from "../../local/account/ec2/index.js";
import { elbWorldOf } from "../../local/account/elb/index.js";
import { loadServerScenario, openServerWorld, runServerScenario, type ServerWorld } from "../../local/simulate/server.js";
import { ALL_EVENTS, ok, viewOf, withInput } from "./server-traffic-support.js";

const c = (k: number) => `i-0c0000000000000c${k}`;
const view = viewOf("orders-classic");
const b = (k: number) => `i-0b0000000000000b${k}`;
const ec2States = (sw: ServerWorld) => Object.fromEntries(ec2WorldOf(sw.world.account).instances.map((i) => [i.id, ec2WorldOf(sw.world.account).stateOf(i)]));
/** orders-classic at `t`: every instance it lists, with its state (InService while deregistering is `draining`). */
const classicAt = (sw: ServerWorld, t: number) =>
  elbWorldOf(sw.world.account)
    .health("orders-classic", undefined, t)
    .map((h) => `${h.instanceId}:${h.description.includes("deregistration") ? "draining" : h.state}`)
    .sort()
    .join(" ");

describe("deploy-server behind a Classic Load Balancer (elbInfoList) on the local engine (events/server)", { timeout: 180_000 }, () => {
  it("OneAtATime on 3: each instance is deregistered, drains (connection draining), installs, is registered and InService again; the others keep serving", async () => {
    const w = await openServerWorld(loadServerScenario("one-at-a-time-classic-elb"));
    try {
      const r = await w.deploy(loadServerScenario("one-at-a-time-classic-elb").deployments[0]!);
      expect(r.status, ok(r)).toBe("SUCCEEDED");
      expect(r.commands).toEqual([[c(1)], [c(1)], [c(1)], [c(2)], [c(2)], [c(2)], [c(3)], [c(3)], [c(3)]]);
      for (const k of [1, 2, 3]) expect(r.events[c(k)], c(k)).toEqual(ALL_EVENTS);
      expect(r.batches.map((x) => x.instances)).toEqual([[c(1)], [c(2)], [c(3)]]);
      // batch 1 step by step: deregistered at 10 s, InService while draining; one look once the 30 s timeout is over
      // (gone); registered at 60 s, OutOfService, one look after 3 checks 10 s apart (InService)
      const [first, second, third] = r.batches;
      expect(first?.traffic.map((t) => view(t.atSeconds, t.state, t.targets))).toEqual([
        "10 BlockTraffic c1:deregistering c2:InService c3:InService",
        "40 CheckTraffic c2:InService c3:InService",
        "60 AllowTraffic c1:OutOfService c2:InService c3:InService",
        "90 CheckTraffic c1:InService c2:InService c3:InService",
      ]);
      // health after each step of every batch: the batch's instance alone is ever out, the others InService
      for (const [k, x] of [first, second, third].entries()) {
        const others = [1, 2, 3].filter((j) => j !== k + 1).map(c);
        for (const t of x?.traffic ?? []) for (const id of others) expect(t.targets["orders-classic"]?.[id], `${t.state} at ${t.atSeconds}: ${id}`).toBe("InService");
        expect(view(0, "end", x?.targets ?? {})).toBe("0 end c1:InService c2:InService c3:InService");
      }
      expect(w.revisions()).toEqual({ [c(1)]: "d-CLBONEAT1", [c(2)]: "d-CLBONEAT1", [c(3)]: "d-CLBONEAT1" });
      // no ELBv2 call: the classic API alone (a DescribeLoadBalancers before each deregistration: only registered instances leave)
      const calls = w.world.account.callCounts();
      expect(Object.keys(calls).filter((k) => k.startsWith("ELBv2."))).toEqual([]);
      expect([calls["ELB.DeregisterInstancesFromLoadBalancer"], calls["ELB.RegisterInstancesWithLoadBalancer"], calls["ELB.DescribeInstanceHealth"]]).toEqual([3, 3, 6]);
    } finally {
      await w.close();
    }
  });

  it("an instance that never passes the health checks fails AllowTraffic, is deregistered again and counts as failed: HalfAtATime goes on with batches of one", async () => {
    const { reports, revisions } = await runServerScenario(loadServerScenario("classic-elb-unhealthy"));
    const [r] = reports;
    expect(r?.status, ok(r)).toBe("SUCCEEDED");
    expect(r?.batches.map((x) => x.instances)).toEqual([[c(1), c(2)], [c(3)], [c(4)]]);
    expect(r?.events[c(2)]).toEqual([...ALL_EVENTS.slice(0, -2), "AllowTraffic:Failed"]);
    expect(r?.events[c(1)]).toEqual(ALL_EVENTS);
    const first = r?.batches[0];
    const t0 = first?.traffic[0]?.atSeconds ?? 0;
    const steps = first?.traffic.map((t) => view(t.atSeconds - t0, t.state, t.targets)) ?? [];
    expect(steps[0]).toBe("0 BlockTraffic c1:deregistering c2:deregistering c3:InService c4:InService");
    const allow = steps.findIndex((s) => s.includes("AllowTraffic"));
    expect(steps[allow]).toMatch(/ AllowTraffic c1:OutOfService c2:OutOfService c3:InService c4:InService$/);
    expect(steps[allow + 1]).toMatch(/ CheckTraffic c1:InService c2:OutOfService c3:InService c4:InService$/);
    // the hour's last look fails it and deregisters it: it drains, then is gone, and never comes back
    expect(steps.at(-1)).toMatch(/ CheckTraffic c1:InService c2:deregistering c3:InService c4:InService$/);
    expect((first?.traffic.at(-1)?.atSeconds ?? 0) - (first?.traffic[allow]?.atSeconds ?? 0)).toBe(3600);
    for (const x of r?.batches ?? []) expect(Object.keys(x.targets["orders-classic"] ?? {})).not.toContain(c(2));
    expect(r?.batches.at(-1)?.targets["orders-classic"]).toEqual({ [c(1)]: "InService", [c(3)]: "InService", [c(4)]: "InService" });
    expect(revisions).toEqual({ [c(1)]: "d-CLBUNHLT1", [c(2)]: "d-PREVIOUS1", [c(3)]: "d-CLBUNHLT1", [c(4)]: "d-CLBUNHLT1" });
  });

  it("behind a target group and a Classic Load Balancer at once (CodeDeploy takes both lists): each instance leaves both, drains in both, comes back healthy in both", async () => {
    const b = (k: number) => `i-0b0000000000000b${k}`;
    const base = loadServerScenario("one-at-a-time-target-group");
    const classic = { name: "orders-classic", healthCheck: { intervalSeconds: 10, healthyThreshold: 3, unhealthyThreshold: 2 }, connectionDraining: { enabled: true, timeoutSeconds: 45 }, instances: [1, 2, 3].map((k) => ({ id: b(k) })) };
    const both = withInput({ ...base, account: { ...base.account, classicLoadBalancers: [classic] } }, { classicLoadBalancers: ["orders-classic"] });
    const [r] = (await runServerScenario(both)).reports;
    expect(r?.status, ok(r)).toBe("SUCCEEDED");
    for (const k of [1, 2, 3]) expect(r?.events[b(k)], b(k)).toEqual(ALL_EVENTS);
    const tg = viewOf("orders-web");
    // one look per event, timed by the longer of the two waits: draining 45 s (classic) over 30 s, InService after 30 s over healthy after 20 s
    expect(r?.batches[0]?.traffic.map((t) => `${view(t.atSeconds, t.state, t.targets)} | ${tg(t.atSeconds, t.state, t.targets).split(" ").slice(2).join(" ")}`)).toEqual([
      "10 BlockTraffic b1:deregistering b2:InService b3:InService | b1:draining b2:healthy b3:healthy",
      "55 CheckTraffic b2:InService b3:InService | b2:healthy b3:healthy",
      "75 AllowTraffic b1:OutOfService b2:InService b3:InService | b1:initial b2:healthy b3:healthy",
      "105 CheckTraffic b1:InService b2:InService b3:InService | b1:healthy b2:healthy b3:healthy",
    ]);
    for (const x of r?.batches ?? []) expect([x.targets["orders-classic"], x.targets["orders-web"]]).toEqual([Object.fromEntries([1, 2, 3].map((k) => [b(k), "InService"])), Object.fromEntries([1, 2, 3].map((k) => [b(k), "healthy"]))]);
  });

  it("blue-green-classic-elb: green installs one at a time, is registered with orders-classic and InService before the originals leave it and drain; TERMINATE after the wait", async () => {
    const scenario = loadServerScenario("blue-green-classic-elb");
    const w = await openServerWorld(scenario);
    try {
      const r = await w.deploy(scenario.deployments[0]!);
      expect(r.status, ok(r)).toBe("SUCCEEDED");
      expect(r.batches.map((x) => x.instances)).toEqual([[c(1)], [c(2)], [c(1), c(2)], [b(1), b(2)]]);
      const [first, , allow, block] = r.batches;
      // the install leaves the originals serving; AllowTraffic: green OutOfService (registered) at 50 s, InService at the first look (3 checks 10 s apart)
      expect(first?.targets["orders-classic"]).toEqual({ [b(1)]: "InService", [b(2)]: "InService" });
      expect(allow?.traffic.map((t) => [t.state, t.atSeconds, t.targets["orders-classic"]?.[c(1)], t.targets["orders-classic"]?.[b(1)]])).toEqual([
        ["AllowTraffic", 50, "OutOfService", "InService"],
        ["CheckTraffic", 80, "InService", "InService"],
      ]);
      // BlockTraffic: the originals deregistering (connection draining 30 s), gone at the first look; green serving throughout
      expect(block?.traffic.map((t) => [t.state, t.atSeconds, t.targets["orders-classic"]?.[b(1)], t.targets["orders-classic"]?.[c(1)]])).toEqual([
        ["BlockTraffic", 100, "deregistering", "InService"],
        ["CheckTraffic", 130, undefined, "InService"],
      ]);
      expect(w.revisions()).toMatchObject({ [c(1)]: "d-BGCLASSIC", [c(2)]: "d-BGCLASSIC", [b(1)]: "d-PREVIOUS1" });
      // TERMINATE after 5 minutes: the originals terminated, green serving
      expect(r.stats.simulatedSeconds).toBeGreaterThanOrEqual(140 + 300);
      expect(ec2States(w)).toMatchObject({ [c(1)]: "running", [c(2)]: "running" });
      expect([ec2States(w)[b(1)], ec2States(w)[b(2)]]).not.toContain("running");
      expect(classicAt(w, r.stats.simulatedSeconds)).toBe(`${c(1)}:InService ${c(2)}:InService`);
    } finally {
      await w.close();
    }
  });

  it("blue-green-classic-elb stopped in the termination wait: the rollback's restore registers the originals with orders-classic (their hooks) and waits for InService, then green's block deregisters it; never neither fleet, nothing terminated", async () => {
    const scenario = loadServerScenario("blue-green-classic-elb");
    const w = await openServerWorld(scenario);
    try {
      w.world.account.applyTimeline([{ atSeconds: 300, action: "stop", input: { deploymentId: "d-BGCLASSIC" } }]);
      const r = await w.deploy(scenario.deployments[0]!);
      expect(r.status).toBe("FAILED");
      await w.world.account.settled();
      // green installs one at a time, takes traffic together; the originals leave; then the rollback: restore, block
      expect(r.batches.map((x) => x.instances)).toEqual([[c(1)], [c(2)], [c(1), c(2)], [b(1), b(2)], [b(1), b(2)], [c(1), c(2)]]);
      // BeforeAllowTraffic on the originals first (green alone serves), then registered and health-checked
      expect(classicAt(w, 305)).toBe(`${c(1)}:InService ${c(2)}:InService`);
      expect(classicAt(w, 310)).toBe(`${b(1)}:OutOfService ${b(2)}:OutOfService ${c(1)}:InService ${c(2)}:InService`);
      // both fleets serve until AfterAllowTraffic and green's BeforeBlockTraffic are done, then green drains for 30 s
      expect(classicAt(w, 340)).toBe(`${b(1)}:InService ${b(2)}:InService ${c(1)}:InService ${c(2)}:InService`);
      expect(classicAt(w, 360)).toBe(`${b(1)}:InService ${b(2)}:InService ${c(1)}:draining ${c(2)}:draining`);
      expect(classicAt(w, r.stats.simulatedSeconds)).toBe(`${b(1)}:InService ${b(2)}:InService`);
      expect(Object.values(ec2States(w))).toEqual(["running", "running", "running", "running"]);
      await w.world.within(async () => {
        const record = await registry().getDeployment("d-BGCLASSIC");
        expect(record?.status).toBe("Stopped");
        expect(record?.rollbackInfo?.rollbackMessage).toBe("rolled back: the 2 original instance(s) through AllowTraffic; the 2 replacement instance(s) through BlockTraffic; the replacement instances left running");
      });
    } finally {
      await w.close();
    }
  });

  it("blue-green-classic-elb aborted in the termination wait: the janitor registers the originals with orders-classic again and deregisters green at once (no hooks); nothing terminated", async () => {
    const scenario = loadServerScenario("blue-green-classic-elb");
    const w = await openServerWorld(scenario);
    try {
      w.world.account.applyTimeline([{ atSeconds: 300, action: "abort", input: { deploymentId: "d-BGCLASSIC" } }]);
      const r = await w.deploy(scenario.deployments[0]!);
      expect(r.status).toBe("ABORTED");
      await w.world.account.settled();
      expect(classicAt(w, 300)).toBe(`${b(1)}:OutOfService ${b(2)}:OutOfService ${c(1)}:draining ${c(2)}:draining`);
      // 3 health checks 10 s apart: the originals InService again, green gone after its 30 s of draining
      expect(classicAt(w, 335)).toBe(`${b(1)}:InService ${b(2)}:InService`);
      expect(Object.values(ec2States(w))).toEqual(["running", "running", "running", "running"]);
      await w.world.within(async () => expect((await registry().getDeployment("d-BGCLASSIC"))?.status).toBe("Stopped"));
    } finally {
      await w.close();
    }
  });

  it("Start refuses an unknown Classic Load Balancer before any instance is touched, naming it as AWS does", async () => {
    const base = loadServerScenario("one-at-a-time-classic-elb");
    const w = await openServerWorld(base);
    try {
      const r = await w.deploy(withInput(base, { classicLoadBalancers: ["orders-gone"] }).deployments[0]!);
      expect([r.status, r.error]).toEqual(["FAILED", "Deploy.ResourceNotFound"]);
      expect(r.cause).toContain("There is no ACTIVE Load Balancer named 'orders-gone'");
      expect(r.commands).toEqual([]);
      await w.world.within(async () => expect(await registry().getLock({ lockKey: serverLockKey("orders", "prod") })).toBeUndefined());
    } finally {
      await w.close();
    }
  });

  it("Start refuses on-premises mi- nodes behind a Classic Load Balancer (RegisterInstancesWithLoadBalancer would answer InvalidInstance)", async () => {
    const base = loadServerScenario("one-at-a-time-classic-elb");
    const ssm = base.account.ssm as { instances: Record<string, unknown>[] };
    const mixed = ssm.instances.map((i, k) => (k === 0 ? i : { ...i, id: `mi-0123456789abcdef${k}` }));
    const r = (await runServerScenario({ ...base, account: { ...base.account, ssm: { instances: mixed } } })).reports[0];
    expect([r?.status, r?.error]).toEqual(["FAILED", "Deploy.UnsupportedTrafficConfig"]);
    expect(r?.cause).toContain("on-premises nodes cannot be targets of orders-classic");
    expect(r?.commands).toEqual([]);
  });

  it("classic-elb-rollback: v2 fails ValidateService on c2 (left deregistered); the rollback reinstalls v1 on c1 and c2 behind the same load balancer and registers them again", async () => {
    const r = (k: number) => `i-0b0000000000000c${k}`;
    const scenario = loadServerScenario("classic-elb-rollback");
    const w = await openServerWorld(scenario);
    try {
      const lb = (x: { batches: { targets: Record<string, Record<string, string>> }[] }) => x.batches.at(-1)?.targets["orders-classic"];
      expect((await w.deploy(scenario.deployments[0]!)).status).toBe("SUCCEEDED");
      const failed = await w.deploy(scenario.deployments[1]!);
      expect([failed.status, failed.error]).toEqual(["FAILED", "Deploy.HealthConstraints"]);
      expect(failed.events[r(2)]?.at(-1)).toBe("ValidateService:Failed:ScriptFailed");
      expect(lb(failed)).toEqual({ [r(1)]: "InService", [r(3)]: "InService" });
      const rollbackId = await w.world.within(async () => (await registry().getDeployment("d-CLBRFAIL2"))?.rollbackInfo?.rollbackDeploymentId as string);
      const rolled = await w.follow(rollbackId);
      expect(rolled.status, ok(rolled)).toBe("SUCCEEDED");
      // the registry recorded c2 as failed, so the rollback reinstalls it first (CodeDeploy orders unhealthy instances first)
      expect(rolled.batches.map((x) => x.instances)).toEqual([[r(2)], [r(1)]]);
      // c2 was already out: it is not deregistered again (the adapter deregisters only registered instances), then registered and InService
      expect(rolled.batches[0]?.traffic.map((t) => t.targets["orders-classic"]?.[r(2)])).toEqual([undefined, undefined, "OutOfService", "InService"]);
      expect(lb(rolled)).toEqual({ [r(1)]: "InService", [r(2)]: "InService", [r(3)]: "InService" });
      expect(w.revisions()).toEqual({ [r(1)]: rollbackId, [r(2)]: rollbackId, [r(3)]: "d-CLBRBASE1" });
    } finally {
      await w.close();
    }
  });
});
