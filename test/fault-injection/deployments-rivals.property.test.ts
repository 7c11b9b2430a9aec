import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { registry } from "../../functions/wiring.js";
import type { ExecutionReport } from "../../local/runtime/runtime.js";
import { openSimWorld } from "../../local/simulate/world.js";
import { config, faultOn, RIVAL_RUNS, replay, reportFailure, timeLimitMs, useDynalite, WORKFLOW_CALLS } from "./deployment-runs.js";
import { overlappingDeployments } from "./invariants.js";

/**
 * Two deployments racing for one alias, from any group and with any form of the function's name, under random
 * faults and stops: never both on the alias at once, both end, every failure named, the alias whole, the lock and
 * the queue empty. Its own file (deployment-runs.ts has the arbitraries) so it runs on a worker of its own.
 */
const dynamo = useDynalite();

describe("fault injection: racing deployments", () => {
  const rival = fc.record({
    second: fc.record({
      group: fc.constantFrom("orders-prod", "ORDERS-PROD", "payments-prod"),
      queue: fc.boolean(),
      arrivesAt: fc.integer({ min: 1, max: 400 }),
      byArn: fc.boolean(),
    }),
    configs: fc.tuple(config, config),
    stop: fc.option(fc.record({ who: fc.constantFrom(0, 1), atSeconds: fc.integer({ min: 0, max: 600 }), action: fc.constantFrom("stop", "abort") }), { nil: undefined }),
    // Not StartExecution: that is how the operator starts the second deployment here.
    faults: fc.array(faultOn(WORKFLOW_CALLS), { maxLength: 2 }),
  });

  it(`${RIVAL_RUNS} pairs of deployments on one alias (any group, any name form) never hold it at the same time`, async () => {
    const outcomes = new Map<string, number>();
    let run = 0;
    const details = await fc.check(
      fc.asyncProperty(rival, async (p) => {
        run += 1;
        const fn = `rival-${run}`;
        const ids = [`d-R${String(run).padStart(8, "0")}`, `d-S${String(run).padStart(8, "0")}`];
        const world = await openSimWorld(
          { functions: [{ name: fn, versions: 5, aliases: { live: "3" } }], hooks: [{ name: "CodeDeployHook_pre", results: [{ status: "Succeeded" }] }], alarms: [{ name: "orders-errors", state: "OK" }] },
          { dynamo: dynamo(), timeline: p.faults.map((f) => ({ atSeconds: f.atSeconds, fault: { operation: f.operation, kind: f.kind, count: f.count, holdMs: f.holdMs } })) },
        );
        try {
          await world.within(async () => {
            const base = { application: "orders-app", alias: "live", hooks: { beforeAllowTraffic: "CodeDeployHook_pre" }, alarms: ["orders-errors"] };
            const first = await world.startDeployment({ ...base, deploymentId: ids[0], deploymentGroup: "orders-prod", functionName: fn, targetVersion: "4", deploymentConfig: p.configs[0] });
            // The second arrives at `arrivesAt` (simulated), or right after the first if that ended sooner (time
            // only moves while a deployment waits).
            let second: Promise<{ finished: Promise<ExecutionReport> }> | undefined;
            const arrive = () => {
              const functionName = p.second.byArn ? `arn:aws:lambda:us-east-1:123456789012:function:${fn}` : fn;
              second ??= world.startDeployment({ ...base, deploymentId: ids[1], deploymentGroup: p.second.group, functionName, targetVersion: "5", deploymentConfig: p.configs[1], queue: p.second.queue });
              return second;
            };
            world.account.onAction("second", async () => void arrive());
            world.account.applyTimeline([{ atSeconds: p.second.arrivesAt, action: "second" }]);
            if (p.stop) world.account.applyTimeline([{ atSeconds: p.stop.atSeconds, action: p.stop.action, input: { deploymentId: ids[p.stop.who] } }]);
            const firstReport = await first.finished;
            const reports = [firstReport, await (await arrive()).finished];
            for (const r of reports) outcomes.set(`${r.status} ${r.error ?? ""}`.trim(), (outcomes.get(`${r.status} ${r.error ?? ""}`.trim()) ?? 0) + 1);
            const records = await Promise.all(ids.map((id) => registry().getDeployment(id)));
            const lockKey = `arn:aws:lambda:us-east-1:123456789012:function:${fn}:live`;
            const alias = world.account.getAlias(fn, "live");
            const v = [
              ...overlappingDeployments(records),
              ...records.flatMap((rec, i) => (rec && !["Succeeded", "Failed", "Stopped"].includes(rec.status) ? [`${ids[i]} ended ${rec.status}`] : [])),
              ...reports.flatMap((r, i) => (r.status !== "SUCCEEDED" && !r.error?.startsWith("Deploy.") && r.status !== "ABORTED" ? [`${ids[i]} failed unnamed: ${r.error}`] : [])),
              ...(Object.keys(alias.additionalVersionWeights).length ? [`alias left split: ${JSON.stringify(alias)}`] : []),
              ...((await registry().getLock({ lockKey })) ? ["lock still held"] : []),
              ...((await registry().listQueue({ lockKey })).length ? ["queue not empty"] : []),
            ];
            expect(v, JSON.stringify({ p, reports: reports.map((r) => [r.status, r.error, r.cause]) })).toEqual([]);
          });
        } finally {
          await world.close();
        }
      }),
      { numRuns: RIVAL_RUNS, endOnFailure: true, ...replay() },
    );
    console.log(`rival deployments: ${details.numRuns} runs (seed ${details.seed}); outcomes ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}`);
    reportFailure("rival deployments", details);
  }, timeLimitMs(RIVAL_RUNS));
});
