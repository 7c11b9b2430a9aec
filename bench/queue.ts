import { readFileSync } from "node:fs";
import type { ExecutionReport } from "../local/runtime/runtime.js";
import { openSimWorld } from "../local/simulate/world.js";

/**
 * The queue (`queue: true`): one canary runs, N more deployments of the same alias queue behind it
 * (arriving at simulated seconds 1, 2, 3, ...) and run one after another. Reported per queued deployment:
 * when it started (simulated), its transitions and history events (waiting costs one more Start, plus
 * one per hourly re-check), and the wall time of the whole run. (API calls are not split per execution here:
 * the process-wide meter cannot tell concurrent executions apart.)
 */
const canary = JSON.parse(readFileSync(new URL("../events/scenarios/canary-success.json", import.meta.url), "utf8"));

export async function benchQueue(queued = 3): Promise<Record<string, unknown>[]> {
  const account = { ...canary.account, functions: [{ name: "orders", versions: 3 + queued + 1, aliases: { live: "3" } }] };
  const world = await openSimWorld(account);
  const wallStart = performance.now();
  try {
    return await world.within(async () => {
      const group = { application: "orders-app", deploymentGroup: "orders-prod" };
      const ids = Array.from({ length: queued + 1 }, (_, i) => `d-BENCHQ${String(i).padStart(3, "0")}`);
      const runs: Promise<{ finished: Promise<ExecutionReport> }>[] = [];
      for (const [i, id] of ids.entries()) {
        const input = { ...canary.input, ...group, deploymentId: id, currentVersion: undefined, targetVersion: String(4 + i), ...(i > 0 ? { queue: true } : {}) };
        if (i === 0) {
          runs.push(world.startDeployment(input));
          continue;
        }
        // The others arrive at 1 s, 2 s, ...: the first holds the lock by then (it bakes from 0 s).
        runs.push(
          new Promise((resolve, reject) => {
            world.account.onAction(`start-${id}`, async () => void world.startDeployment(input).then(resolve, reject));
            world.account.applyTimeline([{ atSeconds: i, action: `start-${id}` }]);
          }),
        );
      }
      const reports = await Promise.all(runs.map(async (r) => (await r).finished));
      const wallMs = Math.round(performance.now() - wallStart);
      const starts = world.account.events.filter((e) => e.detail.state === "START");
      return reports.map((r, i) => ({
        deployment: i === 0 ? "first (holds the lock)" : `queued #${i}`,
        status: r.status,
        waitedSeconds: starts.find((e) => (e.detail as { deploymentId?: string }).deploymentId === ids[i])?.atSeconds ?? Number.NaN,
        stateTransitions: r.stats.stateTransitions,
        historyEvents: r.stats.historyEvents,
        estimatedCostUsd: r.stats.estimatedCostUsd,
        wallMsWholeRun: wallMs,
      }));
    });
  } finally {
    await world.close();
  }
}
