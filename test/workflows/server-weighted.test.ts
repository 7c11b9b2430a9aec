import { afterEach, describe, expect, it } from "vitest";
import { registry } from "../../functions/wiring.js";
import { elbv2WorldOf } from "../../local/account/elbv2/index.js";
import { loadServerScenario, openServerWorld, type ServerRunReport, type ServerWorld, type TargetsView } from "../../local/simulate/server.js";

/**
 * EC2 blue/green rerouted in weighted steps on a listener (events/server/blue-green-weighted-canary.json, docs/ec2.md#weighted)
 * on the real ASL and the simulated SSM and ELBv2: the listener's weights after each step, the target groups after
 * each batch, and an alarm mid-shift that puts the listener back on blue.
 */
let w: ServerWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const b = (k: number) => `i-0b0000000000000b${k}`;
const g = (k: number) => `i-0c0000000000000c${k}`;
const ok = (r: ServerRunReport | undefined) => `${r?.status} ${r?.error ?? ""}: ${r?.cause ?? ""}`;
const view = (targets: TargetsView, tg: string) =>
  Object.entries(targets[tg] ?? {})
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([id, s]) => `${id}:${s}`)
    .join(" ");
/** Every write of the listener's forward action: when, and the weights. */
const forwards = (sw: ServerWorld) => elbv2WorldOf(sw.world.account).forwardHistory.map((c) => ({ at: c.atSeconds, weights: c.weights, operation: c.operation }));
const events = (sw: ServerWorld) => sw.world.account.events.map((e) => e.detail as { state: string; rollback: boolean; error?: string });

/** A target group's targets and their ELBv2 health at `at` simulated seconds (default now), sorted: "id:state id:state". */
const healthOf = (sw: ServerWorld, name: string, at = sw.world.clock.elapsedSeconds()) => {
  const elb = elbv2WorldOf(sw.world.account);
  return [...elb.targetGroups.values()]
    .filter((t) => t.name === name)
    .flatMap((t) => elb.health(t.arn, at).map(({ target, health: h }) => `${target.id}:${h.state}`))
    .sort()
    .join(" ");
};

/** When the 10% step lands in the scenario (a run of its own, once). */
let tenPercentSeconds: number | undefined;
async function tenPercentAt(): Promise<number> {
  if (tenPercentSeconds !== undefined) return tenPercentSeconds;
  const base = loadServerScenario("blue-green-weighted-canary");
  const probe = await openServerWorld(base);
  await probe.deploy(base.deployments[0]!);
  tenPercentSeconds = forwards(probe).find((c) => c.weights["orders-green"] === 10)?.at ?? 0;
  await probe.close();
  return tenPercentSeconds;
}

describe("deploy-server blue/green with weighted listener steps (events/server/blue-green-weighted-canary.json)", { timeout: 240_000 }, () => {
  it("ECSCanary10Percent5Minutes: green joins orders-green, the listener holds 90/10 for 5 minutes then 0/100, then the originals leave orders-blue", async () => {
    const scenario = loadServerScenario("blue-green-weighted-canary");
    w = await openServerWorld(scenario);
    const r = await w.deploy(scenario.deployments[0]!);
    expect(r.status, ok(r)).toBe("SUCCEEDED");
    expect(r.batches.map((x) => x.instances)).toEqual([[g(1)], [g(2)], [g(1), g(2)], [b(1), b(2)]]);
    const [, , allow, block] = r.batches;
    // AllowTraffic registers green in the green group only; the listener still sends everything to blue
    expect(view(allow?.targets ?? {}, "orders-green")).toBe(`${g(1)}:healthy ${g(2)}:healthy`);
    expect(view(allow?.targets ?? {}, "orders-blue")).toBe(`${b(1)}:healthy ${b(2)}:healthy`);
    // the listener: green joins at weight 0 when AllowTraffic starts (so it is health-checked), then 10% on green, 5 minutes of bake, then 100%
    const [join, ten, all] = forwards(w).filter((c) => c.operation === "ModifyListener");
    expect([join, ten, all].map((c) => c?.weights)).toEqual([
      { "orders-blue": 100, "orders-green": 0 },
      { "orders-blue": 90, "orders-green": 10 },
      { "orders-blue": 0, "orders-green": 100 },
    ]);
    expect(join?.at).toBe(allow?.traffic[0]?.atSeconds);
    expect(ten?.at).toBeGreaterThanOrEqual(allow?.endedAtSeconds ?? Number.POSITIVE_INFINITY);
    expect((all?.at ?? 0) - (ten?.at ?? 0)).toBe(300);
    expect(block?.traffic[0]?.atSeconds).toBeGreaterThanOrEqual(all?.at ?? Number.POSITIVE_INFINITY);
    // BlockTraffic drained the originals out of blue only; KEEP_ALIVE leaves them running
    expect(view(block?.targets ?? {}, "orders-blue")).toBe("");
    expect(view(block?.targets ?? {}, "orders-green")).toBe(`${g(1)}:healthy ${g(2)}:healthy`);
    expect(w.revisions()).toMatchObject({ [g(1)]: "d-BGWEIGHT1", [g(2)]: "d-BGWEIGHT1" });
    expect(events(w).map((e) => e.state)).toEqual(["START", "SUCCESS"]);
  });

  it.each([
    ["green forwarded to by another load balancer's listener", { loadBalancers: "billing" }, "targetGroups: orders-green, the green target group of orders/prod, belongs to load balancer billing, not orders whose listener is blueGreen.trafficRouting.prodTrafficRoute"],
    ["green of target type ip", { greenType: "ip" }, "ELASTIC_LOAD_BALANCING_INVALID: target group orders-green has target type ip"],
  ])("Start refuses %s before anything moves: no command, no listener write, the lock free", async (_label, change, cause) => {
    const base = loadServerScenario("blue-green-weighted-canary");
    const account = structuredClone(base.account) as { targetGroups: { name: string; targetType: string }[]; loadBalancers: unknown[] };
    if ("greenType" in change) for (const t of account.targetGroups) if (t.name === "orders-green") t.targetType = change.greenType;
    if ("loadBalancers" in change) account.loadBalancers.push({ name: change.loadBalancers, type: "application", id: "0a0b0c0d0e0f9999", listeners: [{ port: 80, protocol: "HTTP", forward: "orders-green", id: "1213141516179999" }] });
    w = await openServerWorld({ ...base, account } as typeof base);
    const r = await w.deploy(base.deployments[0]!);
    expect([r.status, r.error]).toEqual(["FAILED", "Deploy.UnsupportedTrafficConfig"]);
    expect(r.cause).toContain(cause);
    expect(r.commands).toEqual([]);
    expect(forwards(w).filter((c) => c.operation !== "setup")).toEqual([]);
    await w.world.within(async () => {
      expect(await registry().getDeployment("d-BGWEIGHT1")).toMatchObject({ status: "Failed", errorName: "Deploy.UnsupportedTrafficConfig" });
      expect(await registry().getLock({ lockKey: "codedeploy:deploymentgroup:orders/prod" })).toBeUndefined();
    });
  });

  it("an alarm during the 10% bake: at once (no poll), the listener back to 100% blue, then the originals' restore hooks, then green out of orders-green", async () => {
    const base = loadServerScenario("blue-green-weighted-canary");
    const scenario = { ...base, account: { ...base.account, alarms: [{ name: "orders-5xx", state: "OK" }] } } as typeof base;
    w = await openServerWorld(scenario);
    const d = base.deployments[0]!;
    // the 10% step lands after the install and AllowTraffic (about 100 s in); the alarm fires 2 minutes into its bake
    const tenPercent = await tenPercentAt();
    w.world.account.applyTimeline([{ atSeconds: tenPercent + 120, alarm: "orders-5xx", state: "ALARM", reason: "Threshold Crossed" }]);
    const r = await w.deploy({ ...d, input: { ...d.input, alarms: ["orders-5xx"] } });
    expect([r.status, r.error]).toEqual(["FAILED", "Deploy.AlarmTriggered"]);
    const writes = forwards(w).filter((c) => c.operation === "ModifyListener");
    expect(writes.map((c) => c.weights)).toEqual([
      { "orders-blue": 100, "orders-green": 0 },
      { "orders-blue": 90, "orders-green": 10 },
      { "orders-blue": 100, "orders-green": 0 },
    ]);
    // The listener goes back to blue first, in the alarm's second; then the originals' restore hooks (in blue only),
    // then green's block hooks and drain (out of orders-green only).
    expect(writes[2]?.at).toBe(tenPercent + 120);
    expect(r.batches.map((x) => x.instances)).toEqual([[g(1)], [g(2)], [g(1), g(2)], [b(1), b(2)], [g(1), g(2)]]);
    expect(r.batches[3]?.traffic.map((t) => `${t.state} ${view(t.targets, "orders-blue")} | ${view(t.targets, "orders-green")}`)[0]).toBe(`AllowTraffic ${b(1)}:healthy ${b(2)}:healthy | ${g(1)}:healthy ${g(2)}:healthy`);
    expect(r.batches[4]?.traffic[0]?.targets["orders-blue"]).toEqual({ [b(1)]: "healthy", [b(2)]: "healthy" });
    expect(r.stats.simulatedSeconds - (tenPercent + 120)).toBe(90);
    expect(healthOf(w, "orders-blue")).toBe(`${b(1)}:healthy ${b(2)}:healthy`);
    expect(healthOf(w, "orders-green")).toBe("");
    expect(events(w).map((e) => `${e.state} ${e.rollback}`)).toEqual(["START false", "STOP true"]);
    await w.world.within(async () => {
      const record = await registry().getDeployment("d-BGWEIGHT1");
      expect(record).toMatchObject({ status: "Stopped", errorName: "Deploy.AlarmTriggered" });
      expect(record?.rollbackInfo?.rollbackMessage).toContain("back to 100% on blue");
    });
  });

  it.each([
    ["alarm events (the default): the bake ends the second the alarm fires", {}, 165],
    ["alarmMonitoring polling every 10 s: at the next read", { alarmMonitoring: "polling", alarmPollSeconds: 10 }, 170],
  ])("events/server/blue-green-weighted-linear-alarm.json, %s; the listener back to 100% blue, the originals serving", async (_label, watch, stoppedAt) => {
    const scenario = loadServerScenario("blue-green-weighted-linear-alarm");
    const d = structuredClone(scenario.deployments[0]!) as { input: { blueGreen: { trafficRouting: Record<string, unknown> } } } & (typeof scenario.deployments)[number];
    Object.assign(d.input.blueGreen.trafficRouting, watch);
    w = await openServerWorld(scenario);
    const r = await w.deploy(d);
    expect([r.status, r.error]).toEqual(["FAILED", "Deploy.AlarmTriggered"]);
    // ECSLinear10PercentEvery1Minutes: 10% at 80 s, 20% at 140 s; orders-5xx fires at 165 s, 25 s into the second bake
    expect(forwards(w).filter((c) => c.operation === "ModifyListener").map((c) => [c.at, c.weights["orders-green"]])).toEqual([
      [50, 0],
      [80, 10],
      [140, 20],
      [stoppedAt, 0],
    ]);
    // then the rollback's batches: the originals' restore hooks (in blue), green's block hooks and drain, 90 s in all
    expect(r.stats.simulatedSeconds - stoppedAt).toBe(90);
    expect(healthOf(w, "orders-blue")).toBe(`${b(1)}:healthy ${b(2)}:healthy`);
    expect(healthOf(w, "orders-green")).toBe("");
    expect(events(w).map((e) => `${e.state} ${e.rollback}`)).toEqual(["START false", "STOP true"]);
  });

  it("a metric gate during the bakes (a bake watcher, as Lambda's and ECS's): green's 5xx over the threshold during the 10% canary bake fails it, the listener back on blue", async () => {
    const scenario = loadServerScenario("blue-green-weighted-linear-alarm");
    const series = { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", dimensions: { TargetGroup: "orders-green" } };
    const account = { ...scenario.account, metrics: [{ ...series, datapoints: [{ atSeconds: 100, value: 0 }, { atSeconds: 150, value: 0 }, { atSeconds: 200, value: 40 }] }] };
    const d = structuredClone(scenario.deployments[0]!) as { input: { alarms: string[]; blueGreen: { trafficRouting: Record<string, unknown> } }; timeline?: unknown[] } & (typeof scenario.deployments)[number];
    d.input.alarms = [];
    delete d.timeline;
    d.input.blueGreen.trafficRouting.deploymentConfig = "CodeDeployDefault.ECSCanary10Percent5Minutes";
    d.input.blueGreen.trafficRouting.metricGates = [{ name: "green-5xx", metric: { ...series, stat: "Sum" }, threshold: 5, comparison: "GreaterThanThreshold", intervalSeconds: 60, failureLimit: 1, noData: "continue" }];
    w = await openServerWorld({ ...scenario, account } as typeof scenario);
    const r = await w.deploy(d);
    expect([r.status, r.error], r.cause).toEqual(["FAILED", "Deploy.MetricGateFailed"]);
    expect(r.cause).toContain("green-5xx");
    const writes = forwards(w).filter((c) => c.operation === "ModifyListener").map((c) => c.weights["orders-green"]);
    expect(writes).toEqual([0, 10, 0]);
    // read every 60 s from the bake's start (80 s): the spike at 200 s is in the window read at 260 s, when the
    // listener goes back to blue; the rollback's restore and block batches end 90 s later
    expect(forwards(w).filter((c) => c.operation === "ModifyListener").at(-1)?.at).toBe(260);
    expect(r.stats.simulatedSeconds).toBe(350);
  });

  it("the janitor of an execution aborted mid-shift: the listener back to 100% blue, green out of orders-green, the originals serving", async () => {
    const scenario = loadServerScenario("blue-green-weighted-canary");
    const tenPercent = await tenPercentAt();
    w = await openServerWorld(scenario);
    w.world.account.applyTimeline([{ atSeconds: tenPercent + 60, action: "abort", input: { deploymentId: "d-BGWEIGHT1" } }]);
    const r = await w.deploy(scenario.deployments[0]!);
    expect(r.status).toBe("ABORTED");
    await w.world.account.settled();
    expect(forwards(w).filter((c) => c.operation === "ModifyListener").map((c) => c.weights)).toEqual([
      { "orders-blue": 100, "orders-green": 0 },
      { "orders-blue": 90, "orders-green": 10 },
      { "orders-blue": 100, "orders-green": 0 },
    ]);
    expect(healthOf(w, "orders-blue")).toBe(`${b(1)}:healthy ${b(2)}:healthy`);
    expect(healthOf(w, "orders-green")).toBe(`${g(1)}:draining ${g(2)}:draining`);
  });

  it("a stop in the termination wait, after 100% on green: the originals restored in blue, then the listener back to 100% blue, then green out, nothing terminated", async () => {
    const base = loadServerScenario("blue-green-weighted-canary");
    const tenPercent = await tenPercentAt();
    w = await openServerWorld(base);
    const d = base.deployments[0]!;
    const blueGreen = { ...(d.input.blueGreen as Record<string, unknown>), terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: 30 } };
    // 100% at tenPercent + 300 s, the originals drained out of blue about a minute later: stop 10 minutes after 100%
    w.world.account.applyTimeline([{ atSeconds: tenPercent + 900, action: "stop", input: { deploymentId: "d-BGWEIGHT1" } }]);
    const r = await w.deploy({ ...d, input: { ...d.input, blueGreen } });
    expect([r.status, r.error]).toEqual(["FAILED", "Deploy.Stopped"]);
    expect(r.batches.map((x) => x.instances)).toEqual([[g(1)], [g(2)], [g(1), g(2)], [b(1), b(2)], [b(1), b(2)], [g(1), g(2)]]);
    expect(view(r.batches[3]?.targets ?? {}, "orders-blue")).toBe("");
    const writes = forwards(w).filter((c) => c.operation === "ModifyListener");
    expect(writes.map((c) => c.weights)).toEqual([
      { "orders-blue": 100, "orders-green": 0 },
      { "orders-blue": 90, "orders-green": 10 },
      { "orders-blue": 0, "orders-green": 100 },
      { "orders-blue": 100, "orders-green": 0 },
    ]);
    // The originals had left blue: they are restored there (hooks, registered, healthy) while green still takes 100%;
    // only then the listener goes back to blue, and green drains out of its group.
    const restore = r.batches[4]!;
    expect(view(restore.targets, "orders-blue")).toBe(`${b(1)}:healthy ${b(2)}:healthy`);
    expect(writes[3]?.at).toBeGreaterThanOrEqual(restore.endedAtSeconds);
    expect(writes[3]?.at).toBeLessThanOrEqual(r.batches[5]?.traffic[0]?.atSeconds ?? 0);
    const end = r.stats.simulatedSeconds;
    expect(healthOf(w, "orders-blue", end)).toBe(`${b(1)}:healthy ${b(2)}:healthy`);
    expect(healthOf(w, "orders-green", end)).toBe("");
    expect(events(w).map((e) => `${e.state} ${e.rollback}`)).toEqual(["START false", "STOP true"]);
  });

  it("pause, resume and promote work on the listener's steps as on Lambda and ECS (the shared Paused handler): 100% at the promote, not after the bake", async () => {
    const scenario = loadServerScenario("blue-green-weighted-canary");
    const tenPercent = await tenPercentAt();
    w = await openServerWorld(scenario);
    w.world.account.applyTimeline([
      { atSeconds: tenPercent + 60, action: "pause", input: { deploymentId: "d-BGWEIGHT1" } },
      { atSeconds: tenPercent + 120, action: "resume", input: { deploymentId: "d-BGWEIGHT1" } },
      { atSeconds: tenPercent + 150, action: "promote", input: { deploymentId: "d-BGWEIGHT1" } },
    ]);
    const r = await w.deploy(scenario.deployments[0]!);
    expect(r.status, ok(r)).toBe("SUCCEEDED");
    const steps = forwards(w).filter((c) => c.operation === "ModifyListener");
    expect(steps.map((c) => [c.at - tenPercent, c.weights["orders-green"]])).toEqual([
      [steps[0]!.at - tenPercent, 0],
      [0, 10],
      [150, 100],
    ]);
  });
});
