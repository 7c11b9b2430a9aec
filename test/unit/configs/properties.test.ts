import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveConfig, resolveSchedule } from "../../../functions/domain/configs/index.js";
import { expectWellFormed, problemsOf } from "./helpers.js";

const RUNS = { numRuns: 2000 };
const MAX_MIN = 2880;

const percentage = fc.integer({ min: 1, max: 99 });
/** A linear config whose span (ceil(100/p)-1)·I fits in 2880 minutes. */
const validLinear = percentage.chain((p) => {
  const intervals = Math.ceil(100 / p) - 1;
  return fc.record({ linearPercentage: fc.constant(p), linearInterval: fc.integer({ min: 1, max: Math.floor(MAX_MIN / intervals) }) });
});
const validCanary = fc.record({ canaryPercentage: percentage, canaryInterval: fc.integer({ min: 1, max: MAX_MIN }) });
/** Strictly increasing weights 1..99 with positive bakes adding up to at most 2880 minutes (by construction). */
const validStepList = fc.uniqueArray(percentage, { minLength: 1, maxLength: 99 }).chain((weights) =>
  fc
    .array(fc.integer({ min: 1, max: Math.floor(MAX_MIN / weights.length) }), { minLength: weights.length, maxLength: weights.length })
    .map((bakes) => [...weights].sort((a, b) => a - b).map((weight, i) => ({ weight, bakeMinutes: bakes[i]! }))),
);

describe("valid custom configs always give a well-formed schedule", () => {
  it("canary: p at 0, 100 at I·60", () => {
    fc.assert(
      fc.property(validCanary, (c) => {
        const s = resolveSchedule({ trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedCanary: c } });
        expectWellFormed(s);
        expect(s.steps).toEqual([
          { atSeconds: 0, weight: c.canaryPercentage },
          { atSeconds: c.canaryInterval * 60, weight: 100 },
        ]);
      }),
      RUNS,
    );
  });

  it("linear (model A): ceil(100/p) shifts I apart, each +p except a smaller last one", () => {
    fc.assert(
      fc.property(validLinear, (l) => {
        const s = resolveSchedule({ computePlatform: "ECS", trafficRoutingConfig: { type: "TimeBasedLinear", timeBasedLinear: l } });
        expectWellFormed(s);
        expect(s.steps).toHaveLength(Math.ceil(100 / l.linearPercentage));
        expect(s.steps.map((step) => step.atSeconds)).toEqual(s.steps.map((_, k) => k * l.linearInterval * 60));
        const increments = s.steps.map((step, k) => step.weight - (s.steps[k - 1]?.weight ?? 0));
        expect(increments.slice(0, -1).every((inc) => inc === l.linearPercentage)).toBe(true);
        expect(increments.at(-1)).toBeLessThanOrEqual(l.linearPercentage);
        expect(s.totalSeconds).toBe((s.steps.length - 1) * l.linearInterval * 60);
      }),
      RUNS,
    );
  });

  it("step list: the given weights at the running sum of bakes, then 100", () => {
    fc.assert(
      fc.property(validStepList, (list) => {
        const s = resolveSchedule({ steps: list });
        expectWellFormed(s);
        expect(s.steps.map((x) => x.weight)).toEqual([...list.map((x) => x.weight), 100]);
        const total = list.reduce((a, b) => a + b.bakeMinutes, 0);
        expect(s.totalSeconds).toBe(total * 60);
        expect(s.steps[1]!.atSeconds).toBe(list[0]!.bakeMinutes * 60);
      }),
      RUNS,
    );
  });

  it("a valid name is kept as the schedule's config", () => {
    const name = fc.stringMatching(/^[A-Za-z0-9._+=,@-]{1,100}$/).filter((n) => !n.startsWith("CodeDeployDefault."));
    fc.assert(
      fc.property(name, validCanary, (deploymentConfigName, c) => {
        expect(resolveSchedule({ deploymentConfigName, trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedCanary: c } }).config).toBe(deploymentConfigName);
      }),
      { numRuns: 300 },
    );
  });
});

const notAPercentage = fc.oneof(
  fc.integer({ max: 0 }),
  fc.integer({ min: 100 }),
  fc.double({ min: 0.01, max: 99.99, noInteger: true, noNaN: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, "10", true, [], {}),
);
const notAnInterval = fc.oneof(fc.integer({ max: 0 }), fc.double({ min: 0.01, max: 1e6, noInteger: true, noNaN: true }), fc.constantFrom("5", false, Number.NaN));

describe("invalid custom configs are always rejected with the offending field", () => {
  it("canary with a bad percentage", () => {
    fc.assert(
      fc.property(notAPercentage, fc.integer({ min: 1, max: MAX_MIN }), (canaryPercentage, canaryInterval) => {
        const problems = problemsOf(() => resolveConfig({ trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedCanary: { canaryPercentage, canaryInterval } } }));
        expect(problems).toEqual([{ field: "deploymentConfig.trafficRoutingConfig.timeBasedCanary.canaryPercentage", reason: expect.stringContaining("InvalidTrafficRoutingConfigurationException") }]);
      }),
      RUNS,
    );
  });

  it("canary with a bad or too long interval", () => {
    fc.assert(
      fc.property(percentage, fc.oneof(notAnInterval, fc.integer({ min: MAX_MIN + 1 })), (canaryPercentage, canaryInterval) => {
        const problems = problemsOf(() => resolveConfig({ trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedCanary: { canaryPercentage, canaryInterval } } }));
        expect(problems.map((p) => p.field)).toEqual(["deploymentConfig.trafficRoutingConfig.timeBasedCanary.canaryInterval"]);
      }),
      RUNS,
    );
  });

  it("linear whose span exceeds 2880 minutes", () => {
    const tooLong = percentage.chain((p) => {
      const intervals = Math.ceil(100 / p) - 1;
      return fc.record({ linearPercentage: fc.constant(p), linearInterval: fc.integer({ min: Math.floor(MAX_MIN / intervals) + 1, max: 1_000_000 }) });
    });
    fc.assert(
      fc.property(tooLong, (l) => {
        const problems = problemsOf(() => resolveConfig({ trafficRoutingConfig: { type: "TimeBasedLinear", timeBasedLinear: l } }));
        expect(problems).toEqual([{ field: "deploymentConfig.trafficRoutingConfig.timeBasedLinear.linearInterval", reason: expect.stringContaining("at most 2880") }]);
      }),
      RUNS,
    );
  });

  it("linear with a bad percentage", () => {
    fc.assert(
      fc.property(notAPercentage, fc.integer({ min: 1, max: 10 }), (linearPercentage, linearInterval) => {
        const problems = problemsOf(() => resolveConfig({ trafficRoutingConfig: { type: "TimeBasedLinear", timeBasedLinear: { linearPercentage, linearInterval } } }));
        expect(problems.map((p) => p.field)).toEqual(["deploymentConfig.trafficRoutingConfig.timeBasedLinear.linearPercentage"]);
      }),
      RUNS,
    );
  });

  it("step lists whose weights do not strictly increase", () => {
    const unsorted = fc
      .array(fc.record({ weight: percentage, bakeMinutes: fc.integer({ min: 1, max: 20 }) }), { minLength: 2, maxLength: 50 })
      .filter((list) => list.some((s, i) => i > 0 && s.weight <= list[i - 1]!.weight));
    fc.assert(
      fc.property(unsorted, (list) => {
        const problems = problemsOf(() => resolveConfig({ steps: list }));
        const firstBad = list.findIndex((s, i) => i > 0 && s.weight <= list[i - 1]!.weight);
        expect(problems[0]!.field).toBe(`deploymentConfig.steps[${firstBad}].weight`);
      }),
      RUNS,
    );
  });

  it("step lists whose bakes add up to more than 2880 minutes", () => {
    const long = fc
      .uniqueArray(percentage, { minLength: 1, maxLength: 20 })
      .chain((w) => fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: w.length, maxLength: w.length }).map((b) => [...w].sort((x, y) => x - y).map((weight, i) => ({ weight, bakeMinutes: b[i]! }))))
      .filter((list) => list.reduce((a, s) => a + s.bakeMinutes, 0) > MAX_MIN);
    fc.assert(
      fc.property(long, (list) => {
        expect(problemsOf(() => resolveConfig({ steps: list }))).toEqual([{ field: "deploymentConfig.steps", reason: expect.stringContaining("at most 2880") }]);
      }),
      RUNS,
    );
  });

  it("an unknown key anywhere is named in the error", () => {
    const key = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !["deploymentConfigName", "computePlatform", "trafficRoutingConfig", "steps", "type", "timeBasedCanary", "timeBasedLinear", "canaryPercentage", "canaryInterval", "weight", "bakeMinutes", "__proto__"].includes(k));
    fc.assert(
      fc.property(key, fc.constantFrom("top", "routing", "canary", "step"), validCanary, (k, where, c) => {
        const timeBasedCanary: Record<string, unknown> = { ...c };
        const routing: Record<string, unknown> = { type: "TimeBasedCanary", timeBasedCanary };
        const top: Record<string, unknown> = { trafficRoutingConfig: routing };
        const step: Record<string, unknown> = { weight: 10, bakeMinutes: 1 };
        const target = { top, routing, canary: timeBasedCanary, step }[where]!;
        target[k] = 1;
        const config = where === "step" ? { steps: [step] } : top;
        const path = { top: "deploymentConfig", routing: "deploymentConfig.trafficRoutingConfig", canary: "deploymentConfig.trafficRoutingConfig.timeBasedCanary", step: "deploymentConfig.steps[0]" }[where];
        expect(problemsOf(() => resolveConfig(config)).map((p) => p.field)).toContain(`${path}.${k}`);
      }),
      RUNS,
    );
  });

  it("any JSON value either resolves to a well-formed schedule or fails with Deploy.InvalidConfig", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        try {
          expectWellFormed(resolveSchedule(v));
        } catch (e) {
          expect((e as Error).name).toBe("Deploy.InvalidConfig");
        }
      }),
      RUNS,
    );
  });
});
