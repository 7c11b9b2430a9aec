import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { continueBake, startBake } from "../../../functions/domain/deployment/bake.js";
import { aliasStateFor, buildTrafficPlan, weightOnTarget } from "../../../functions/domain/deployment/plan.js";

describe("buildTrafficPlan", () => {
  it("turns a canary schedule into alias updates", () => {
    const plan = buildTrafficPlan({ config: "c", totalSeconds: 300, steps: [{ atSeconds: 0, weight: 10 }, { atSeconds: 300, weight: 100 }] }, "3", "4");
    expect(plan.steps).toEqual([
      { index: 0, atSeconds: 0, weight: 10, bakeSeconds: 300, functionVersion: "3", routingConfig: { AdditionalVersionWeights: { "4": 0.1 } } },
      { index: 1, atSeconds: 300, weight: 100, bakeSeconds: 0, functionVersion: "4", routingConfig: { AdditionalVersionWeights: {} } },
    ]);
  });

  it("round-trips weights through the alias routing", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), (w) => {
        const a = aliasStateFor(w, "3", "4");
        const weights = a.routingConfig.AdditionalVersionWeights;
        for (const v of Object.values(weights)) expect(v > 0 && v < 1).toBe(true);
        expect(Object.keys(weights).length).toBeLessThanOrEqual(1);
        expect(weightOnTarget({ functionVersion: a.functionVersion, weights }, "4")).toBe(w);
      }),
    );
  });

  it("bakes add up to the schedule's total", () => {
    const schedule = fc
      .uniqueArray(fc.integer({ min: 1, max: 99 }), { minLength: 0, maxLength: 8 })
      .chain((ws) => fc.tuple(fc.constant([...ws].sort((a, b) => a - b)), fc.array(fc.integer({ min: 1, max: 600 }), { minLength: ws.length, maxLength: ws.length })));
    fc.assert(
      fc.property(schedule, ([weights, bakes]) => {
        let t = 0;
        const steps = weights.map((w, i) => {
          const s = { atSeconds: t, weight: w };
          t += bakes[i] ?? 0;
          return s;
        });
        steps.push({ atSeconds: t, weight: 100 });
        const plan = buildTrafficPlan({ config: "x", totalSeconds: t, steps }, "1", "2");
        expect(plan.steps.reduce((n, s) => n + s.bakeSeconds, 0)).toBe(t);
        expect(plan.steps.at(-1)?.functionVersion).toBe("2");
      }),
    );
  });
});

describe("bake ticks", () => {
  it("splits a bake into poll-sized waits that sum to the bake", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 172800 }), fc.integer({ min: 60, max: 3600 }), (bake, poll) => {
        let c = startBake(bake, poll);
        let total = 0;
        let ticks = 0;
        while (c.sleep > 0) {
          expect(c.sleep).toBeLessThanOrEqual(poll);
          total += c.sleep;
          ticks += 1;
          if (c.left === 0) break;
          c = continueBake(c, poll);
        }
        expect(total).toBe(bake);
        expect(ticks).toBe(Math.ceil(bake / poll));
      }),
    );
  });

  it("a 300 s bake polled every 60 s is five waits", () => {
    expect(startBake(300, 60)).toEqual({ remaining: 300, sleep: 60, left: 240 });
    expect(continueBake({ remaining: 60, sleep: 60, left: 0 }, 60)).toEqual({ remaining: 0, sleep: 0, left: 0 });
  });
});
