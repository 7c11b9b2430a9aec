import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { elbv2WorldOf } from "../local/account/elbv2/index.js";
import { scenarioDeploymentId } from "../local/simulate/run-scenario.js";
import { openSimWorld } from "../local/simulate/world.js";
import { markdownTable } from "./table.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const scenario = (file: string) => JSON.parse(readFileSync(join(here, "..", "events/ecs/scenarios", file), "utf8")) as { name: string; account: unknown; input: Record<string, unknown>; timeline?: Record<string, unknown>[] };

const CONFIGS = ["ECSAllAtOnce", "ECSCanary10Percent5Minutes", "ECSCanary10Percent15Minutes", "ECSLinear10PercentEvery1Minutes", "ECSLinear10PercentEvery3Minutes"];

/** One run of a scenario's world and input on deploy-ecs: its figures (all executions, bake watchers included). */
async function runOnce(file: string, overrides: Record<string, unknown>) {
  const s = scenario(file);
  const started = Date.now();
  const world = await openSimWorld(s.account, { timeline: s.timeline ?? [] });
  try {
    const input = { ...s.input, ...overrides, deploymentId: scenarioDeploymentId(`${s.name}-${JSON.stringify(overrides)}`) };
    const report = await world.within(async () => (await world.startDeployment(input, "deploy-ecs")).finished);
    const prod = elbv2WorldOf(world.account).forwardHistory.filter((c) => c.resource === "web:80" && c.operation.startsWith("Modify"));
    return { report, prod, wallMs: Date.now() - started, simulatedSeconds: world.clock.elapsedSeconds() };
  } finally {
    await world.close();
  }
}

/**
 * ECS blue/green per predefined config (the canary-success world: 2 tasks, a test listener, 4 hooks, 1 alarm, a
 * 5-minute termination wait), and the rollback reaction from the alarm event (linear-alarm-rollback: the alarm
 * goes to ALARM at 240 s; the production listener is back on blue at the reported second).
 */
export async function benchEcs(print: (text: string) => void): Promise<Record<string, unknown>> {
  const rows: Record<string, unknown>[] = [];
  for (const name of CONFIGS) {
    const { report, wallMs, simulatedSeconds } = await runOnce("canary-success.json", { deploymentConfig: `CodeDeployDefault.${name}` });
    const s = report.stats;
    rows.push({ config: name, status: report.status, simulated: `${(simulatedSeconds / 60).toFixed(1)} min`, transitions: s.stateTransitions, history: s.historyEvents, apiCalls: s.apiCallsTotal, lambda: s.lambdaInvocations, cost: `$${s.estimatedCostUsd.toFixed(6)}`, wallMs });
  }
  print("\n### ECS blue/green (one run each: 2 tasks, test listener, 4 hooks, 1 alarm, 5-minute termination wait)\n");
  print(
    markdownTable(rows, [
      { key: "config", title: "config" },
      { key: "status", title: "outcome" },
      { key: "simulated", title: "simulated" },
      { key: "transitions", title: "transitions" },
      { key: "history", title: "history events" },
      { key: "apiCalls", title: "AWS API calls" },
      { key: "lambda", title: "our Lambda invocations" },
      { key: "cost", title: "est. cost" },
      { key: "wallMs", title: "local wall ms" },
    ]),
  );
  const alarmAt = 240;
  const rollback = await runOnce("linear-alarm-rollback.json", {});
  const restoredAt = rollback.prod.at(-1)?.atSeconds ?? Number.NaN;
  const reaction = { outcome: `${rollback.report.status} ${rollback.report.error ?? ""}`.trim(), alarmAtSeconds: alarmAt, prodRestoredAtSeconds: restoredAt, reactionSeconds: restoredAt - alarmAt };
  print(`\nECS rollback reaction: the alarm event at ${alarmAt} s; the production listener back on blue at ${restoredAt} s (${reaction.reactionSeconds} s, simulated).\n`);
  return { configs: rows, rollbackReaction: reaction };
}
