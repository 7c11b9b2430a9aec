import { describe, expect, it } from "vitest";
import { serverLockKey } from "../../functions/domain/fleet/run.js";
import { registry } from "../../functions/wiring.js";
import { loadServerScenario, openServerWorld, runServerScenario, type ServerRunReport } from "../../local/simulate/server.js";
import { ALL_EVENTS, ok, viewOf, withInput } from "./server-traffic-support.js";

const b = (k: number) => `i-0b0000000000000b${k}`;
const view = viewOf("orders-web");

describe("deploy-server behind a target group on the local engine (events/server)", { timeout: 180_000 }, () => {
  it("OneAtATime on 3: each instance leaves the target group, drains, installs, comes back healthy; the others keep serving", async () => {
    const { reports, revisions } = await runServerScenario(loadServerScenario("one-at-a-time-target-group"));
    const [r] = reports;
    expect(r?.status, ok(r)).toBe("SUCCEEDED");
    // three commands per instance, around BlockTraffic and AllowTraffic, one instance at a time
    expect(r?.commands).toEqual([[b(1)], [b(1)], [b(1)], [b(2)], [b(2)], [b(2)], [b(3)], [b(3)], [b(3)]]);
    for (const k of [1, 2, 3]) expect(r?.events[b(k)], b(k)).toEqual(ALL_EVENTS);
    expect(r?.batches.map((x) => x.instances)).toEqual([[b(1)], [b(2)], [b(3)]]);
    // batch 1 step by step: deregistered at 10 s and draining; one look once the 30 s delay is over (gone); registered
    // at 60 s, one look after 2 checks 10 s apart (healthy)
    const [first, second, third] = r?.batches ?? [];
    expect(first?.traffic.map((t) => view(t.atSeconds, t.state, t.targets))).toEqual([
      "10 BlockTraffic b1:draining b2:healthy b3:healthy",
      "40 CheckTraffic b2:healthy b3:healthy",
      "60 AllowTraffic b1:initial b2:healthy b3:healthy",
      "80 CheckTraffic b1:healthy b2:healthy b3:healthy",
    ]);
    // after each batch: every instance registered and healthy again, the batch's instance on the new revision
    for (const x of [first, second, third]) expect(view(x?.endedAtSeconds ?? 0, "end", x?.targets ?? {})).toBe(`${x?.endedAtSeconds} end b1:healthy b2:healthy b3:healthy`);
    expect([first?.endedAtSeconds, second?.endedAtSeconds, third?.endedAtSeconds]).toEqual([90, 180, 270]);
    // while batch 2 drains, batch 1's instance serves
    expect(view(100, "BlockTraffic", second?.traffic[0]?.targets ?? {})).toBe("100 BlockTraffic b1:healthy b2:draining b3:healthy");
    expect(second?.traffic[0]?.atSeconds).toBe(100);
    expect(revisions).toEqual({ [b(1)]: "d-TGONEATA1", [b(2)]: "d-TGONEATA1", [b(3)]: "d-TGONEATA1" });
  });

  it("an instance that never passes the health checks fails AllowTraffic, leaves the group, counts as failed: HalfAtATime goes on with batches of one", async () => {
    const { reports, revisions } = await runServerScenario(loadServerScenario("allow-traffic-unhealthy"));
    const [r] = reports;
    expect(r?.status, ok(r)).toBe("SUCCEEDED");
    // minimum 2 of 4: batch of 2; b2 fails, so healthy 3 - minimum 2 = batches of 1
    expect(r?.batches.map((x) => x.instances)).toEqual([[b(1), b(2)], [b(3)], [b(4)]]);
    expect(r?.commands).toEqual([[b(1), b(2)], [b(1), b(2)], [b(1)], [b(3)], [b(3)], [b(3)], [b(4)], [b(4)], [b(4)]]);
    expect(r?.events[b(2)]).toEqual([...ALL_EVENTS.slice(0, -2), "AllowTraffic:Failed"]);
    expect(r?.events[b(1)]).toEqual(ALL_EVENTS);
    const first = r?.batches[0];
    const steps = first?.traffic.map((t) => view(t.atSeconds - (first.traffic[0]?.atSeconds ?? 0), t.state, t.targets)) ?? [];
    expect(steps[0]).toBe("0 BlockTraffic b1:draining b2:draining b3:healthy b4:healthy");
    const allow = steps.findIndex((s) => s.includes("AllowTraffic"));
    expect(steps[allow]).toMatch(/ AllowTraffic b1:initial b2:initial b3:healthy b4:healthy$/);
    expect(steps[allow + 1]).toMatch(/ CheckTraffic b1:healthy b2:unhealthy b3:healthy b4:healthy$/);
    // the hour's last check fails it and deregisters it: draining, then gone, never back
    expect(steps.at(-1)).toMatch(/ CheckTraffic b1:healthy b2:draining b3:healthy b4:healthy$/);
    const allowAt = first?.traffic[allow]?.atSeconds ?? 0;
    expect((first?.traffic.at(-1)?.atSeconds ?? 0) - allowAt).toBe(3600);
    for (const x of r?.batches ?? []) expect(Object.keys(x.targets["orders-web"] ?? {})).not.toContain(b(2));
    expect(revisions).toEqual({ [b(1)]: "d-TGUNHLTH1", [b(2)]: "d-PREVIOUS1", [b(3)]: "d-TGUNHLTH1", [b(4)]: "d-TGUNHLTH1" });
  });

  it("an instance whose BeforeBlockTraffic fails is never deregistered: its batch ends there (HEALTH_CONSTRAINTS) and it keeps serving", async () => {
    const base = loadServerScenario("one-at-a-time-target-group");
    const ssm = base.account.ssm as { instances: Record<string, unknown>[] };
    const failing = { ...base, account: { ...base.account, ssm: { instances: ssm.instances.map((i, k) => (k === 0 ? { ...i, behaviour: { fail: { event: "BeforeBlockTraffic" } } } : i)) } } };
    const [r] = (await runServerScenario(failing)).reports;
    expect([r?.status, r?.error]).toEqual(["FAILED", "Deploy.HealthConstraints"]);
    expect(r?.commands).toEqual([[b(1)]]);
    expect(r?.events[b(1)]).toEqual(["BeforeBlockTraffic:Failed:ScriptFailed"]);
    // the batch went from the first command's results to its end without moving anything
    expect(r?.batches[0]?.traffic).toMatchObject([{ state: "BlockTraffic" }]);
    expect(view(0, "end", r?.batches[0]?.targets ?? {})).toBe("0 end b1:healthy b2:healthy b3:healthy");
  });

  it("Start refuses an unknown target group, and one of target type ip, before any instance is touched", async () => {
    const base = loadServerScenario("one-at-a-time-target-group");
    const missing = (await runServerScenario(withInput(base, { targetGroups: ["orders-gone"] }))).reports[0];
    expect([missing?.status, missing?.error]).toEqual(["FAILED", "Deploy.ResourceNotFound"]);
    expect(missing?.cause).toContain("orders-gone");
    expect(missing?.commands).toEqual([]);
    const ipAccount = { ssm: base.account.ssm, targetGroups: [{ name: "orders-ip", protocol: "HTTP", port: 80, targetType: "ip" }] };
    const ip = (await runServerScenario(withInput({ ...base, account: ipAccount }, { targetGroups: ["orders-ip"] }))).reports[0];
    expect([ip?.status, ip?.error]).toEqual(["FAILED", "Deploy.UnsupportedTrafficConfig"]);
    expect(ip?.cause).toContain("orders-ip has target type ip");
    expect(ip?.commands).toEqual([]);
  });

  it("Start refuses a fleet behind a target group that has on-premises mi- nodes, naming them, before any instance or target is touched", async () => {
    const base = loadServerScenario("one-at-a-time-target-group");
    const ssm = base.account.ssm as { instances: Record<string, unknown>[] };
    const mixed = ssm.instances.map((i, k) => (k === 0 ? i : { ...i, id: `mi-0123456789abcdef${k}` }));
    const w = await openServerWorld({ ...base, account: { ...base.account, ssm: { instances: mixed } } });
    try {
      const r = await w.deploy(base.deployments[0]!);
      expect([r.status, r.error]).toEqual(["FAILED", "Deploy.UnsupportedTrafficConfig"]);
      expect(r.cause).toContain("on-premises nodes cannot be targets of orders-web");
      expect(r.cause).toContain("mi-0123456789abcdef1, mi-0123456789abcdef2");
      expect(r.cause).not.toContain(b(1));
      expect(r.commands).toEqual([]);
      expect(w.world.account.callCounts()["ELBv2.RegisterTargets"] ?? 0).toBe(0);
      expect(w.world.account.callCounts()["ELBv2.DeregisterTargets"] ?? 0).toBe(0);
      await w.world.within(async () => {
        expect(await registry().getDeployment("d-TGONEATA1")).toMatchObject({ status: "Failed", errorName: "Deploy.UnsupportedTrafficConfig" });
        expect(await registry().getLock({ lockKey: serverLockKey("orders", "prod") })).toBeUndefined();
      });
    } finally {
      await w.close();
    }
  });

  it("target-group-rollback: v2 fails ValidateService on c2 (left deregistered); the rollback reinstalls v1 on c1 and c2 behind the same target group and registers them again", async () => {
    const c = (k: number) => `i-0b0000000000000c${k}`;
    const tg = (r: ServerRunReport | undefined) => r?.batches.at(-1)?.targets["orders-web"];
    const lock = { lockKey: serverLockKey("orders", "prod") };
    const scenario = loadServerScenario("target-group-rollback");
    const w = await openServerWorld(scenario);
    try {
      const inWorld = <T>(fn: () => Promise<T>) => w.world.within(fn);
      const base = await w.deploy(scenario.deployments[0]!);
      expect(base.status, ok(base)).toBe("SUCCEEDED");
      expect(tg(base)).toEqual({ [c(1)]: "healthy", [c(2)]: "healthy", [c(3)]: "healthy" });
      expect(w.world.account.callCounts()["ELBv2.RegisterTargets"]).toBe(1);
      expect(w.revisions()).toEqual({ [c(1)]: "d-TGRBBASE1", [c(2)]: "d-TGRBBASE1", [c(3)]: "d-TGRBBASE1" });
      await inWorld(async () => expect(await registry().getLock(lock)).toBeUndefined());

      // v2: c1 goes through; c2 fails ValidateService after BlockTraffic and stays out of the target group; c3 untouched.
      const failed = await w.deploy(scenario.deployments[1]!);
      expect([failed.status, failed.error]).toEqual(["FAILED", "Deploy.HealthConstraints"]);
      expect(failed.commands).toEqual([[c(1)], [c(1)], [c(1)], [c(2)], [c(2)]]);
      expect(failed.events[c(2)]?.at(-1)).toBe("ValidateService:Failed:ScriptFailed");
      expect(tg(failed)).toEqual({ [c(1)]: "healthy", [c(3)]: "healthy" });
      expect(w.revisions()).toEqual({ [c(1)]: "d-TGRBFAIL2", [c(2)]: "d-TGRBBASE1", [c(3)]: "d-TGRBBASE1" });
      const rollbackId = await inWorld(async () => {
        const record = await registry().getDeployment("d-TGRBFAIL2");
        expect(record).toMatchObject({ status: "Failed", errorName: "Deploy.HealthConstraints", progress: { instances: { total: 3, succeeded: 1, failed: 1, skipped: 1 } } });
        const rid = record?.rollbackInfo?.rollbackDeploymentId as string;
        expect(await registry().getDeployment(rid)).toMatchObject({ creator: "codeDeployRollback", rollbackInfo: { rollbackTriggeringDeploymentId: "d-TGRBFAIL2" } });
        // FinalizeFailure handed the group's lock to the rollback.
        expect((await registry().getLock(lock))?.holderDeploymentId).toBe(rid);
        return rid;
      });

      // The rollback: v1 on c2 and c1, one at a time, through BlockTraffic and AllowTraffic of the same target group;
      // c2 first: its last attempt failed, so it is unhealthy, and CodeDeploy deploys to unhealthy instances first.
      const rolled = await w.follow(rollbackId);
      expect(rolled.status, ok(rolled)).toBe("SUCCEEDED");
      expect(rolled.commands).toEqual([[c(2)], [c(2)], [c(2)], [c(1)], [c(1)], [c(1)]]);
      expect(rolled.events[c(1)]).toEqual(ALL_EVENTS);
      // c2 was already out of the target group: deregistering it again is a no-op, then it is registered and healthy.
      expect(rolled.events[c(2)]).toEqual(ALL_EVENTS);
      expect(rolled.batches.map((x) => x.instances)).toEqual([[c(2)], [c(1)]]);
      const [first, second] = rolled.batches;
      expect(first?.traffic.map((t) => t.targets["orders-web"]?.[c(2)])).toEqual([undefined, undefined, "initial", "healthy"]);
      expect(second?.traffic.map((t) => t.targets["orders-web"]?.[c(1)])).toEqual(["draining", undefined, "initial", "healthy"]);
      // after c2's batch it is back in; after c1's, every instance is registered and healthy
      expect(first?.targets["orders-web"]).toEqual({ [c(1)]: "healthy", [c(2)]: "healthy", [c(3)]: "healthy" });
      expect(second?.targets["orders-web"]).toEqual({ [c(1)]: "healthy", [c(2)]: "healthy", [c(3)]: "healthy" });
      expect(w.revisions()).toEqual({ [c(1)]: rollbackId, [c(2)]: rollbackId, [c(3)]: "d-TGRBBASE1" });
      await inWorld(async () => {
        expect(await registry().getDeployment(rollbackId)).toMatchObject({ status: "Succeeded", progress: { instances: { total: 2, succeeded: 2, failed: 0 } } });
        expect(await registry().getLastSuccessful({ application: "orders", deploymentGroup: "prod" })).toMatchObject({ deploymentId: rollbackId, target: { revision: { key: "orders-v1.zip" } } });
        expect(await registry().getLock(lock)).toBeUndefined();
      });
    } finally {
      await w.close();
    }
  });
});
