import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { weightOnTarget } from "../../functions/domain/deployment/plan.js";
import { SimAccount } from "../account/index.js";
import { SimClock } from "../clock.js";
import { type ExecutionReport, LocalRuntime } from "../runtime/runtime.js";
import { withAwsEndpoint } from "./endpoint-env.js";
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
  cause?: string;
  deploymentId: string;
  finalAlias: { functionVersion: string; additionalVersionWeights: Record<string, number> };
  timeline: { atSeconds: number; weight: number }[];
  events: { atSeconds: number; detailType: string; source: string; detail: Record<string, unknown> }[];
  hooks: { atSeconds: number; functionName: string; lifecycleEvent?: string; outcome: string }[];
  log: TimelineEntry[];
  stats: ExecutionReport["stats"] & { hookInvocations: number };
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
  onStart?: (ctx: { account: SimAccount; clock: SimClock; abort: () => void }) => void;
}

export async function simulateScenario(scenario: Scenario, opts: SimulateOptions = {}): Promise<SimulationReport> {
  const clock = new SimClock();
  const account = SimAccount.fromSetup(scenario.account, { clock });
  if (scenario.timeline?.length) account.applyTimeline(scenario.timeline);
  const server = await account.serve();
  const deploymentId = (scenario.input.deploymentId as string | undefined) ?? scenarioDeploymentId(scenario.name);
  const input: Record<string, unknown> = { ...scenario.input, deploymentId };
  const functionName = String(input.functionName);
  const aliasName = String(input.alias);
  const target = String(input.targetVersion);
  try {
    return await withAwsEndpoint(server.endpoint, async () => {
      const runtime = new LocalRuntime(opts.root ?? PROJECT_ROOT, clock);
      // The stack's own resources exist in the account, as after `osls deploy`.
      for (const bus of [runtime.stack.refs.get("StepDeployEventBus")]) if (bus) account.createEventBus(bus);
      const log = new LogFollower(account, runtime, target, opts.onLog);
      const execution = runtime.start(scenario.machine ?? "deploy-lambda", input, { executionName: deploymentId, onTrace: () => log.poll() });
      opts.onStart?.({ account, clock, abort: execution.abort });
      const result = await execution.result;
      log.poll();
      const alias = account.getAlias(functionName, aliasName);
      const report: SimulationReport = {
        scenario: scenario.name,
        status: result.status,
        error: result.error,
        cause: result.cause,
        deploymentId,
        finalAlias: { functionVersion: alias.functionVersion, additionalVersionWeights: alias.additionalVersionWeights },
        timeline: account.aliasHistory
          .filter((h) => h.functionName === functionName && h.alias === aliasName)
          .map((h) => ({ atSeconds: h.atSeconds, weight: weightOnTarget({ functionVersion: h.functionVersion, weights: h.additionalVersionWeights }, target) })),
        events: account.events.map((e) => ({ atSeconds: e.atSeconds, detailType: e.detailType, source: e.source, detail: e.detail })),
        hooks: account.hookInvocations.map((h) => ({ atSeconds: h.atSeconds, functionName: h.functionName, lifecycleEvent: h.payload?.lifecycleEvent, outcome: h.outcome })),
        log: log.entries,
        stats: { ...result.stats, hookInvocations: account.hookInvocations.length },
      };
      if (scenario.expect) report.expectationFailures = checkExpectation(scenario, report);
      return report;
    });
  } finally {
    await server.close();
  }
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
  return out;
}

/** Merges what the account saw and what the workflow did into one readable, time-ordered log. */
class LogFollower {
  readonly entries: TimelineEntry[] = [];
  private seen = { alias: 0, events: 0, hooks: 0, calls: 0, trace: 0, world: 0 };

  constructor(
    private readonly account: SimAccount,
    private readonly runtime: LocalRuntime,
    private readonly target: string,
    private readonly onLog?: (e: TimelineEntry) => void,
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
    this.seen = { alias: a.aliasHistory.length, events: a.events.length, hooks: a.hookInvocations.length, calls: a.calls.length, trace: 0, world: a.worldLog.length };
    fresh.sort((x, y) => x.atSeconds - y.atSeconds);
    for (const e of fresh) this.push(e);
    void this.runtime;
  }
}
