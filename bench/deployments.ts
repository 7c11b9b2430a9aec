import type { Scenario } from "../local/simulate/scenario.js";
import type { LocalDynamoDb } from "../local/emulators/dynalite.js";
import { resolveSchedule } from "../functions/domain/configs/index.js";
import { simulateScenario } from "../local/simulate/run-scenario.js";

/**
 * Benchmark of the Lambda deployment workflow: for every predefined Lambda config, a custom step
 * list and a 48-hour canary, one successful deployment in the simulator (both hooks, one alarm;
 * alarm events, and two configs with alarms polled every 60 s), plus alarm-rollback reaction times.
 * Beside our transitions: the budget (3 per traffic step + 12), the floor of any Step Functions
 * deployer with an alarm-event watch (one shift per step, one bake between steps: 2n - 1), and the
 * public aws-samples Step Functions deployer (aws-samples/aws-lambda-deploy, template.yml: CalculateWeights,
 * then per step UpdateWeight, Wait, HealthCheck, VerifyHealthCheck and IsFullyWeighted, then Finalize:
 * 2 + 5n, with no hooks, events, lock or alarm events).
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

export function benchScenario(name: string, config: unknown, extra: Partial<Scenario> = {}, pollSeconds = 60, monitoring: "events" | "polling" = "events"): Scenario {
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
      alarmMonitoring: monitoring,
    },
    ...extra,
  };
}

export interface DeploymentBenchRow {
  config: string;
  monitoring: string;
  status: string;
  /** Traffic steps of the plan (n). */
  steps: number;
  /** 3 n + 12: at most 3 transitions per traffic step plus 12 fixed. */
  budget: number;
  /** 2 n - 1: n shifts and n - 1 bakes, nothing else. */
  floor: number;
  /** 2 + 5 n: aws-samples/aws-lambda-deploy's state machine for the same steps. */
  awsSample: number;
  simulatedSeconds: number;
  stateTransitions: number;
  historyEvents: number;
  apiCalls: number;
  lambdaInvocations: number;
  hookInvocations: number;
  /** The largest history of one execution (the deployment's or one of its bake watchers'): what the 25,000 cap limits. */
  largestExecutionHistory: number;
  estimatedCostUsd: number;
  wallMs: number;
}

export async function benchDeployments(dynamo?: LocalDynamoDb): Promise<DeploymentBenchRow[]> {
  const rows: DeploymentBenchRow[] = [];
  const all: [string, unknown, "events" | "polling"][] = [
    ...LAMBDA_CONFIGS.map((c) => [c, c, "events"] as [string, unknown, "events"]),
    ...Object.entries(CUSTOM_CONFIGS).map(([k, v]) => [k, v, "events"] as [string, unknown, "events"]),
    ["CodeDeployDefault.LambdaLinear10PercentEvery10Minutes", "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes", "polling"],
    ["custom canary 10% for 48 h", CUSTOM_CONFIGS["custom canary 10% for 48 h"], "polling"],
  ];
  for (const [label, config, monitoring] of all) {
    const s = benchScenario(label, config, {}, 60, monitoring);
    s.input.deploymentId = `d-${String(rows.length).padStart(9, "B")}`;
    const r = await simulateScenario(s, { dynamo });
    const n = resolveSchedule(config).steps.length;
    rows.push({
      monitoring: monitoring === "events" ? "alarm events" : "polling 60 s",
      config: label.replace("CodeDeployDefault.", ""),
      status: r.status,
      steps: n,
      budget: 3 * n + 12,
      floor: 2 * n - 1,
      awsSample: 2 + 5 * n,
      simulatedSeconds: r.stats.simulatedSeconds,
      stateTransitions: r.stats.stateTransitions,
      historyEvents: r.stats.historyEvents,
      apiCalls: r.stats.apiCallsTotal,
      lambdaInvocations: r.stats.lambdaInvocations,
      hookInvocations: r.stats.hookInvocations,
      largestExecutionHistory: r.stats.largestExecutionHistory,
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
export async function benchRollbackReaction(dynamo?: LocalDynamoDb): Promise<ReactionRow[]> {
  const rows: ReactionRow[] = [];
  const cases: ["events" | "polling", number][] = [
    ["events", 60],
    ["polling", 10],
    ["polling", 60],
  ];
  for (const [monitoring, poll] of cases) {
    for (const alarmAt of [95, 130]) {
      const s = benchScenario("reaction", "CodeDeployDefault.LambdaCanary10Percent5Minutes", { timeline: [{ atSeconds: alarmAt, alarm: "orders-errors", state: "ALARM" }] }, poll, monitoring);
      s.input.deploymentId = `d-R${monitoring === "events" ? "E" : "P"}${String(poll).padStart(3, "0")}${alarmAt}`.padEnd(11, "0").slice(0, 11);
      const r = await simulateScenario(s, { dynamo });
      const back = r.timeline.find((t) => t.weight === 0 && t.atSeconds >= alarmAt);
      rows.push({
        mechanism: monitoring === "events" ? "alarm event -> callback" : "polling",
        pollSeconds: poll,
        alarmAtSeconds: alarmAt,
        rolledBackAtSeconds: back?.atSeconds ?? Number.NaN,
        reactionSeconds: back ? back.atSeconds - alarmAt : Number.NaN,
      });
    }
  }
  return rows;
}
