import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalDynamoDb, startDynalite } from "../../local/emulators/dynalite.js";
import { simulateScenario } from "../../local/simulate/run-scenario.js";
import type { Scenario } from "../../local/simulate/scenario.js";
import { invariantViolations } from "./invariants.js";

/**
 * Fault injection: random deployment configs, random AWS faults (throttling, 5xx, dropped
 * connections) on any call, hook failures and timeouts, alarms firing at random times, and
 * stop / pause+resume / promote / abort at random times. Every run goes through the real ASL,
 * handlers, simulated account and dynalite. FAULT_RUNS sets the number of runs (CI: 1000).
 */
const RUNS = Number(process.env.FAULT_RUNS ?? 1000);
let dynamo: LocalDynamoDb;
beforeAll(async () => {
  dynamo = await startDynalite("stepdeploy-local-registry");
});
afterAll(async () => dynamo.close());

const config = fc.constantFrom<unknown>(
  "CodeDeployDefault.LambdaAllAtOnce",
  "CodeDeployDefault.LambdaCanary10Percent5Minutes",
  "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
  { steps: [{ weight: 5, bakeMinutes: 2 }, { weight: 50, bakeMinutes: 3 }] },
  { trafficRoutingConfig: { type: "TimeBasedLinear", timeBasedLinear: { linearPercentage: 30, linearInterval: 2 } } },
);
const hookResult = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ status: "Succeeded" }) },
  { weight: 1, arbitrary: fc.constant({ status: "Failed", reason: "smoke test failed" }) },
  { weight: 1, arbitrary: fc.constant({ throw: "hook crashed" }) },
);
const hook = (name: string) => fc.record({ name: fc.constant(name), results: fc.array(hookResult, { minLength: 1, maxLength: 2 }), latencySeconds: fc.integer({ min: 0, max: 90 }) });
const fault = fc.record({
  operation: fc.constantFrom("UpdateAlias", "DescribeAlarms", "PutEvents", "Invoke", "GetAlias", "GetFunctionConfiguration", "SendTaskSuccess", "SendTaskFailure"),
  kind: fc.constantFrom("throttle", "5xx", "timeout"),
  count: fc.integer({ min: 1, max: 3 }),
  atSeconds: fc.integer({ min: 0, max: 600 }),
  holdMs: fc.constant(2),
});
const action = fc.oneof(
  fc.record({ atSeconds: fc.integer({ min: 0, max: 700 }), action: fc.constantFrom("stop", "stop-no-rollback", "promote", "abort") }).map((a) => [a]),
  fc.record({ at: fc.integer({ min: 0, max: 600 }), after: fc.integer({ min: 1, max: 900 }) }).map(({ at, after }) => [
    { atSeconds: at, action: "pause" },
    { atSeconds: at + after, action: "resume" },
  ]),
);

/** The new version's traffic (from `trafficFrom`) and errors (20% from `errorsFrom`), per 30 s. */
function gateMetrics(trafficFrom: number, errorsFrom: number) {
  const dimensions = { FunctionName: "orders", Resource: "orders:live", ExecutedVersion: "4" };
  const times = Array.from({ length: 60 }, (_, i) => i * 30 + 15).filter((t) => t >= trafficFrom);
  return [
    { namespace: "AWS/Lambda", metricName: "Invocations", dimensions, datapoints: times.map((t) => ({ atSeconds: t, value: 100 })) },
    { namespace: "AWS/Lambda", metricName: "Errors", dimensions, datapoints: times.map((t) => ({ atSeconds: t, value: t >= errorsFrom ? 20 : 0 })) },
  ];
}

const scenarioArb = fc
  .record({
    config,
    monitoring: fc.constantFrom("events", "polling"),
    poll: fc.constantFrom(30, 60),
    hookTimeout: fc.constantFrom(60, 3600),
    pre: hook("CodeDeployHook_pre"),
    post: hook("CodeDeployHook_post"),
    alarmAt: fc.option(fc.integer({ min: 0, max: 700 }), { nil: undefined }),
    faults: fc.array(fault, { maxLength: 3 }),
    actions: fc.option(action, { nil: undefined }),
    gate: fc.option(fc.record({ noData: fc.constantFrom("continue", "fail", "pause"), errorsFrom: fc.integer({ min: 0, max: 900 }), trafficFrom: fc.constantFrom(0, 200) }), { nil: undefined }),
  })
  .map((p): Scenario => ({
    name: "fault-injection",
    account: {
      functions: [{ name: "orders", versions: 4, aliases: { live: "3" } }],
      hooks: [p.pre, p.post],
      alarms: [{ name: "orders-errors", state: "OK" }],
      metrics: p.gate ? gateMetrics(p.gate.trafficFrom, p.gate.errorsFrom) : [],
    },
    input: {
      application: "orders-app",
      deploymentGroup: `group-${Math.random().toString(36).slice(2, 10)}`,
      deploymentId: `d-${Math.random().toString(36).slice(2, 11).toUpperCase().padEnd(9, "0")}`,
      functionName: "orders",
      alias: "live",
      targetVersion: "4",
      deploymentConfig: p.config,
      hooks: { beforeAllowTraffic: "CodeDeployHook_pre", afterAllowTraffic: "CodeDeployHook_post", timeoutSeconds: p.hookTimeout },
      alarms: ["orders-errors"],
      alarmMonitoring: p.monitoring,
      alarmPollSeconds: p.poll,
      ...(p.gate ? { metricGates: [{ name: "error-rate", lambdaErrorRatePercent: 5, intervalSeconds: 60, noData: p.gate.noData }] } : {}),
    },
    timeline: [
      ...p.faults.map((f) => ({ atSeconds: f.atSeconds, fault: { operation: f.operation, kind: f.kind, count: f.count, holdMs: f.holdMs } })),
      ...(p.alarmAt === undefined ? [] : [{ atSeconds: p.alarmAt, alarm: "orders-errors", state: "ALARM" }]),
      ...(p.actions ?? []),
    ],
  }));

describe("fault injection", () => {
  it(`${RUNS} random deployments keep every invariant`, async () => {
    const outcomes = new Map<string, number>();
    let violations = 0;
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const r = await simulateScenario(scenario, { dynamo });
        const key = `${r.status} ${r.error ?? ""}`.trim();
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        const v = invariantViolations(r);
        if (v.length) violations += 1;
        expect(v, JSON.stringify({ scenario, status: r.status, error: r.error, cause: r.cause, log: r.log.slice(-12) })).toEqual([]);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    console.log(`fault injection: ${RUNS} runs, ${violations} invariant violations; outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`);
    expect(outcomes.size).toBeGreaterThan(3);
  }, 1_800_000);
});
