import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registry } from "../../functions/wiring.js";
import { type LocalDynamoDb, startDynalite } from "../../local/emulators/dynalite.js";
import { type EcsScenario, loadEcsScenario, runEcs } from "../workflows/ecs-support.js";
import { greenPercent } from "../support/routes.js";

/**
 * Whole ECS blue/green deployments under faults: the real deploy-ecs state machine, its handlers, the simulated
 * ELBv2 and ECS and dynalite, with random configs, random AWS faults (throttling, 5xx, dropped connections) on any
 * ELBv2/ECS call, lifecycle hooks that fail or crash, a replacement that never gets healthy, an alarm firing and an
 * operator's stop, abort, promote or pause and resume at random times. (ecs-steps.property.test.ts drives the steps one by one; this drives the
 * graph, its Retry/Catch and the registry.) After every run:
 *  - production and test routes end whole on one side, never split: on the replacement's target group when the
 *    deployment SUCCEEDED, on the original's otherwise;
 *  - the service has exactly one task set left, PRIMARY, of the revision the routes serve (no orphaned replacement,
 *    no original left beside it);
 *  - the registry says Succeeded / Failed / Stopped accordingly and the lock is released;
 *  - every failure is named (`Deploy.*`), and the notifications have one START and one terminal event.
 * Everything random comes from fast-check; FAULT_SEED/FAULT_PATH replay a run, ECS_DEPLOY_FAULT_RUNS sets the runs.
 */
const RUNS = Number(process.env.ECS_DEPLOY_FAULT_RUNS ?? 60);
const SEED = process.env.FAULT_SEED === undefined ? undefined : Number(process.env.FAULT_SEED);
const PATH = process.env.FAULT_PATH;
let dynamo: LocalDynamoDb;
beforeAll(async () => {
  dynamo = await startDynalite("stepdeploy-local-registry");
});
afterAll(async () => dynamo.close());

const BASE = loadEcsScenario("canary-success.json");
const HOOKS = ["CodeDeployHook_web_afterInstall", "CodeDeployHook_web_testTraffic", "CodeDeployHook_web_beforeTraffic", "CodeDeployHook_web_afterTraffic"];
const CALLS = [
  "ELBv2.DescribeListeners",
  "ELBv2.ModifyListener",
  "ELBv2.DescribeRules",
  "ELBv2.DescribeTargetHealth",
  "ELBv2.DescribeTargetGroups",
  "ECS.CreateTaskSet",
  "ECS.DescribeTaskSets",
  "ECS.DescribeServices",
  "ECS.DeleteTaskSet",
  "ECS.UpdateServicePrimaryTaskSet",
  "ECS.DescribeTaskDefinition",
  "ELBv2.*",
  "ECS.*",
];

const hookResult = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ status: "Succeeded" }) },
  { weight: 1, arbitrary: fc.constant({ status: "Failed", reason: "smoke test failed" }) },
  { weight: 1, arbitrary: fc.constant({ throw: "hook crashed" }) },
);
const parameters = fc.record({
  config: fc.constantFrom<unknown>("CodeDeployDefault.ECSAllAtOnce", "CodeDeployDefault.ECSCanary10Percent5Minutes", "CodeDeployDefault.ECSLinear10PercentEvery1Minutes", {
    steps: [
      { weight: 5, bakeMinutes: 1 },
      { weight: 50, bakeMinutes: 1 },
    ],
  }),
  testRoute: fc.boolean(),
  terminationWaitMinutes: fc.constantFrom(0, 5),
  hooks: fc.tuple(...HOOKS.map(() => fc.array(hookResult, { minLength: 1, maxLength: 2 }))),
  faults: fc.array(
    fc.record({ operation: fc.constantFrom(...CALLS), kind: fc.constantFrom("throttle", "5xx", "timeout"), count: fc.integer({ min: 1, max: 3 }), atSeconds: fc.integer({ min: 0, max: 900 }) }),
    { maxLength: 4 },
  ),
  unhealthy: fc.constantFrom(false, false, false, false, true),
  alarmAt: fc.option(fc.integer({ min: 0, max: 900 }), { freq: 3, nil: undefined }),
  /** An operator: stop, abort or promote at a random time, or pause and resume later. */
  actions: fc.option(
    fc.oneof(
      fc.record({ atSeconds: fc.integer({ min: 0, max: 900 }), action: fc.constantFrom("stop", "abort", "promote") }).map((a) => [a]),
      fc.record({ at: fc.integer({ min: 0, max: 600 }), after: fc.integer({ min: 1, max: 600 }) }).map(({ at, after }) => [
        { atSeconds: at, action: "pause" },
        { atSeconds: at + after, action: "resume" },
      ]),
    ),
    { freq: 3, nil: undefined },
  ),
});
type Parameters = typeof parameters extends fc.Arbitrary<infer T> ? T : never;

function scenarioOf(p: Parameters, run: number): EcsScenario {
  const account = BASE.account as { hooks: { name: string; results: unknown[]; latencySeconds?: number }[] };
  const input = BASE.input as Record<string, unknown> & { ecs: Record<string, unknown> };
  const { testTrafficRoute: _test, ...ecs } = input.ecs;
  return {
    name: `ecs-fault-${run}`,
    account: { ...BASE.account, hooks: account.hooks.map((h, i) => ({ ...h, results: p.hooks[i] })) },
    input: {
      ...input,
      deploymentId: `d-E${String(run).padStart(8, "0")}`,
      ecs: p.testRoute ? input.ecs : ecs,
      deploymentConfig: p.config,
      blueGreen: { terminationWaitMinutes: p.terminationWaitMinutes },
    },
    timeline: [
      ...p.faults.map((f) => ({ atSeconds: f.atSeconds, fault: { operation: f.operation, kind: f.kind, count: f.count, holdMs: 1 } })),
      ...(p.unhealthy ? [{ atSeconds: 0, taskDefinition: "web:2", tasks: "unhealthy" }] : []),
      ...(p.alarmAt === undefined ? [] : [{ atSeconds: p.alarmAt, alarm: "web-5xx", state: "ALARM" }]),
      ...(p.actions ?? []),
    ],
    expect: { status: "any" },
  };
}

describe("ECS deployments under faults", () => {
  it(`${RUNS} random blue/green deployments end whole on one side with one primary task set`, async () => {
    const outcomes = new Map<string, number>();
    let run = 0;
    const details = await fc.check(
      fc.asyncProperty(parameters, async (p) => {
        run += 1;
        const s = scenarioOf(p, run);
        const r = await runEcs(s, undefined, { dynamo });
        try {
          const { status, error } = r.report;
          outcomes.set(`${status} ${error ?? ""}`.trim(), (outcomes.get(`${status} ${error ?? ""}`.trim()) ?? 0) + 1);
          // The registry is read with the world's endpoints, as its handlers read it.
          const { record, locked } = await r.world.within(async () => {
            const record = await registry().getDeployment(r.deploymentId);
            return { record, locked: record?.lockKey ? Boolean(await registry().getLock({ lockKey: record.lockKey })) : false };
          });
          const succeeded = status === "SUCCEEDED";
          // Percent on green, whatever form the forward takes (a single target group, or both with weights).
          const side = succeeded ? 100 : 0;
          const revision = succeeded ? "web:2" : "web:1";
          const routes = p.testRoute ? ["web:80", "web:8080"] : ["web:80"];
          const terminal = r.states.filter((x) => x !== "START");
          const v = [
            ...routes.flatMap((route) => (greenPercent(r.routeAt(route)) === side ? [] : [`${route} ended ${JSON.stringify(r.routeAt(route))}, expected ${side}% on web-green`])),
            ...(JSON.stringify(r.taskSets) === JSON.stringify([{ status: "PRIMARY", taskDefinition: revision }]) ? [] : [`task sets ${JSON.stringify(r.taskSets)}, expected one PRIMARY ${revision}`]),
            ...(status === "FAILED" && !error?.startsWith("Deploy.") ? [`failed with an unnamed error ${error}`] : []),
            ...(record && record.status !== (succeeded ? "Succeeded" : record.status === "Stopped" ? "Stopped" : "Failed") ? [`registry says ${record.status} for ${status}`] : []),
            ...(locked ? ["lock still held"] : []),
            ...(r.states.length > 0 && (r.states[0] !== "START" || terminal.length !== 1) ? [`events ${JSON.stringify(r.states)}`] : []),
          ];
          expect(v, JSON.stringify({ p, status, error, cause: r.report.cause, record, events: r.world.account.events.map((e) => e.detail.state) })).toEqual([]);
        } finally {
          await r.world.close();
        }
      }),
      { numRuns: RUNS, endOnFailure: true, ...(SEED === undefined ? {} : { seed: SEED }), ...(PATH === undefined ? {} : { path: PATH }) },
    );
    console.log(`ECS fault injection: ${details.numRuns} runs (seed ${details.seed}); outcomes ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}`);
    if (details.failed) {
      console.error(`ECS fault injection failed: replay with FAULT_SEED=${details.seed} FAULT_PATH=${details.counterexamplePath}`);
      throw details.errorInstance ?? new Error(fc.defaultReportMessage(details) ?? "property failed");
    }
    expect(outcomes.size).toBeGreaterThan(PATH === undefined ? 2 : 0);
  }, 3_600_000);
});
