import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bakeChunkSeconds } from "../../../functions/domain/deployment/bake.js";
import { ValidationErrors } from "../../../functions/domain/errors.js";
import { breaches, evaluateGates, type MetricGate, parseMetricGates } from "../../../functions/domain/gates/gate.js";
import { gateQueries, gateValues } from "../../../functions/domain/gates/queries.js";

const target = { functionName: "orders", alias: "live", targetVersion: "4" };
const gate = (over: Partial<MetricGate> = {}): MetricGate => ({ name: "g", threshold: 5, comparison: "GreaterThanThreshold", intervalSeconds: 60, failureLimit: 1, noData: "continue", metric: { namespace: "N", metricName: "M", dimensions: {}, stat: "Sum" }, ...over });

describe("parseMetricGates", () => {
  it("expands lambdaErrorRatePercent to Errors/Invocations of the target version", () => {
    const [g] = parseMetricGates([{ lambdaErrorRatePercent: 2 }], target);
    expect(g).toMatchObject({ name: "gate-1", threshold: 2, comparison: "GreaterThanThreshold", intervalSeconds: 300, failureLimit: 1, noData: "continue" });
    expect(g?.ratio?.numerator).toEqual({ namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: "orders", Resource: "orders:live", ExecutedVersion: "4" }, stat: "Sum" });
    expect(g?.ratio?.denominator.metricName).toBe("Invocations");
  });

  it.each([
    [{ threshold: 1 }, "metricGates[0]", "exactly one of"],
    [{ metric: { namespace: "N", metricName: "M", stat: "Sum" } }, "metricGates[0].threshold", "number"],
    [{ lambdaErrorRatePercent: 1, intervalSeconds: 30 }, "metricGates[0].intervalSeconds", "60 to 86400"],
    [{ lambdaErrorRatePercent: 1, failureLimit: 0 }, "metricGates[0].failureLimit", "1 to 100"],
    [{ lambdaErrorRatePercent: 1, noData: "ignore" }, "metricGates[0].noData", "pause"],
    [{ lambdaErrorRatePercent: 1, comparison: "Above" }, "metricGates[0].comparison", "one of"],
    [{ lambdaErrorRatePercent: 1, typo: 1 }, "metricGates[0].typo", "unknown"],
    [{ metric: { namespace: "N" }, threshold: 1 }, "metricGates[0].metric.metricName", "required"],
  ])("%j is rejected at %s", (raw, field, reason) => {
    try {
      parseMetricGates([raw], target);
      throw new Error("expected a rejection");
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationErrors);
      const hit = (e as ValidationErrors).problems.find((p) => p.field === field);
      expect(hit?.reason, JSON.stringify((e as ValidationErrors).problems)).toContain(reason);
    }
  });
});

describe("evaluateGates", () => {
  it.each([
    [gate(), [4], "pass"],
    [gate(), [6], "fail"],
    [gate({ comparison: "LessThanThreshold" }), [4], "fail"],
    [gate(), [null], "pass"],
    [gate({ noData: "fail" }), [null], "fail"],
    [gate({ noData: "pause" }), [null], "pause"],
    [gate({ failureLimit: 3 }), [9], "pass"],
  ] as [MetricGate, (number | null)[], string][])("%j with %j -> %s", (g, values, kind) => {
    expect(evaluateGates([g], values).outcome.kind).toBe(kind);
  });

  it("fails only after failureLimit consecutive failures, and a pass resets the count", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.boolean(), { maxLength: 30 }), (limit, breachSeq) => {
        const g = gate({ failureLimit: limit });
        let failures = [0];
        let run = 0;
        for (const b of breachSeq) {
          const r = evaluateGates([g], [b ? 10 : 1], failures);
          run = b ? run + 1 : 0;
          expect(r.outcome.kind).toBe(run >= limit ? "fail" : "pass");
          if (r.outcome.kind === "fail") {
            expect(r.outcome.reason).toContain("g=10");
            return;
          }
          failures = r.readings.map((x) => x.consecutiveFailures);
        }
      }),
    );
  });

  it("comparisons", () => {
    expect(breaches(5, { threshold: 5, comparison: "GreaterThanOrEqualToThreshold" })).toBe(true);
    expect(breaches(5, { threshold: 5, comparison: "GreaterThanThreshold" })).toBe(false);
    expect(breaches(5, { threshold: 5, comparison: "LessThanOrEqualToThreshold" })).toBe(true);
  });
});

describe("queries", () => {
  it("computes a ratio as a percentage and treats zero traffic as no data", () => {
    const [g] = parseMetricGates([{ lambdaErrorRatePercent: 5 }], target);
    const gates = [g as MetricGate];
    expect(gateQueries(gates).map((q) => q.id)).toEqual(["g0n", "g0d"]);
    expect(gateValues(gates, { g0n: 3, g0d: 60 })).toEqual([5]);
    expect(gateValues(gates, { g0n: null, g0d: 60 })).toEqual([0]);
    expect(gateValues(gates, { g0n: 3, g0d: 0 })).toEqual([null]);
    expect(gateValues(gates, { g0n: 3, g0d: null })).toEqual([null]);
  });

  it("renames metric math ids per gate", () => {
    const g = gate({ metric: undefined, expression: { expression: "100 * e / i", metrics: [{ id: "e", namespace: "N", metricName: "E", dimensions: {}, stat: "Sum" }, { id: "i", namespace: "N", metricName: "I", dimensions: {}, stat: "Sum" }] } });
    const q = gateQueries([g, g]);
    expect(q.find((x) => x.id === "g1")?.expression).toBe("100 * g1m0 / g1m1");
  });
});

describe("bake chunks", () => {
  it.each([
    ["events", 60, [], Number.POSITIVE_INFINITY],
    ["events", 60, [300, 120], 120],
    ["polling", 60, [], 60],
    ["polling", 60, [30], 30],
  ] as ["events" | "polling", number, number[], number][])("%s poll %s gates %j -> %s", (mode, poll, gates, chunk) => {
    expect(bakeChunkSeconds(mode, poll, gates)).toBe(chunk);
  });
});
