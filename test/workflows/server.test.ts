import { describe, expect, it } from "vitest";
import { loadServerScenario, runServerScenario } from "../../local/simulate/server.js";

describe("deploy-server on the local engine", { timeout: 120_000 }, () => {
  it("OneAtATime on 4, the last instance fails: one instance per command, in order, and the deployment succeeds", async () => {
    const { reports, revisions } = await runServerScenario(loadServerScenario("one-at-a-time-last-fails"));
    const [r] = reports;
    expect(r?.status, `${r?.error}: ${r?.cause}`).toBe("SUCCEEDED");
    expect(r?.commands).toEqual([["i-0a0000000000000a1"], ["i-0a0000000000000a2"], ["i-0a0000000000000a3"], ["i-0a0000000000000a4"]]);
    expect(revisions).toEqual({ "i-0a0000000000000a1": "d-ONEATATM1", "i-0a0000000000000a2": "d-ONEATATM1", "i-0a0000000000000a3": "d-ONEATATM1", "i-0a0000000000000a4": null });
    expect(r?.executions).toBe(5);
  });
});
