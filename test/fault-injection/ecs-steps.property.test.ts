import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEcsAdapter } from "../../functions/adapters/ecs.js";
import { createElbv2Adapter } from "../../functions/adapters/elbv2.js";
import { parseEcsTarget, readiness, resolveEcsConfig, weightSteps } from "../../functions/domain/ecs/index.js";
import { promoteAndRemoveOriginal } from "../../functions/services/ecs/cleanup.js";
import { installReplacement } from "../../functions/services/ecs/install.js";
import { observeReplacement } from "../../functions/services/ecs/observe.js";
import { type EcsPlan, planEcsDeployment } from "../../functions/services/ecs/plan.js";
import { rollBackEcs } from "../../functions/services/ecs/rollback.js";
import { listenerWeightsRouter } from "../../functions/services/routers/listener-weights.js";
import { WEB_SETUP, ecsClients } from "../unit/account/ecs-fixture.js";
import { startAccount } from "../unit/account/helpers.js";
import { greenPercent } from "../support/routes.js";

/**
 * The ECS blue/green steps under random AWS faults (throttling, 5xx, dropped connections on every ELBv2
 * and ECS call), replacements that never get healthy, and a rollback at a random point, through the real
 * adapters against the simulated account. Each step is retried on `Deploy.Transient` as the deploy graph's
 * Retry does (the SDK's own retries are off, so a fault reaches the step). Invariants after every run:
 * the routes end on one side (never split), exactly one PRIMARY task set that the routes serve, at most
 * one replacement ever created, and nothing left running beside the primary.
 * Everything random comes from fast-check (ECS_FAULT_RUNS sets the runs).
 */
const RUNS = Number(process.env.ECS_FAULT_RUNS ?? 60);

const fault = fc.record({
  operation: fc.constantFrom("ELBv2.DescribeListeners", "ELBv2.ModifyListener", "ELBv2.DescribeTargetHealth", "ELBv2.DescribeTargetGroups", "ECS.CreateTaskSet", "ECS.DescribeTaskSets", "ECS.DescribeServices", "ECS.DeleteTaskSet", "ECS.UpdateServicePrimaryTaskSet", "ECS.DescribeTaskDefinition", "ELBv2.*", "ECS.*"),
  kind: fc.constantFrom("throttle", "5xx", "timeout"),
  count: fc.integer({ min: 1, max: 3 }),
  atSeconds: fc.integer({ min: 0, max: 400 }),
  holdMs: fc.constant(1),
});
const run = fc.record({
  config: fc.constantFrom("CodeDeployDefault.ECSAllAtOnce", "CodeDeployDefault.ECSCanary10Percent5Minutes", "CodeDeployDefault.ECSLinear10PercentEvery1Minutes", { steps: [{ weight: 5, bakeMinutes: 1 }, { weight: 50, bakeMinutes: 1 }] }),
  faults: fc.array(fault, { maxLength: 6 }),
  unhealthy: fc.boolean(),
  /** Roll back after this many traffic steps (beyond the last: during the termination wait; null: no rollback). */
  rollbackAfter: fc.option(fc.integer({ min: 0, max: 11 }), { nil: null }),
});

async function retried<T>(step: () => Promise<T>, attempts = 25): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await step();
    } catch (e) {
      if ((e as Error).name !== "Deploy.Transient" || i >= attempts) throw e;
    }
  }
}

describe("ECS blue/green steps under faults", () => {
  it(`end with traffic on one side and one primary task set (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(run, async (r) => {
        const h = await startAccount(WEB_SETUP);
        const x = ecsClients(h, { maxAttempts: 1 });
        try {
          if (r.unhealthy) h.account.applyTimeline([{ atSeconds: 0, taskDefinition: "web:2", tasks: "unhealthy" }]);
          for (const f of r.faults) h.account.addFault(f);
          const deps = { loadBalancer: createElbv2Adapter(x.elbv2), ecs: createEcsAdapter(x.ecs) };
          const target = parseEcsTarget({ cluster: "prod", service: "web", targetGroups: ["web-blue", "web-green"], prodTrafficRoute: { listenerArn: x.arn("web:80") }, testTrafficRoute: { listenerArn: x.arn("web:8080") }, containerName: "web", containerPort: 80 });
          const name = typeof r.config === "string" ? r.config : "custom";
          const p: EcsPlan = await retried(() => planEcsDeployment(deps, { deploymentId: "d-FAULTS001", target, revision: { taskDefinition: "web:2" } }));
          const { taskSet } = await retried(() => installReplacement(deps, { target, plan: p, config: name }));
          const router = listenerWeightsRouter(deps.loadBalancer);
          const route = (arn: string) => ({ kind: "listener-weights" as const, routeArn: arn, blue: p.blue, green: p.green, config: name });
          const own: number[] = [];
          const rollback = async () => {
            const result = await retried(() => rollBackEcs(deps, { target, pair: p, config: name, prodRevision: p.prodRevision, testRevision: p.testRevision, ownWeights: own, replacement: taskSet.id }));
            expect([result.prod.restored, result.test?.restored, result.replacementDeleted]).toEqual([true, true, true]);
            return "rolled back";
          };
          const outcome = await (async () => {
            for (let t = 0; ; ) {
              const ready = readiness(await retried(() => observeReplacement(deps, { cluster: "prod", service: "web", taskSetId: taskSet.id, green: p.green })), t, 300);
              if (ready.ready) break;
              if ("failed" in ready) return rollback();
              t += h.clock.advance(ready.waitSeconds);
            }
            const test = route(x.arn("web:8080"));
            await retried(async () => router.setWeight(test, 100, (await router.read(test)).revision));
            const prod = route(x.arn("web:80"));
            let revision = (await retried(() => router.read(prod))).revision;
            for (const [i, step] of weightSteps(resolveEcsConfig(r.config)).entries()) {
              if (r.rollbackAfter === i) return rollback();
              own.push(step.weight);
              revision = (await retried(() => router.setWeight(prod, step.weight, revision))).revision;
              await retried(() => router.verify(prod, step.weight));
              h.clock.advance(step.bakeSeconds);
            }
            if (r.rollbackAfter !== null) return rollback();
            await retried(() => promoteAndRemoveOriginal(deps, { cluster: "prod", service: "web", replacement: taskSet.id, original: p.original.id }));
            return "succeeded";
          })();
          h.clock.advance(600);
          const routes = [x.elbv2World.weightsAt("web:80"), x.elbv2World.weightsAt("web:8080")];
          const sets = x.ecsWorld.taskSetsAt([...x.ecsWorld.services.values()][0] as never);
          const created = x.ecsWorld.taskSetHistory.filter((c) => c.operation === "CreateTaskSet");
          expect(created).toHaveLength(1);
          expect(sets.map((s) => [s.taskSet.status, `${s.taskSet.taskDefinition.family}:${s.taskSet.taskDefinition.revision}`])).toEqual([["PRIMARY", outcome === "succeeded" ? "web:2" : "web:1"]]);
          // Percent on green, whatever form the forward takes: a rollback leaves a route it finds already all on blue
          // (e.g. the test listener's original single forward) as it is.
          const served = outcome === "succeeded" ? 100 : 0;
          expect(routes.map((w) => greenPercent(w)), JSON.stringify(routes)).toEqual([served, served]);
        } finally {
          x.close();
          await h.close();
        }
      }),
      { numRuns: RUNS },
    );
  }, 60_000 + RUNS * 1_000);
});
