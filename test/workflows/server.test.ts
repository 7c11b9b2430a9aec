import { describe, expect, it } from "vitest";
import { loadServerScenario, runServerScenario, type ServerRunReport } from "../../local/simulate/server.js";

const id = (k: number) => `i-0a00000000000${String(k).padStart(4, "0")}`;
const INSTALLED = ["DownloadBundle:Succeeded", "BeforeInstall:Succeeded", "Install:Succeeded", "AfterInstall:Succeeded", "ApplicationStart:Succeeded", "ValidateService:Succeeded"];
const ok = (r: ServerRunReport | undefined) => `${r?.status} ${r?.error ?? ""}: ${r?.cause ?? ""}`;

describe("deploy-server on the local engine (events/server)", { timeout: 180_000 }, () => {
  it("OneAtATime on 4, the last instance fails: one instance per command, in order, and the deployment succeeds", async () => {
    const { reports, revisions } = await runServerScenario(loadServerScenario("one-at-a-time-last-fails"));
    const [r] = reports;
    expect(r?.status, ok(r)).toBe("SUCCEEDED");
    expect(r?.commands).toEqual([["i-0a0000000000000a1"], ["i-0a0000000000000a2"], ["i-0a0000000000000a3"], ["i-0a0000000000000a4"]]);
    expect(r?.events["i-0a0000000000000a4"]?.at(-1)).toBe("ApplicationStart:Failed:ScriptFailed");
    expect(revisions).toEqual({ "i-0a0000000000000a1": "d-ONEATATM1", "i-0a0000000000000a2": "d-ONEATATM1", "i-0a0000000000000a3": "d-ONEATATM1", "i-0a0000000000000a4": null });
    expect(r?.executions).toBe(5); // the deployment and one child per batch
  });

  it("HalfAtATime on 9: batches shrink after failures, the fourth failure stops it with HEALTH_CONSTRAINTS, two instances untouched", async () => {
    const { reports, revisions } = await runServerScenario(loadServerScenario("half-at-a-time-breaks-minimum"));
    const [r] = reports;
    expect([r?.status, r?.error]).toEqual(["FAILED", "Deploy.HealthConstraints"]);
    expect(r?.commands).toEqual([[id(1), id(2), id(3), id(4)], [id(5), id(6)], [id(7)]]);
    expect(r?.events[id(5)]?.at(-1)).toBe("ValidateService:Failed:ScriptFailed");
    expect(r?.events[id(7)]?.at(-1)).toBe("AfterInstall:Failed:ScriptFailed");
    expect(Object.entries(revisions).filter(([, rev]) => rev).map(([i]) => i)).toEqual([id(3), id(4), id(6)]);
    expect(r?.events[id(8)]).toBeUndefined();
  });

  it("first deployment has no ApplicationStop; the second runs the first revision's", async () => {
    const { reports, revisions } = await runServerScenario(loadServerScenario("first-then-second"));
    const [first, second] = reports;
    expect([first?.status, second?.status], ok(second)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    expect(first?.events[id(1)]).toEqual(["ApplicationStop:Skipped", ...INSTALLED]);
    expect(second?.events[id(1)]).toEqual(["ApplicationStop:Succeeded", ...INSTALLED]);
    expect(second?.commands).toEqual([[id(1), id(2)]]);
    expect(revisions).toEqual({ [id(1)]: "d-SECOND002", [id(2)]: "d-SECOND002" });
  });

  it("a hook that never returns fails at its timeout (ScriptTimedOut) and OneAtATime stops", async () => {
    const { reports } = await runServerScenario(loadServerScenario("hook-timeout"));
    const [r] = reports;
    expect([r?.status, r?.error]).toEqual(["FAILED", "Deploy.HealthConstraints"]);
    expect(r?.events[id(1)]?.at(-1)).toBe("ValidateService:Failed:ScriptTimedOut");
    expect(r?.commands).toEqual([[id(1)]]);
    expect(r?.stats.simulatedSeconds).toBeGreaterThanOrEqual(300);
  });

  it("an instance without the SSM agent counts as failed; AllAtOnce still succeeds with the other two", async () => {
    const { reports, revisions } = await runServerScenario(loadServerScenario("instance-without-ssm"));
    const [r] = reports;
    expect(r?.status, ok(r)).toBe("SUCCEEDED");
    expect(r?.commands).toEqual([[id(1), id(2)]]);
    expect(revisions).toEqual({ [id(1)]: "d-NOAGENT01", [id(2)]: "d-NOAGENT01" });
  });

  it("on-premises mi- servers found by tag, one at a time", async () => {
    const { reports, revisions } = await runServerScenario(loadServerScenario("on-premises"));
    const [r] = reports;
    expect(r?.status, ok(r)).toBe("SUCCEEDED");
    expect(r?.commands).toEqual([["mi-0123456789abcdef1"], ["mi-0123456789abcdef2"]]);
    expect(revisions).toEqual({ "mi-0123456789abcdef1": "d-ONPREM001", "mi-0123456789abcdef2": "d-ONPREM001", "mi-0123456789abcdef3": null });
  });

  it("95% of 10 fails at Start with HEALTH_CONSTRAINTS_INVALID; no command is sent", async () => {
    const { reports } = await runServerScenario(loadServerScenario("health-constraints-invalid"));
    const [r] = reports;
    expect([r?.status, r?.error]).toEqual(["FAILED", "Deploy.HealthConstraintsInvalid"]);
    expect(r?.cause).toContain("HEALTH_CONSTRAINTS_INVALID");
    expect(r?.commands).toEqual([]);
  });
});
