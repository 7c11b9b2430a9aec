import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimAccount } from "../../local/account/index.js";
import { type LocalDynamoDb, startDynalite } from "../../local/emulators/dynalite.js";
import { simulateScenario } from "../../local/simulate/run-scenario.js";
import type { Scenario } from "../../local/simulate/scenario.js";
import { invariantViolations } from "./invariants.js";

/**
 * Fault injection: random deployment configs, random AWS faults (throttling, 5xx, dropped connections) on any
 * call, hook failures and timeouts, alarms firing at random times, stop / pause+resume / promote / abort at random
 * times, and another writer changing the alias. Every run goes through the real ASL, handlers, simulated account
 * and dynalite. Everything random comes from fast-check: a failure prints its seed and path, and
 * `FAULT_SEED=<seed> FAULT_PATH=<path>` replays exactly that run. FAULT_RUNS sets the number of runs (CI: 1000;
 * `npm run fuzz -- --runs 10000` for long runs).
 *
 * The runs are split over files so that vitest's workers share them (one file runs on one worker):
 * `deployments-1/2.property.test.ts` each run half of FAULT_RUNS random deployments, and
 * `deployments-rivals.property.test.ts` the racing pairs (a tenth of FAULT_RUNS, at least 20).
 */
export const RUNS = Number(process.env.FAULT_RUNS ?? 1000);
/** Two deployments racing for one alias: a tenth of the runs (at least 20). */
export const RIVAL_RUNS = Math.max(20, Math.round(RUNS / 10));
/**
 * A property's time limit: it catches a hang, not a long run. One run takes 0.1-1 s on an idle machine and up to 5 s
 * on a loaded one; a fixed hour cut a 10,000-run fuzz on a loaded machine at ~3,650 runs per shard, and the run in
 * flight when the limit struck was reported as a violation (both replayed clean).
 */
export const timeLimitMs = (runs: number): number => Math.max(3_600_000, runs * 5_000);
const SEED = process.env.FAULT_SEED === undefined ? undefined : Number(process.env.FAULT_SEED);
const PATH = process.env.FAULT_PATH;

/** One dynalite per file (its own registry table), open for the file's tests. */
export function useDynalite(): () => LocalDynamoDb {
  let dynamo: LocalDynamoDb | undefined;
  beforeAll(async () => {
    dynamo = await startDynalite("stepdeploy-local-registry");
  });
  afterAll(async () => dynamo?.close());
  return () => {
    if (!dynamo) throw new Error("dynalite is not running");
    return dynamo;
  };
}

export const config = fc.constantFrom<unknown>(
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
export const faultOn = (operations: string[]) =>
  fc
    .record({
      operation: fc.constantFrom(...operations),
      kind: fc.constantFrom("throttle", "5xx", "timeout"),
      count: fc.integer({ min: 1, max: 3 }),
      atSeconds: fc.integer({ min: 0, max: 600 }),
      holdMs: fc.constant(2),
    })
    // StartExecution at 0 s would fail the operator's own start of the deployment: from 1 s it hits the bake watchers.
    .map((f) => (f.operation === "StartExecution" && f.atSeconds === 0 ? { ...f, atSeconds: 1 } : f));
export const WORKFLOW_CALLS = ["UpdateAlias", "GetAlias", "DescribeAlarms", "PutEvents", "Invoke", "GetFunctionConfiguration", "SendTaskSuccess", "SendTaskFailure"];
const fault = faultOn([...WORKFLOW_CALLS, "StartExecution"]);
const action = fc.oneof(
  fc.record({ atSeconds: fc.integer({ min: 0, max: 700 }), action: fc.constantFrom("stop", "stop-no-rollback", "promote", "abort") }).map((a) => [a]),
  fc.record({ at: fc.integer({ min: 0, max: 600 }), after: fc.integer({ min: 1, max: 900 }) }).map(({ at, after }) => [
    { atSeconds: at, action: "pause" },
    { atSeconds: at + after, action: "resume" },
  ]),
);

/** The new version's traffic (from `trafficFrom`) and errors (20% from `errorsFrom`), per 30 s. */
function gateMetrics(functionName: string, trafficFrom: number, errorsFrom: number) {
  const dimensions = { FunctionName: functionName, Resource: `${functionName}:live`, ExecutedVersion: "4" };
  const times = Array.from({ length: 60 }, (_, i) => i * 30 + 15).filter((t) => t >= trafficFrom);
  return [
    { namespace: "AWS/Lambda", metricName: "Invocations", dimensions, datapoints: times.map((t) => ({ atSeconds: t, value: 100 })) },
    { namespace: "AWS/Lambda", metricName: "Errors", dimensions, datapoints: times.map((t) => ({ atSeconds: t, value: t >= errorsFrom ? 20 : 0 })) },
  ];
}

const parameters = fc.record({
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
  // Someone else points the alias at version 2 (a manual hot-fix) while the deployment runs (from 1 s: what is due at 0 s
  // is applied before the execution starts, and would only be the alias the deployment finds).
  otherWriterAt: fc.option(fc.integer({ min: 1, max: 700 }), { freq: 8, nil: undefined }),
});
type Parameters = typeof parameters extends fc.Arbitrary<infer T> ? T : never;

/**
 * The replay options fast-check takes from the environment. Shard `k` of a property split over files runs on
 * `FAULT_SEED + k·2^30` (so `npm run fuzz`'s shards, seeded `seed + i`, never repeat one another's runs) and
 * prints that seed; with `FAULT_PATH` (a replay) every shard takes the seed as given.
 */
export const replay = (shard = 0) => ({
  ...(SEED === undefined ? {} : { seed: PATH === undefined ? (SEED + shard * 2 ** 30) | 0 : SEED }),
  ...(PATH === undefined ? {} : { path: PATH }),
});

/** Fails the test with the seed and path that replay it. */
export function reportFailure<T>(name: string, details: fc.RunDetails<T>): void {
  if (!details.failed) return;
  console.error(`${name} failed: replay with FAULT_SEED=${details.seed} FAULT_PATH=${details.counterexamplePath}\n${fc.defaultReportMessage(details)}`);
  throw details.errorInstance ?? new Error(fc.defaultReportMessage(details) ?? "property failed");
}

/**
 * A run's scenario. `run` only makes names unique in the shared registry table (each run has its own function,
 * so its own traffic target and lock): it is not random, and a replayed run behaves exactly as it did.
 */
function scenarioOf(p: Parameters, run: number, shard: number): Scenario {
  const functionName = `orders-${shard}-${run}`;
  return {
    name: "fault-injection",
    account: {
      functions: [{ name: functionName, versions: 4, aliases: { live: "3" } }],
      hooks: [p.pre, p.post],
      alarms: [{ name: "orders-errors", state: "OK" }],
      metrics: p.gate ? gateMetrics(functionName, p.gate.trafficFrom, p.gate.errorsFrom) : [],
    },
    input: {
      application: "orders-app",
      deploymentGroup: "orders-prod",
      deploymentId: `d-F${shard}${String(run).padStart(7, "0")}`,
      functionName,
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
      ...(p.otherWriterAt === undefined ? [] : [{ atSeconds: p.otherWriterAt, alias: { function: functionName, name: "live", version: "2", weights: {} } }]),
      ...(p.actions ?? []),
    ],
  };
}

/**
 * Shard `shard` (1-based) of `shards` of the random-deployments property: its share of FAULT_RUNS (the shares add up
 * to FAULT_RUNS), on its own dynalite and with names of its own.
 */
export function randomDeployments(shard: number, shards: number): void {
  const runs = Math.floor(RUNS / shards) + (shard <= RUNS % shards ? 1 : 0);
  const dynamo = useDynalite();
  describe(`fault injection (${shard}/${shards})`, () => {
    it(`${runs} random deployments keep every invariant`, async () => {
      const outcomes = new Map<string, number>();
      let violations = 0;
      let run = 0;
      const details = await fc.check(
        fc.asyncProperty(parameters, async (p) => {
          run += 1;
          const scenario = scenarioOf(p, run, shard);
          let account: SimAccount | undefined;
          const r = await simulateScenario(scenario, {
            dynamo: dynamo(),
            onStart: (ctx) => {
              account = ctx.account;
            },
          });
          const key = `${r.status} ${r.error ?? ""}`.trim();
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
          const v = invariantViolations(r, account?.aliasHistory ?? []);
          if (v.length) violations += 1;
          expect(v, JSON.stringify({ scenario, status: r.status, error: r.error, cause: r.cause, log: r.log.slice(-12) })).toEqual([]);
        }),
        { numRuns: runs, endOnFailure: true, ...replay(shard - 1) },
      );
      console.log(`fault injection ${shard}/${shards}: ${details.numRuns} runs (seed ${details.seed}), ${violations} invariant violations; outcomes ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}`);
      reportFailure(`fault injection ${shard}/${shards}`, details);
      expect(outcomes.size).toBeGreaterThan(PATH === undefined ? 3 : 0);
    }, timeLimitMs(runs));
  });
}
