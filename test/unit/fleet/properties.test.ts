import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type FleetError, MAX_INSTANCES, minimumHealthy, planFleet, resolveServerConfig, type ServerConfig } from "../../../functions/domain/fleet/index.js";
import { runFleet } from "./run-fleet.js";

const config: fc.Arbitrary<ServerConfig> = fc.oneof(
  fc.constantFrom("CodeDeployDefault.AllAtOnce", "CodeDeployDefault.HalfAtATime", "CodeDeployDefault.OneAtATime").map((name) => resolveServerConfig(name)),
  fc.integer({ min: 0, max: 1200 }).map((value) => resolveServerConfig({ minimumHealthyHosts: { type: "HOST_COUNT", value } })),
  fc.integer({ min: 0, max: 99 }).map((value) => resolveServerConfig({ minimumHealthyHosts: { type: "FLEET_PERCENT", value } })),
);
const fleet = fc.integer({ min: 1, max: MAX_INSTANCES });

function planOrNull(c: ServerConfig, n: number) {
  try {
    return planFleet(c, n);
  } catch (e) {
    expect((e as FleetError).code).toBe("HEALTH_CONSTRAINTS_INVALID");
    return null;
  }
}

describe("batch math properties", () => {
  it("FLEET_PERCENT rounds up to the smallest count that is at least the percentage", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99 }), fleet, (value, n) => {
        const min = minimumHealthy({ type: "FLEET_PERCENT", value }, n);
        expect(min * 100).toBeGreaterThanOrEqual(n * value);
        expect((min - 1) * 100).toBeLessThan(n * value);
      }),
    );
  });

  it("a plan covers every instance once, in equal batches of healthy - minimum (the last may be smaller)", () => {
    fc.assert(
      fc.property(config, fleet, (c, n) => {
        const p = planOrNull(c, n);
        if (!p) {
          expect(p === null && minimumHealthy(c.minimumHealthyHosts, n)).toBeGreaterThanOrEqual(n);
          return;
        }
        expect(p.batches.reduce((a, b) => a + b, 0)).toBe(n);
        expect(p.batches.slice(0, -1).every((b) => b === n - p.minHealthy)).toBe(true);
        expect(p.batches.at(-1)).toBeGreaterThan(0);
        expect(p.batches.at(-1)).toBeLessThanOrEqual(n - p.minHealthy);
      }),
    );
  });

  it("a run never takes the healthy count below the minimum, and succeeds iff succeeded ≥ max(min, 1) after trying every instance", () => {
    fc.assert(
      fc.property(config, fc.array(fc.boolean(), { minLength: 1, maxLength: 300 }), (c, results) => {
        const p = planOrNull(c, results.length);
        if (!p) return;
        const run = runFleet(p, results); // throws if a batch would break the minimum
        const tried = results.slice(0, run.attempted);
        const succeeded = tried.filter(Boolean).length;
        if (run.outcome === "succeed") {
          expect(run.attempted).toBe(results.length);
          expect(succeeded).toBeGreaterThanOrEqual(Math.max(p.minHealthy, 1));
        } else {
          expect(run.code).toBe("HEALTH_CONSTRAINTS");
          // It stopped because nothing more could be taken, or everything was tried without enough successes.
          const failed = run.attempted - succeeded;
          expect(run.attempted === results.length ? succeeded < Math.max(p.minHealthy, 1) : results.length - failed <= p.minHealthy).toBe(true);
        }
      }),
    );
  });

  it("all instances succeeding follows the plan exactly; all failing always fails", () => {
    fc.assert(
      fc.property(config, fc.integer({ min: 1, max: 300 }), (c, n) => {
        const p = planOrNull(c, n);
        if (!p) return;
        expect(runFleet(p, Array(n).fill(true))).toEqual({ outcome: "succeed", batches: p.batches, attempted: n });
        expect(runFleet(p, Array(n).fill(false)).outcome).toBe("fail");
      }),
    );
  });

  it("instances unhealthy from an earlier deployment go first and never count against the minimum; the run still never risks it", () => {
    fc.assert(
      fc.property(config, fc.array(fc.boolean(), { minLength: 1, maxLength: 300 }), fc.nat(), (c, results, u) => {
        const p = planOrNull(c, results.length);
        if (!p) return;
        const unhealthy = u % (results.length + 1);
        const run = runFleet(p, results, unhealthy); // throws if a batch risking a healthy instance would break the minimum
        // Every unhealthy instance is attempted, in the first batch: deploying to it cannot lower the healthy count.
        expect(run.attempted).toBeGreaterThanOrEqual(unhealthy);
        if (unhealthy > 0) expect(run.batches[0]).toBeGreaterThanOrEqual(unhealthy);
        const succeeded = results.slice(0, run.attempted).filter(Boolean).length;
        if (run.outcome === "succeed") expect(succeeded).toBeGreaterThanOrEqual(Math.max(p.minHealthy, 1));
        // All succeeding: it always ends well, in no more batches than with a healthy fleet plus one.
        const allGood = runFleet(p, Array(results.length).fill(true), unhealthy);
        expect(allGood.outcome).toBe("succeed");
        expect(allGood.batches.length).toBeLessThanOrEqual(p.batches.length + 1);
      }),
    );
  });

  it.each([
    // [config, instances, unhealthy, results ('1' succeeds), batches, outcome]
    ["CodeDeployDefault.OneAtATime", 10, 2, "1111111111", [2, 1, 1, 1, 1, 1, 1, 1, 1], "succeed"],
    ["CodeDeployDefault.OneAtATime", 10, 2, "0111111111", [2], "fail"],
    ["CodeDeployDefault.HalfAtATime", 10, 3, "1111111111", [5, 5], "succeed"],
    ["CodeDeployDefault.HalfAtATime", 10, 3, "0001111111", [5, 2, 2, 1], "succeed"],
    ["CodeDeployDefault.AllAtOnce", 4, 4, "0000", [4], "fail"],
  ] as const)("%s on %i with %i unhealthy first, results %s: batches %j, %s", (name, n, unhealthy, results, batches, outcome) => {
    const run = runFleet(planFleet(resolveServerConfig(name), n), [...results].map((r) => r === "1"), unhealthy);
    expect([run.batches, run.outcome]).toEqual([batches, outcome]);
  });

  it("OneAtATime: a failure fails the deployment unless it is on the last instance", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 200 }), fc.nat(), (n, k) => {
        const at = k % n;
        const results = Array.from({ length: n }, (_, i) => i !== at);
        const run = runFleet(planFleet(resolveServerConfig("CodeDeployDefault.OneAtATime"), n), results);
        expect(run.outcome).toBe(at === n - 1 ? "succeed" : "fail");
        expect(run.attempted).toBe(at + 1 === n ? n : at + 1);
      }),
    );
  });
});
