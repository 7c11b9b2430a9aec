import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { weightOnTarget } from "../../functions/domain/deployment/plan.js";
import { stopExecution } from "../../functions/adapters/sfn.js";
import { ecsWorldOf } from "../account/ecs/index.js";
import { elbv2WorldOf } from "../account/elbv2/index.js";
import type { SimAccount } from "../account/index.js";
import type { LocalDynamoDb } from "../emulators/dynalite.js";
import type { SimClock } from "../clock.js";
import type { ExecutionReport } from "../runtime/runtime.js";
import { type AliasState, type RegistryState, readAfterRun, readableCause } from "./after-run.js";
import { type WorldTransport, openSimWorld } from "./world.js";
import type { Scenario } from "./scenario.js";

export const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** One line of the readable timeline, in simulated seconds. */
export interface TimelineEntry {
  atSeconds: number;
  kind: "weight" | "alarm-check" | "hook" | "event" | "state" | "retry" | "world";
  text: string;
}

export interface SimulationReport {
  scenario: string;
  status: ExecutionReport["status"];
  error?: string;
  /** The error's cause, readable (a Lambda error's message rather than its JSON). */
  cause?: string;
  deploymentId: string;
  executionArn: string;
  /** What the registry says at the end: final status, error, and who holds the group's lock. */
  registry: RegistryState;
  /** The alias as the run left it; null when the input names a function or alias the account does not have (`missing` says which). */
  finalAlias: AliasState | null;
  /** What could not be read after the run, and why (present only when something could not). */
  missing?: string[];
  timeline: { atSeconds: number; weight: number }[];
  events: { atSeconds: number; detailType: string; source: string; detail: Record<string, unknown> }[];
  hooks: { atSeconds: number; functionName: string; lifecycleEvent?: string; outcome: string }[];
  log: TimelineEntry[];
  /** The deployment's figures with its bake watchers' added; `largestExecutionHistory` is what the 25,000-event cap applies to. */
  stats: ExecutionReport["stats"] & { hookInvocations: number; largestExecutionHistory: number };
  /** ECS: what each route forwards at the end, the task sets at the end, the replacement's production weight at each change. */
  ecs?: EcsOutcome;
  /** Present when the scenario declares `expect`: each mismatch, empty when all hold. */
  expectationFailures?: string[];
}

/** A stable id per scenario name, so reports are reproducible. */
export function scenarioDeploymentId(name: string): string {
  const digits = BigInt(`0x${createHash("sha256").update(name).digest("hex").slice(0, 16)}`).toString(36).toUpperCase();
  return `d-${digits.padStart(9, "0").slice(0, 9)}`;
}

export interface SimulateOptions {
  root?: string;
  onLog?: (entry: TimelineEntry) => void;
  /** Called once the execution is running: lets a caller act mid-run (tests, the CLI). */
  onStart?: (ctx: { account: SimAccount; clock: SimClock; executionArn: string; abort: () => void }) => void;
  /** A running dynalite to reuse (the registry table is created in it if missing); otherwise one per run. */
  dynamo?: LocalDynamoDb;
  /** How the SDK clients reach the simulated account (default in-process). */
  transport?: WorldTransport;
}

export async function simulateScenario(scenario: Scenario, opts: SimulateOptions = {}): Promise<SimulationReport> {
  const world = await openSimWorld(scenario.account, { root: opts.root, dynamo: opts.dynamo, timeline: scenario.timeline, transport: opts.transport });
  const deploymentId = (scenario.input.deploymentId as string | undefined) ?? scenarioDeploymentId(scenario.name);
  const input: Record<string, unknown> = { ...scenario.input, deploymentId };
  const functionName = String(input.functionName);
  const aliasName = String(input.alias);
  const target = String(input.targetVersion);
  const { account, clock } = world;
  try {
    return await world.within(async () => {
      const isEcs = scenario.machine === "deploy-ecs";
      const log = new LogFollower(account, target, opts.onLog, isEcs);
      const run = await world.startDeployment(input, scenario.machine);
      opts.onStart?.({ account, clock, executionArn: run.executionArn, abort: () => void stopExecution(run.executionArn, "Simulate.Aborted", "aborted by the scenario") });
      const pollTimer = setInterval(() => log.poll(), 5);
      let result: ExecutionReport;
      try {
        result = await run.finished;
      } finally {
        clearInterval(pollTimer);
      }
      // The deployment's bake watchers (child executions named after it) count towards its cost.
      const children = await Promise.all(account.sfn.executions.filter((e) => e.name.startsWith(`${deploymentId}-`)).map((e) => world.wired.finished(e.executionArn)));
      const largestExecutionHistory = Math.max(result.stats.historyEvents, ...children.map((c) => c.stats.historyEvents));
      result = { ...result, stats: sumStats(result.stats, children.map((c) => c.stats)) };
      log.poll();
      const after = await readAfterRun(account, input, deploymentId, { alias: !isEcs });
      const ecs = isEcs ? ecsOutcome(account) : undefined;
      const report: SimulationReport = {
        scenario: scenario.name,
        status: result.status,
        error: result.error,
        cause: readableCause(result.cause),
        deploymentId,
        executionArn: run.executionArn,
        finalAlias: after.finalAlias,
        registry: after.registry,
        ...(after.missing.length ? { missing: after.missing } : {}),
        timeline: ecs
          ? ecs.prodWeights
          : account.aliasHistory
              .filter((h) => h.functionName === functionName && h.alias === aliasName)
              .map((h) => ({ atSeconds: h.atSeconds, weight: weightOnTarget({ functionVersion: h.functionVersion, weights: h.additionalVersionWeights }, target) })),
        ...(ecs ? { ecs } : {}),
        events: account.events.map((e) => ({ atSeconds: e.atSeconds, detailType: e.detailType, source: e.source, detail: e.detail })),
        hooks: account.hookInvocations.map((h) => ({ atSeconds: h.atSeconds, functionName: h.functionName, lifecycleEvent: h.payload?.lifecycleEvent, outcome: h.outcome })),
        log: log.entries,
        stats: { ...result.stats, lambdaInvocations: result.stats.lambdaInvocations + world.runtime.backgroundInvocations, hookInvocations: account.hookInvocations.length, largestExecutionHistory },
      };
      if (scenario.expect) report.expectationFailures = checkExpectation(scenario, report);
      return report;
    });
  } finally {
    await world.close();
  }
}

/** An execution's figures plus its children's (transitions, history, calls, invocations, cost add up). */
function sumStats(own: ExecutionReport["stats"], children: ExecutionReport["stats"][]): ExecutionReport["stats"] {
  const apiCalls = { ...own.apiCalls };
  for (const c of children) for (const [k, v] of Object.entries(c.apiCalls)) apiCalls[k] = (apiCalls[k] ?? 0) + v;
  const add = (k: "stateTransitions" | "historyEvents" | "apiCallsTotal" | "lambdaInvocations" | "lambdaGbSeconds" | "estimatedCostUsd") =>
    Number((own[k] + children.reduce((a, c) => a + c[k], 0)).toFixed(8));
  return {
    ...own,
    apiCalls,
    stateTransitions: add("stateTransitions"),
    historyEvents: add("historyEvents"),
    apiCallsTotal: add("apiCallsTotal"),
    lambdaInvocations: add("lambdaInvocations"),
    lambdaGbSeconds: add("lambdaGbSeconds"),
    estimatedCostUsd: add("estimatedCostUsd"),
  };
}

export function checkExpectation(scenario: Scenario, r: SimulationReport): string[] {
  const e = scenario.expect;
  if (!e) return [];
  const out: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (e.status !== r.status) out.push(`status: expected ${e.status}, got ${r.status}`);
  if (e.error !== undefined && e.error !== r.error) out.push(`error: expected ${e.error}, got ${r.error}`);
  if (e.finalAlias && !same(e.finalAlias, r.finalAlias)) out.push(`finalAlias: expected ${JSON.stringify(e.finalAlias)}, got ${JSON.stringify(r.finalAlias)}`);
  const states = r.events.map((ev) => String(ev.detail.state));
  if (e.events && !same(e.events, states)) out.push(`events: expected ${JSON.stringify(e.events)}, got ${JSON.stringify(states)}`);
  const weights = r.timeline.map((t) => [t.atSeconds, t.weight]);
  if (e.weights && !same(e.weights, weights)) out.push(`weights: expected ${JSON.stringify(e.weights)}, got ${JSON.stringify(weights)}`);
  for (const [route, forward] of Object.entries(e.finalRoutes ?? {})) {
    if (!same(forward, r.ecs?.routes[route])) out.push(`finalRoutes ${route}: expected ${JSON.stringify(forward)}, got ${JSON.stringify(r.ecs?.routes[route])}`);
  }
  if (e.taskSets && !same(e.taskSets, r.ecs?.taskSets)) out.push(`taskSets: expected ${JSON.stringify(e.taskSets)}, got ${JSON.stringify(r.ecs?.taskSets)}`);
  const prod = r.ecs?.prodWeights.map((w) => w.weight);
  if (e.prodWeights && !same(e.prodWeights, prod)) out.push(`prodWeights: expected ${JSON.stringify(e.prodWeights)}, got ${JSON.stringify(prod)}`);
  return out;
}

export interface EcsOutcome {
  /** What each route that changed forwards at the end, by target group name. */
  routes: Record<string, Record<string, number> | undefined>;
  taskSets: { status: string; taskDefinition: string }[];
  /** The production route (the first one the deployment changed) and the replacement's weight on it at each change. */
  prodRoute: string | null;
  prodWeights: { atSeconds: number; weight: number }[];
}

/**
 * An ECS run as the simulated ELBv2 and ECS left it. The production route is the first route the deployment changed
 * (Install adds the replacement's target group to it at weight 0); the replacement is the target group with the
 * least weight in that first change.
 */
export function ecsOutcome(account: SimAccount): EcsOutcome {
  const elbv2 = elbv2WorldOf(account);
  const ecs = ecsWorldOf(account);
  const changes = elbv2?.forwardHistory.filter((c) => c.operation !== "setup") ?? [];
  const first = changes[0];
  const green = first ? Object.entries(first.weights).sort((a, b) => a[1] - b[1])[0]?.[0] : undefined;
  const prodRoute = first?.resource ?? null;
  return {
    routes: Object.fromEntries([...new Set(changes.map((c) => c.resource))].map((r) => [r, elbv2.weightsAt(r)])),
    taskSets: ecs
      ? [...ecs.services.values()].flatMap((svc) =>
          ecs
            .taskSetsAt(svc)
            .filter((t) => t.taskSet.status !== "DRAINING")
            .map((t) => ({ status: t.taskSet.status, taskDefinition: `${t.taskSet.taskDefinition.family}:${t.taskSet.taskDefinition.revision}` })),
        )
      : [],
    prodRoute,
    prodWeights: changes.filter((c) => c.resource === prodRoute).map((c) => ({ atSeconds: c.atSeconds, weight: (green && c.weights[green]) || 0 })),
  };
}

/** Merges what the account saw and what the workflow did into one readable, time-ordered log. */
class LogFollower {
  readonly entries: TimelineEntry[] = [];
  private seen = { alias: 0, events: 0, hooks: 0, calls: 0, trace: 0, world: 0, routes: 0, taskSets: 0 };

  constructor(
    private readonly account: SimAccount,
    private readonly target: string,
    private readonly onLog?: (e: TimelineEntry) => void,
    private readonly ecs = false,
  ) {}

  private push(e: TimelineEntry) {
    this.entries.push(e);
    this.onLog?.(e);
  }

  poll(): void {
    const a = this.account;
    const fresh: TimelineEntry[] = [];
    for (const h of a.worldLog.slice(this.seen.world)) fresh.push({ atSeconds: h.atSeconds, kind: "world", text: h.text });
    for (const c of a.calls.slice(this.seen.calls)) {
      if (c.operation === "DescribeAlarms") fresh.push({ atSeconds: c.atSeconds, kind: "alarm-check", text: `alarms read: ${c.summary ?? (c.ok ? "ok" : c.errorName)}` });
      else if (!c.ok) fresh.push({ atSeconds: c.atSeconds, kind: "retry", text: `${c.operation} failed: ${c.errorName}` });
    }
    for (const h of a.hookInvocations.slice(this.seen.hooks)) fresh.push({ atSeconds: h.atSeconds, kind: "hook", text: `hook ${h.functionName}: ${h.outcome}` });
    for (const h of a.aliasHistory.slice(this.seen.alias)) {
      const w = weightOnTarget({ functionVersion: h.functionVersion, weights: h.additionalVersionWeights }, this.target);
      fresh.push({ atSeconds: h.atSeconds, kind: "weight", text: `${h.alias} -> ${w}% on v${this.target} (FunctionVersion ${h.functionVersion}, routing ${JSON.stringify(h.additionalVersionWeights)})` });
    }
    for (const ev of a.events.slice(this.seen.events)) {
      const d = ev.detail as { state?: string; reason?: string };
      fresh.push({ atSeconds: ev.atSeconds, kind: "event", text: `event ${d.state ?? ev.detailType}${d.reason ? `: ${d.reason}` : ""}` });
    }
    const routes = this.ecs ? (elbv2WorldOf(a)?.forwardHistory ?? []) : [];
    const taskSets = this.ecs ? (ecsWorldOf(a)?.taskSetHistory ?? []) : [];
    // ECS: every change of what a listener or rule forwards (the live timeline of weights), and of the task sets.
    for (const c of routes.slice(this.seen.routes)) if (c.operation !== "setup") fresh.push({ atSeconds: c.atSeconds, kind: "weight", text: `${c.resource} -> ${Object.entries(c.weights).map(([tg, w]) => `${tg} ${w}`).join(", ")}` });
    for (const c of taskSets.slice(this.seen.taskSets)) fresh.push({ atSeconds: c.atSeconds, kind: "world", text: `${c.operation} ${c.service} ${c.detail}` });
    this.seen = { alias: a.aliasHistory.length, events: a.events.length, hooks: a.hookInvocations.length, calls: a.calls.length, trace: 0, world: a.worldLog.length, routes: routes.length, taskSets: taskSets.length };
    fresh.sort((x, y) => x.atSeconds - y.atSeconds);
    for (const e of fresh) this.push(e);
  }
}
