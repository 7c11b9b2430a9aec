import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BakeWatch, bakeChunkSeconds, nextWatch, startWatch } from "../../../functions/domain/deployment/bake.js";
import { buildTrafficPlan } from "../../../functions/domain/deployment/plan.js";
import { aliasRoutingFor, describeAlias, weightOnAlias } from "../../../functions/domain/traffic/lambda-alias.js";

const T = { fromVersion: "3", toVersion: "4" };

describe("buildTrafficPlan", () => {
  it("turns a canary schedule into steps with their bakes", () => {
    const plan = buildTrafficPlan({ config: "c", totalSeconds: 300, steps: [{ atSeconds: 0, weight: 10 }, { atSeconds: 300, weight: 100 }] });
    expect(plan.steps).toEqual([
      { index: 0, atSeconds: 0, weight: 10, bakeSeconds: 300 },
      { index: 1, atSeconds: 300, weight: 100, bakeSeconds: 0 },
    ]);
  });

  it("bakes add up to the schedule's total, the last step does not bake", () => {
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
        const plan = buildTrafficPlan({ config: "x", totalSeconds: t, steps });
        expect(plan.steps.reduce((n, s) => n + s.bakeSeconds, 0)).toBe(t);
        expect(plan.steps.at(-1)).toMatchObject({ weight: 100, bakeSeconds: 0 });
      }),
    );
  });
});

describe("the Lambda alias for a weight", () => {
  it.each([
    [0, { functionVersion: "3", weights: {} }],
    [10, { functionVersion: "3", weights: { "4": 0.1 } }],
    [99, { functionVersion: "3", weights: { "4": 0.99 } }],
    [100, { functionVersion: "4", weights: {} }],
  ])("%i%% -> %j", (weight, routing) => {
    expect(aliasRoutingFor(weight, T)).toEqual(routing);
  });

  it("round-trips every weight, with one additional version weighted in (0, 1)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), (w) => {
        const a = aliasRoutingFor(w, T);
        for (const v of Object.values(a.weights)) expect(v > 0 && v < 1).toBe(true);
        expect(Object.keys(a.weights).length).toBeLessThanOrEqual(1);
        expect(weightOnAlias(a, T)).toBe(w);
      }),
    );
  });

  it.each<[{ functionVersion: string; weights: Record<string, number> }, string]>([
    [{ functionVersion: "2", weights: {} }, "another version"],
    [{ functionVersion: "3", weights: { "2": 0.1 } }, "weighted towards another version"],
    [{ functionVersion: "4", weights: { "3": 0.5 } }, "the new version weighted back"],
    [{ functionVersion: "3", weights: { "4": 0.1, "5": 0.1 } }, "two additional versions"],
  ])("%j (%s) is not a state this deployment makes: null", (alias) => {
    expect(weightOnAlias(alias, T)).toBeNull();
    expect(describeAlias(alias)).toContain(`version ${alias.functionVersion}`);
  });
});

describe("the bake watcher's waits", () => {
  it("with events and no gates a bake needs no watcher wake-up; gates and polling do", () => {
    expect(bakeChunkSeconds("events", 60, [])).toBe(Number.POSITIVE_INFINITY);
    expect(bakeChunkSeconds("events", 60, [300, 120])).toBe(120);
    expect(bakeChunkSeconds("polling", 60, [300])).toBe(60);
  });

  it("splits any bake into waits of at most one chunk that end exactly at the bake's end", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 172800 }), fc.integer({ min: 10, max: 3600 }), (bake, poll) => {
        const d = { alarmMonitoring: "polling" as const, alarmPollSeconds: poll, metricGates: [] };
        let now = 0;
        let watch: BakeWatch = startWatch(d, "t", bake * 1000, now);
        let waits = 0;
        while (!watch.over) {
          expect(watch.sleepSeconds).toBeGreaterThan(0);
          expect(watch.sleepSeconds).toBeLessThanOrEqual(poll);
          now += watch.sleepSeconds * 1000;
          watch = nextWatch(watch, d, now, []);
          waits += 1;
        }
        expect(now).toBe(bake * 1000);
        expect(waits).toBe(Math.ceil(bake / poll));
      }),
    );
  });
});
