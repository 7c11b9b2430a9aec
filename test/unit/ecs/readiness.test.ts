import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pollSeconds, readiness } from "../../../functions/domain/ecs/index.js";

const obs = (o: Partial<Parameters<typeof readiness>[0]> = {}) => ({ computedDesiredCount: 2, runningCount: 2, pendingCount: 0, stabilityStatus: "STEADY_STATE", healthyTargets: 2, targetStates: { healthy: 2 }, ...o });

describe("readiness", () => {
  it.each([
    ["steady with every target healthy", obs(), { ready: true }],
    ["a service of 0 tasks, steady", obs({ computedDesiredCount: 0, runningCount: 0, healthyTargets: 0, targetStates: {} }), { ready: true }],
    ["tasks still pending", obs({ runningCount: 0, pendingCount: 2, stabilityStatus: "STABILIZING", healthyTargets: 0, targetStates: {} }), { ready: false, waitSeconds: 15, why: "0/2 tasks running, 2 pending, STABILIZING; targets: no targets" }],
    ["targets in their first health checks", obs({ stabilityStatus: "STABILIZING", healthyTargets: 0, targetStates: { initial: 2 } }), { ready: false, waitSeconds: 15, why: "2/2 tasks running, 0 pending, STABILIZING; targets: 2 initial" }],
    ["ECS steady but one target not yet healthy at the load balancer", obs({ healthyTargets: 1, targetStates: { healthy: 1, initial: 1 } }), { ready: false, waitSeconds: 15, why: "2/2 tasks running, 0 pending, STEADY_STATE; targets: 1 healthy, 1 initial" }],
  ])("%s", (_what, o, expected) => {
    expect(readiness(o, 30, 3600)).toEqual(expected);
  });

  it("fails at the timeout with what it saw", () => {
    expect(readiness(obs({ stabilityStatus: "STABILIZING", healthyTargets: 0, targetStates: { unhealthy: 2 } }), 600, 600)).toEqual({
      ready: false,
      failed: true,
      reason: "the replacement task set was not ready after 10 minutes: 2/2 tasks running, 0 pending, STABILIZING; targets: 2 unhealthy",
    });
  });

  it("is never ready unless ECS is steady and the load balancer has every target healthy", () => {
    const arb = fc.record({ computedDesiredCount: fc.nat(10), runningCount: fc.nat(10), pendingCount: fc.nat(3), stabilityStatus: fc.constantFrom("STEADY_STATE", "STABILIZING"), healthyTargets: fc.nat(10), targetStates: fc.constant({}) });
    fc.assert(
      fc.property(arb, fc.nat(3600), (o, elapsed) => {
        const r = readiness(o, elapsed, 3600);
        expect(r.ready).toBe(o.stabilityStatus === "STEADY_STATE" && o.healthyTargets >= o.computedDesiredCount && o.runningCount === o.computedDesiredCount);
      }),
    );
  });

  it("polls every 15 s for 5 minutes, then every minute, never past the timeout: at most 75 polls in an hour", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3600 }), (timeout) => {
        let t = 0;
        let polls = 0;
        while (t < timeout) {
          const s = pollSeconds(t, timeout);
          expect(s).toBeGreaterThan(0);
          expect(t + s).toBeLessThanOrEqual(timeout);
          t += s;
          polls += 1;
        }
        expect(polls).toBeLessThanOrEqual(75);
      }),
    );
  });
});
