import type { Scenario } from "../local/simulate/scenario.js";
import { simulateScenario } from "../local/simulate/run-scenario.js";

/**
 * Benchmark of the Lambda deployment workflow: for every predefined Lambda config, a custom step
 * list and a 48-hour canary, one successful deployment in the simulator (both hooks, one alarm,
 * alarms polled every 60 s), plus alarm-rollback reaction times.
 */
export const LAMBDA_CONFIGS = [
  "CodeDeployDefault.LambdaAllAtOnce",
  "CodeDeployDefault.LambdaCanary10Percent5Minutes",
  "CodeDeployDefault.LambdaCanary10Percent10Minutes",
  "CodeDeployDefault.LambdaCanary10Percent15Minutes",
  "CodeDeployDefault.LambdaCanary10Percent30Minutes",
  "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
  "CodeDeployDefault.LambdaLinear10PercentEvery2Minutes",
  "CodeDeployDefault.LambdaLinear10PercentEvery3Minutes",
  "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes",
];

export const CUSTOM_CONFIGS: Record<string, unknown> = {
  "custom steps 1/10/50%": { steps: [{ weight: 1, bakeMinutes: 5 }, { weight: 10, bakeMinutes: 10 }, { weight: 50, bakeMinutes: 10 }] },
  "custom canary 10% for 48 h": { trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedCanary: { canaryPercentage: 10, canaryInterval: 2880 } } },
};

export function benchScenario(name: string, config: unknown, extra: Partial<Scenario> = {}, pollSeconds = 60): Scenario {
  return {
    name: `bench ${name}`,
    account: {
      functions: [{ name: "orders", versions: 4, aliases: { live: "3" } }],
      hooks: [
        { name: "CodeDeployHook_pre", results: [{ status: "Succeeded" }] },
        { name: "CodeDeployHook_post", results: [{ status: "Succeeded" }] },
      ],
      alarms: [{ name: "orders-errors", state: "OK" }],
    },
    input: {
      application: "orders-app",
      deploymentGroup: "orders-prod",
      functionName: "orders",
      alias: "live",
      targetVersion: "4",
      deploymentConfig: config,
      hooks: { beforeAllowTraffic: "CodeDeployHook_pre", afterAllowTraffic: "CodeDeployHook_post" },
      alarms: ["orders-errors"],
      alarmPollSeconds: pollSeconds,
    },
    ...extra,
  };
}

export interface DeploymentBenchRow {
  config: string;
  status: string;
  simulatedSeconds: number;
  stateTransitions: number;
  historyEvents: number;
  apiCalls: number;
  lambdaInvocations: number;
  hookInvocations: number;
  estimatedCostUsd: number;
  wallMs: number;
}

export async function benchDeployments(): Promise<DeploymentBenchRow[]> {
  const rows: DeploymentBenchRow[] = [];
  const all: [string, unknown][] = [...LAMBDA_CONFIGS.map((c) => [c, c] as [string, unknown]), ...Object.entries(CUSTOM_CONFIGS)];
  for (const [label, config] of all) {
    const r = await simulateScenario(benchScenario(label, config));
    rows.push({
      config: label.replace("CodeDeployDefault.", ""),
      status: r.status,
      simulatedSeconds: r.stats.simulatedSeconds,
      stateTransitions: r.stats.stateTransitions,
      historyEvents: r.stats.historyEvents,
      apiCalls: r.stats.apiCallsTotal,
      lambdaInvocations: r.stats.lambdaInvocations,
      hookInvocations: r.stats.hookInvocations,
      estimatedCostUsd: r.stats.estimatedCostUsd,
      wallMs: r.stats.wallMs,
    });
  }
  return rows;
}

export interface ReactionRow {
  mechanism: string;
  pollSeconds: number;
  alarmAtSeconds: number;
  rolledBackAtSeconds: number;
  reactionSeconds: number;
}

/** Seconds from an alarm entering ALARM to the alias being back on the old version. */
export async function benchRollbackReaction(): Promise<ReactionRow[]> {
  const rows: ReactionRow[] = [];
  for (const poll of [10, 60]) {
    for (const alarmAt of [95, 130]) {
      const r = await simulateScenario(
        benchScenario("reaction", "CodeDeployDefault.LambdaCanary10Percent5Minutes", { timeline: [{ atSeconds: alarmAt, alarm: "orders-errors", state: "ALARM" }] }, poll),
      );
      const back = r.timeline.find((t) => t.weight === 0 && t.atSeconds >= alarmAt);
      rows.push({
        mechanism: "polling",
        pollSeconds: poll,
        alarmAtSeconds: alarmAt,
        rolledBackAtSeconds: back?.atSeconds ?? Number.NaN,
        reactionSeconds: back ? back.atSeconds - alarmAt : Number.NaN,
      });
    }
  }
  return rows;
}
