import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { judgeTraffic, TRAFFIC_TIMEOUT_SECONDS, type TargetReading, type TrafficEvent, trafficWait } from "../../../functions/domain/fleet/traffic.js";
import { createHandler as check } from "../../../functions/handlers/checkServerTraffic.js";
import { createHandler as move } from "../../../functions/handlers/moveServerTraffic.js";
import type { DeploymentContext } from "../../../functions/services/server/state.js";
import type { FakeLoadBalancer } from "../../support/fakes/load-balancer.js";
import { fakeWorld } from "../../support/fakes/index.js";

const WEB = { arn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef", name: "web" };
const API = { arn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/fedcba9876543210", name: "api" };
const at = (targets: Record<string, string>): TargetReading[] => Object.entries(targets).map(([id, state]) => ({ id, state, ...(state === "unhealthy" ? { reason: "Target.ResponseCodeMismatch" } : {}) }));

describe("judgeTraffic: where each instance stands in BlockTraffic and AllowTraffic", () => {
  it.each([
    { label: "block: still draining waits", event: "BlockTraffic", web: { a: "draining" }, elapsed: 10, passed: [], waiting: ["a"] },
    { label: "block: gone from every group passes", event: "BlockTraffic", web: {}, api: {}, elapsed: 10, passed: ["a"], waiting: [] },
    { label: "block: gone from one group, draining in the other", event: "BlockTraffic", web: {}, api: { a: "draining" }, elapsed: 10, passed: [], waiting: ["a"] },
    { label: "allow: initial waits", event: "AllowTraffic", web: { a: "initial" }, elapsed: 10, passed: [], waiting: ["a"] },
    { label: "allow: healthy in one group only waits", event: "AllowTraffic", web: { a: "healthy" }, api: { a: "initial" }, elapsed: 10, passed: [], waiting: ["a"] },
    { label: "allow: healthy everywhere passes", event: "AllowTraffic", web: { a: "healthy" }, api: { a: "healthy" }, elapsed: 10, passed: ["a"], waiting: [] },
    { label: "allow: unhealthy keeps waiting before the timeout (health checks go on)", event: "AllowTraffic", web: { a: "unhealthy" }, elapsed: 3599, passed: [], waiting: ["a"] },
    { label: "allow: unused (no listener forwards to the group) waits", event: "AllowTraffic", web: { a: "unused" }, elapsed: 10, passed: [], waiting: ["a"] },
  ] as { label: string; event: TrafficEvent; web: Record<string, string>; api?: Record<string, string>; elapsed: number; passed: string[]; waiting: string[] }[])("$label", ({ event, web, api, elapsed, passed, waiting }) => {
    const readings = [{ targetGroup: WEB, targets: at(web) }, ...(api ? [{ targetGroup: API, targets: at(api) }] : [])];
    expect(judgeTraffic(event, ["a"], readings, elapsed)).toEqual({ passed, waiting, failed: [] });
  });

  it("at the timeout the instances not through fail, with the target group and the state in the message", () => {
    const readings = [{ targetGroup: WEB, targets: at({ a: "healthy", b: "unhealthy" }) }];
    expect(judgeTraffic("AllowTraffic", ["a", "b", "c"], readings, TRAFFIC_TIMEOUT_SECONDS)).toEqual({
      passed: ["a"],
      waiting: [],
      failed: [
        { instanceId: "b", message: "The instance did not pass the health checks of target group web within 3600 seconds of being registered: its state is unhealthy (Target.ResponseCodeMismatch)" },
        { instanceId: "c", message: "The instance did not pass the health checks of target group web within 3600 seconds of being registered: its state is not registered" },
      ],
    });
    expect(judgeTraffic("BlockTraffic", ["a"], [{ targetGroup: WEB, targets: at({ a: "draining" }) }], 3600).failed).toEqual([
      { instanceId: "a", message: "The instance was not deregistered from target group web within 3600 seconds: it is still draining" },
    ]);
    // a Classic Load Balancer (elbInfoList) is named as one, with DescribeInstanceHealth's description
    const classic = { arn: "orders-classic", name: "orders-classic", classic: true };
    expect(judgeTraffic("AllowTraffic", ["a"], [{ targetGroup: WEB, targets: at({ a: "healthy" }) }, { targetGroup: classic, targets: [{ id: "a", state: "unhealthy", reason: "Instance has failed at least the UnhealthyThreshold number of health checks consecutively." }] }], 3600).failed).toEqual([
      { instanceId: "a", message: "The instance did not pass the health checks of Classic Load Balancer orders-classic within 3600 seconds of being registered: its state is unhealthy (Instance has failed at least the UnhealthyThreshold number of health checks consecutively.)" },
    ]);
  });

  const STATES = ["initial", "healthy", "unhealthy", "unused", "draining"];
  const ids = ["i-1", "i-2", "i-3", "i-4"];
  const group = fc.dictionary(fc.constantFrom(...ids), fc.constantFrom(...STATES)).map(at);

  it("every instance lands in exactly one of passed, waiting, failed, in the given order; failures only at the timeout, waiting only before it", () => {
    fc.assert(
      fc.property(fc.constantFrom<TrafficEvent>("BlockTraffic", "AllowTraffic"), fc.subarray(ids), group, group, fc.integer({ min: 0, max: 2 * TRAFFIC_TIMEOUT_SECONDS }), (event, instances, web, api, elapsed) => {
        const v = judgeTraffic(event, instances, [{ targetGroup: WEB, targets: web }, { targetGroup: API, targets: api }], elapsed);
        const all = [...v.passed, ...v.waiting, ...v.failed.map((f) => f.instanceId)];
        expect([...all].sort()).toEqual([...instances].sort());
        expect(v.passed).toEqual(instances.filter((i) => v.passed.includes(i)));
        if (elapsed < TRAFFIC_TIMEOUT_SECONDS) expect(v.failed).toEqual([]);
        else expect(v.waiting).toEqual([]);
        // passed: listed nowhere (BlockTraffic), healthy everywhere (AllowTraffic)
        for (const id of v.passed) {
          for (const g of [web, api]) {
            const r = g.find((t) => t.id === id);
            if (event === "BlockTraffic") expect(r).toBeUndefined();
            else expect(r?.state).toBe("healthy");
          }
        }
      }),
    );
  });
});

describe("trafficWait: when to look at the target groups again", () => {
  const groups = [
    { ...WEB, drainSeconds: 300, healthySeconds: 150 },
    { ...API, drainSeconds: 30, healthySeconds: 20 },
  ];
  it.each([
    { label: "block, first look: the longest deregistration delay", event: "BlockTraffic", first: true, elapsed: 0, want: 300 },
    { label: "allow, first look: the longest time to healthy", event: "AllowTraffic", first: true, elapsed: 0, want: 150 },
    { label: "later looks: every pollSeconds", event: "AllowTraffic", first: false, elapsed: 150, want: 15 },
    { label: "never past the timeout", event: "AllowTraffic", first: false, elapsed: 3590, want: 10 },
    { label: "at least 1 s", event: "BlockTraffic", first: false, elapsed: 3600, want: 1 },
  ] as { label: string; event: TrafficEvent; first: boolean; elapsed: number; want: number }[])("$label", ({ event, first, elapsed, want }) => {
    expect(trafficWait(event, groups, { first, elapsedSeconds: elapsed, pollSeconds: 15 })).toBe(want);
  });

  it("a group without its timings (an older input) is looked at every pollSeconds; a zero delay still waits 1 s", () => {
    expect(trafficWait("BlockTraffic", [WEB], { first: true, elapsedSeconds: 0, pollSeconds: 15 })).toBe(15);
    expect(trafficWait("BlockTraffic", [{ ...WEB, drainSeconds: 0 }], { first: true, elapsedSeconds: 0, pollSeconds: 15 })).toBe(1);
  });
});

describe("moveServerTraffic and checkServerTraffic over fake ports", () => {
  const deployment = { deploymentId: "d-TRAFFIC01", pollSeconds: 15, targetGroups: [{ ...WEB, drainSeconds: 300, healthySeconds: 150 }, API] } as unknown as DeploymentContext;
  const outcomes = [
    { instanceId: "i-1", status: "Succeeded" as const },
    { instanceId: "i-2", status: "Failed" as const, event: "BeforeBlockTraffic", errorCode: "ScriptFailed", message: "exit 1" },
    { instanceId: "i-3", status: "Succeeded" as const },
  ];

  it("BlockTraffic deregisters only the instances still succeeding, from every group; done once none is listed", async () => {
    const w = fakeWorld();
    const lb = w.deps.loadBalancer as FakeLoadBalancer;
    const step = await move(w.deps)({ deployment, event: "BlockTraffic", outcomes });
    expect(lb.registrations).toEqual([`-${WEB.arn} i-1,i-3`, `-${API.arn} i-1,i-3`]);
    expect(step).toMatchObject({ event: "BlockTraffic", instances: ["i-1", "i-3"], left: 2, done: false, nextSegment: 1, failed: [outcomes[1]], waitSeconds: 300 });
    lb.health.set(WEB.arn, [{ id: "i-3", port: 80, state: "draining" }]);
    w.advance(30);
    expect(await check(w.deps)({ deployment, traffic: step })).toMatchObject({ done: false, instances: ["i-1", "i-3"], waitSeconds: 15 });
    lb.health.set(WEB.arn, []);
    expect(await check(w.deps)({ deployment, traffic: step })).toMatchObject({ done: true, instances: ["i-1", "i-3"], left: 2 });
  });

  it("AllowTraffic: an instance not healthy at the timeout fails the event and is deregistered again; the rest go on", async () => {
    const w = fakeWorld();
    const lb = w.deps.loadBalancer as FakeLoadBalancer;
    const step = await move(w.deps)({ deployment, event: "AllowTraffic", outcomes });
    expect(lb.registrations).toEqual([`+${WEB.arn} i-1,i-3`, `+${API.arn} i-1,i-3`]);
    for (const tg of [WEB, API]) lb.health.set(tg.arn, [{ id: "i-1", port: 80, state: "healthy" }, { id: "i-3", port: 80, state: "unhealthy" }]);
    w.advance(TRAFFIC_TIMEOUT_SECONDS);
    const out = await check(w.deps)({ deployment, traffic: step });
    expect(out).toMatchObject({ done: true, instances: ["i-1"], left: 1, nextSegment: 2 });
    expect(out.failed.map((f) => [f.instanceId, f.event])).toEqual([["i-2", "BeforeBlockTraffic"], ["i-3", "AllowTraffic"]]);
    expect(lb.registrations.slice(2)).toEqual([`-${WEB.arn} i-3`, `-${API.arn} i-3`]);
  });

  it("a batch whose instances all failed moves nothing and is done", async () => {
    const w = fakeWorld();
    const step = await move(w.deps)({ deployment, event: "BlockTraffic", outcomes: [outcomes[1]!] });
    expect(step).toMatchObject({ left: 0, done: true, instances: [] });
    expect((w.deps.loadBalancer as FakeLoadBalancer).registrations).toEqual([]);
  });
});
