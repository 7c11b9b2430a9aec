import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchScenario } from "../../bench/deployments.js";
import { resolveSchedule } from "../../functions/domain/configs/index.js";
import type { SimAccount } from "../../local/account/index.js";
import { type LocalDynamoDb, startDynalite } from "../../local/emulators/dynalite.js";
import { PROJECT_ROOT, simulateScenario } from "../../local/simulate/run-scenario.js";

/**
 * The deploy graph's cost, on the local engine with the real ASL: at most 3 transitions per traffic step plus 12
 * fixed (2 hooks, 1 alarm, alarm events), and a history that does not grow with bake length, in any alarm mode
 * (alarm polling and metric gates wake a bake watcher, whose own history is bounded by handing over).
 */
let dynamo: LocalDynamoDb;
beforeAll(async () => {
  dynamo = await startDynalite("stepdeploy-local-registry");
});
afterAll(async () => dynamo.close());

let n = 0;
async function run(config: unknown, monitoring: "events" | "polling" = "events") {
  const s = benchScenario(`budget ${JSON.stringify(config)}`, config, {}, 60, monitoring);
  s.input.deploymentId = `d-BUDGET${String(++n).padStart(3, "0")}`;
  let account: SimAccount | undefined;
  const r = await simulateScenario(s, {
    dynamo,
    onStart: (ctx) => {
      account = ctx.account;
    },
  });
  expect(r.status).toBe("SUCCEEDED");
  return { r, account: account as SimAccount, steps: resolveSchedule(config).steps.length };
}

describe("the deploy graph", () => {
  it("gives every state a Comment, in both deployment state machines", () => {
    for (const machine of ["deploy-lambda", "bake-watcher"]) {
      const asl = JSON.parse(readFileSync(join(PROJECT_ROOT, "statemachines", `${machine}.asl.json`), "utf8")) as { States: Record<string, { Comment?: string }> };
      const bare = Object.entries(asl.States).filter(([, s]) => !s.Comment?.trim());
      expect(bare.map(([name]) => `${machine}: ${name}`)).toEqual([]);
    }
  });

  it.each(["CodeDeployDefault.LambdaAllAtOnce", "CodeDeployDefault.LambdaCanary10Percent5Minutes", "CodeDeployDefault.LambdaLinear10PercentEvery1Minute"])(
    "%s: at most 3 transitions per traffic step + 12",
    async (config) => {
      const { r, steps } = await run(config);
      expect(r.stats.stateTransitions).toBeLessThanOrEqual(3 * steps + 12);
    },
  );

  it("a 48-hour canary costs what a 5-minute one does: history does not grow with bake length", async () => {
    const short = await run("CodeDeployDefault.LambdaCanary10Percent5Minutes");
    const long = await run({ steps: [{ weight: 10, bakeMinutes: 2880 }] });
    expect(long.r.stats.simulatedSeconds).toBe(172800);
    expect(long.r.stats.stateTransitions).toBe(short.r.stats.stateTransitions);
    expect(long.r.stats.historyEvents).toBe(short.r.stats.historyEvents);
  });

  it("alarm polling keeps the deployment's graph; the bake watcher polls, and hands over before its history grows large", async () => {
    const events = await run({ steps: [{ weight: 10, bakeMinutes: 600 }] });
    const polled = await run({ steps: [{ weight: 10, bakeMinutes: 600 }] }, "polling");
    const watchers = polled.account.sfn.executions.filter((e) => e.name.startsWith(`${polled.r.deploymentId}-`));
    // 600 checks at one a minute: a first watcher of 500 checks, then a fresh one.
    expect(watchers.map((w) => w.name)).toEqual([expect.stringMatching(/-s0-[0-9a-f]{10}$/), expect.stringMatching(/-s0-[0-9a-f]{10}-p1$/)]);
    expect(watchers.every((w) => w.status === "SUCCEEDED")).toBe(true);
    // The parent's own transitions are the events mode's; the watchers' (Sleep, Check, Watching per check, and
    // each one's Done) are added to the deployment's figures.
    expect(polled.r.stats.stateTransitions).toBe(events.r.stats.stateTransitions + 3 * 600 + watchers.length);
  });
});
