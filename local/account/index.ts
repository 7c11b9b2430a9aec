import type { SimClock } from "../clock.js";
import { CloudWatchApi } from "./cloudwatch-api.js";
import { MetricStore } from "./cloudwatch-metrics.js";
import { type AlarmChange, type AlarmState, CloudWatchWorld } from "./cloudwatch-world.js";
import { EventBridgeApi } from "./eventbridge-api.js";
import { type CapturedEvent, EventBridgeWorld } from "./eventbridge-world.js";
import { FaultInjector, type FaultSpec, parseFault } from "./faults.js";
import type { ServiceApi } from "./http.js";
import { IdGenerator } from "./ids.js";
import { type ApiCall, Journal, type WorldLogEntry } from "./journal.js";
import { LambdaApi } from "./lambda-api.js";
import { type Invocation, Invoker } from "./lambda-invoke.js";
import { parseResults } from "./lambda-script.js";
import { type AliasChange, LambdaWorld } from "./lambda-world.js";
import { type ServedAccount, serve } from "./server.js";
import { parseSetup } from "./setup.js";
import { Timeline, type TimelineItem, parseTimeline } from "./timeline.js";
import { Checker } from "./validate.js";

export type { AliasChange, AlarmChange, ApiCall, CapturedEvent, FaultSpec, Invocation, ServedAccount, TimelineItem, WorldLogEntry };

export interface SimAccountOptions {
  clock: SimClock;
  region?: string;
  accountId?: string;
}

/** An alias as it stands (or stood): what `getAlias` and `aliasAt` return. */
export interface AliasView {
  functionName: string;
  alias: string;
  functionVersion: string;
  additionalVersionWeights: Record<string, number>;
}

/**
 * A simulated AWS account (Lambda, CloudWatch, EventBridge) served over HTTP with the real wire
 * protocols, driven by a SimClock. Build it from a plain-JSON setup (`fromSetup`), add a
 * timeline and faults, `serve()` it, point SDK clients at `endpoint`, then read what happened:
 * `calls`, `aliasHistory`, `events`, `invocations`, `worldLog`.
 *
 * Adding a service: a `<service>-world.ts` (state and rules) and a `<service>-api.ts`
 * (a ServiceApi: routing, wire shapes, throttling/5xx errors), then one entry in `apis` below.
 */
export class SimAccount {
  readonly clock: SimClock;
  readonly region: string;
  readonly accountId: string;
  readonly ids: IdGenerator;
  readonly journal = new Journal();
  readonly faults = new FaultInjector();
  readonly lambda: LambdaWorld;
  readonly invoker: Invoker;
  readonly cloudwatch: CloudWatchWorld;
  readonly metrics = new MetricStore();
  readonly eventbridge: EventBridgeWorld;
  readonly apis: readonly ServiceApi[];
  private readonly timeline: Timeline;

  constructor(opts: SimAccountOptions) {
    this.clock = opts.clock;
    this.region = opts.region ?? "us-east-1";
    this.accountId = opts.accountId ?? "123456789012";
    this.ids = new IdGenerator(`${this.accountId}/${this.region}`);
    this.lambda = new LambdaWorld({ clock: this.clock, ids: this.ids, region: this.region, accountId: this.accountId });
    this.invoker = new Invoker(this.lambda);
    this.cloudwatch = new CloudWatchWorld(this.clock, this.region, this.accountId);
    this.eventbridge = new EventBridgeWorld(this.clock, this.ids, this.region, this.accountId);
    this.apis = [
      new LambdaApi(this.lambda, this.invoker, () => this.ids.uuid()),
      new CloudWatchApi(this.cloudwatch, this.metrics, this.clock),
      new EventBridgeApi(this.eventbridge),
    ];
    this.timeline = new Timeline(this.clock, (item) => this.applyItem(item));
  }

  /** A new account built from a plain-JSON setup (the `account` part of a scenario). */
  static fromSetup(setup: unknown, opts: SimAccountOptions): SimAccount {
    return new SimAccount(opts).applySetup(setup);
  }

  /** Validates the setup (all problems at once, ValidationErrors `Simulate.InvalidAccount`) and creates its resources. */
  applySetup(setup: unknown): this {
    const s = parseSetup(setup);
    for (const f of s.functions) {
      if (this.lambda.functionNames().includes(f.name)) throw new Error(`function ${f.name} already exists`);
    }
    for (const f of s.functions) this.lambda.define(f);
    for (const a of s.alarms) this.cloudwatch.defineAlarm(a);
    for (const b of s.eventBuses) this.eventbridge.createBus(b);
    for (const m of s.metrics) for (const p of m.datapoints) this.metrics.add(m, this.msAt(p.atSeconds), p.value, m.unit);
    for (const f of s.faults) this.faults.add(f);
    return this;
  }

  /** Serves the account on 127.0.0.1 (port 0 = any free port). */
  serve(opts: { port?: number } = {}): Promise<ServedAccount> {
    return serve({ apis: this.apis, faults: this.faults, journal: this.journal, clock: this.clock, requestId: () => this.ids.uuid() }, opts);
  }

  /** Injects a fault (validated like the setup's `faults`). */
  addFault(spec: FaultSpec): void {
    const c = new Checker();
    const parsed = parseFault(spec, "fault", c);
    c.throwIfAny();
    if (parsed) this.faults.add(parsed);
  }

  /** Schedules world events (validated; entries already due are applied now). */
  applyTimeline(items: readonly unknown[]): void {
    this.timeline.add(parseTimeline(items, { hasAlarm: (n) => this.cloudwatch.has(n), hasFunction: (n) => this.lambda.functionNames().includes(n) }));
  }

  /** Timeline entries not applied yet. */
  pendingTimeline(): readonly TimelineItem[] {
    return this.timeline.pending();
  }

  // ---- direct world changes (tests, the CLI) ------------------------------------------------

  setAlarmState(name: string, state: AlarmState, reason = `Set by the simulation at ${this.clock.elapsedSeconds()} s`): void {
    this.cloudwatch.setState(name, state, reason, { source: "api" });
  }

  setHook(name: string, change: { results?: unknown[]; latencySeconds?: number }): void {
    const c = new Checker();
    const results = parseResults(change.results, "results", c);
    c.throwIfAny();
    this.lambda.setScript(this.lambda.get(name), { results, latencySeconds: change.latencySeconds });
  }

  createEventBus(name: string): string {
    return this.eventbridge.createBus(name);
  }

  // ---- observations --------------------------------------------------------------------------

  /** The alias as it stands now; throws if the function or alias does not exist. */
  getAlias(functionName: string, alias: string): AliasView {
    const a = this.lambda.alias(this.lambda.get(functionName), alias);
    return { functionName, alias, functionVersion: a.functionVersion, additionalVersionWeights: { ...a.weights } };
  }

  /** The alias routing at simulated time `atSeconds` (undefined before it existed or after deletion). */
  aliasAt(functionName: string, alias: string, atSeconds: number): AliasView | undefined {
    const h = this.lambda.aliasAt(functionName, alias, atSeconds);
    return h && { functionName, alias, functionVersion: h.functionVersion, additionalVersionWeights: { ...h.additionalVersionWeights } };
  }

  /** Every alias write made through the API or the timeline (setup state excluded), in order. */
  get aliasHistory(): readonly AliasChange[] {
    return this.lambda.aliasHistory;
  }

  get calls(): readonly ApiCall[] {
    return this.journal.calls;
  }

  /** Calls per `Service.Operation` (e.g. `Lambda.UpdateAlias`), failed attempts included. */
  callCounts(filter?: (c: ApiCall) => boolean): Record<string, number> {
    return this.journal.counts(filter);
  }

  /** Every event PutEvents accepted, with the simulated time. */
  get events(): readonly CapturedEvent[] {
    return this.eventbridge.events;
  }

  /** Every Lambda invocation (payload, version, outcome, simulated start/end). */
  get invocations(): readonly Invocation[] {
    return this.invoker.invocations;
  }

  /** Invocations of functions declared as hooks. */
  get hookInvocations(): readonly Invocation[] {
    return this.invoker.invocations.filter((i) => i.kind === "hook");
  }

  get alarmHistory(): readonly AlarmChange[] {
    return this.cloudwatch.alarmHistory;
  }

  /** Timeline entries as they were applied. */
  get worldLog(): readonly WorldLogEntry[] {
    return this.journal.world;
  }

  // ---- timeline ------------------------------------------------------------------------------

  /** Epoch milliseconds of simulated second `atSeconds`. */
  private msAt(atSeconds: number): number {
    return this.clock.now() - (this.clock.elapsedSeconds() - atSeconds) * 1000;
  }

  private applyItem(item: TimelineItem): void {
    const at = item.atSeconds;
    const log = (kind: WorldLogEntry["kind"], text: string) => this.journal.recordWorld({ atSeconds: at, kind, text });
    if ("alarm" in item) {
      const reason = item.reason ?? `Timeline: ${item.alarm} set to ${item.state} at ${at} s`;
      this.cloudwatch.setState(item.alarm, item.state, reason, { source: "timeline", atMs: this.msAt(at) });
      log("alarm", `alarm ${item.alarm} -> ${item.state}${item.reason ? ` (${item.reason})` : ""}`);
    } else if ("hook" in item) {
      this.lambda.setScript(this.lambda.get(item.hook), { results: item.results, latencySeconds: item.latencySeconds });
      const parts = [item.results ? `results ${JSON.stringify(item.results)}` : "", item.latencySeconds !== undefined ? `latency ${item.latencySeconds} s` : ""].filter(Boolean);
      log("hook", `function ${item.hook}: ${parts.join(", ")}`);
    } else if ("fault" in item) {
      this.faults.add(item.fault);
      const f = item.fault;
      log("fault", `fault ${f.kind} on ${f.operation}${f.count ? ` x${f.count}` : ""}${f.untilSeconds !== undefined ? ` until ${f.untilSeconds} s` : ""}`);
    } else if ("metric" in item) {
      this.metrics.add(item.metric, this.msAt(at), item.metric.value, item.metric.unit);
      log("metric", `metric ${item.metric.namespace}/${item.metric.metricName} = ${item.metric.value}`);
    } else {
      const a = item.alias;
      try {
        this.lambda.updateAlias(this.lambda.get(a.function), a.name, { functionVersion: a.version, weights: a.weights }, "timeline", at);
        log("alias", `alias ${a.function}:${a.name} -> ${a.version ?? "(same version)"}${a.weights ? ` ${JSON.stringify(a.weights)}` : ""}`);
      } catch (e) {
        log("alias", `alias ${a.function}:${a.name} change rejected: ${(e as Error).message}`);
      }
    }
  }
}
