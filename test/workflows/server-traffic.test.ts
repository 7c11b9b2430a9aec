import { describe, expect, it } from "vitest";
import { loadServerScenario, runServerScenario, type ServerRunReport, type ServerScenario, type TargetsView } from "../../local/simulate/server.js";

const b = (k: number) => `i-0b0000000000000b${k}`;
const ok = (r: ServerRunReport | undefined) => `${r?.status} ${r?.error ?? ""}: ${r?.cause ?? ""}`;
const INSTALL = ["ApplicationStop:Succeeded", "DownloadBundle:Succeeded", "BeforeInstall:Succeeded", "Install:Succeeded", "AfterInstall:Succeeded", "ApplicationStart:Succeeded", "ValidateService:Succeeded"];
const ALL_EVENTS = ["BeforeBlockTraffic:Succeeded", "BlockTraffic:Succeeded", "AfterBlockTraffic:Succeeded", ...INSTALL, "BeforeAllowTraffic:Succeeded", "AllowTraffic:Succeeded", "AfterAllowTraffic:Succeeded"];

/** `<second> <step> <id>:<state> ...` of the one target group, instances in id order (absent: not listed any more). */
const view = (at: number, state: string, targets: TargetsView) =>
  `${at} ${state} ${Object.entries(targets["orders-web"] ?? {})
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([id, s]) => `${id.slice(-2)}:${s}`)
    .join(" ")}`;

const withInput = (s: ServerScenario, input: Record<string, unknown>): ServerScenario => ({ ...s, deployments: s.deployments.map((d) => ({ ...d, input: { ...d.input, ...input } })) });

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
});
