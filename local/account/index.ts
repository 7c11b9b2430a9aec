import type { SimClock } from "../clock.js";
import type { CallbackWorld } from "../runtime/callbacks.js";
import { CloudWatchApi } from "./cloudwatch/api.js";
import { MetricStore } from "./cloudwatch/metrics.js";
import { type AlarmChange, type AlarmState, CloudWatchWorld } from "./cloudwatch/world.js";
import type { EventPattern } from "./eventbridge/pattern.js";
import { EcrWorld } from "./ecr/world.js";
import { EventBridgeApi } from "./eventbridge/api.js";
import { type CapturedEvent, type Delivery, type EventEnvelope, EventBridgeWorld, type RuleSpec, type ServiceEvent } from "./eventbridge/world.js";
import { FaultInjector, type FaultSpec, parseFault } from "./shared/transport/faults.js";
import type { ServiceApi } from "./shared/protocol/wire.js";
import { IdGenerator } from "./shared/ids.js";
import { type ApiCall, Journal, type WorldLogEntry } from "./shared/journal.js";
import { LambdaApi } from "./lambda/api.js";
import { type Invocation, Invoker } from "./lambda/invoke.js";
import { parseResults } from "./lambda/script.js";
import { type AliasChange, LambdaWorld } from "./lambda/world.js";
import { Reactions } from "./shared/reactions.js";
import { type ServedAccount, serve } from "./shared/transport/http-server.js";
import { ALARM_STATE_CHANGE, alarmStateChangeDetail } from "./cloudwatch/events.js";
import { EXECUTION_STATUS_CHANGE, executionStatusChangeDetail } from "./sfn/events.js";
import { parseSetup } from "./setup.js";
import { SfnApi } from "./sfn/api.js";
import { type TaskTokenRecord, TaskTokens, callbackWorld } from "./sfn/tokens.js";
import { type ExecutionHost, type ExecutionRecord, type ExecutionResult, type ExecutionStartRequest, SfnWorld, type StateMachineSpec } from "./sfn/world.js";
import { type ActionItem, Timeline, type TimelineItem, parseTimeline } from "./shared/timeline.js";
import { Checker } from "./shared/checker.js";

export type {
  ActionItem,
  AliasChange,
  AlarmChange,
  ApiCall,
  CallbackWorld,
  CapturedEvent,
  Delivery,
  EventEnvelope,
  EventPattern,
  ExecutionHost,
  ExecutionRecord,
  ExecutionResult,
  ExecutionStartRequest,
  FaultSpec,
  Invocation,
  RuleSpec,
  ServedAccount,
  ServiceEvent,
  StateMachineSpec,
  TaskTokenRecord,
  TimelineItem,
  WorldLogEntry,
};
export { matchesPattern, patternProblem } from "./eventbridge/pattern.js";

/** What a timeline `action` means: registered with `onAction`. Runs asynchronously; `settled()` waits for it. */
export type ActionHandler = (item: ActionItem) => Promise<void> | void;

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
 * A simulated AWS account (Lambda, CloudWatch, EventBridge, Step Functions) served over HTTP with
 * the real wire protocols, driven by a SimClock. Build it from a plain-JSON setup (`fromSetup`),
 * add a timeline and faults, `serve()` it, point SDK clients at `endpoint`, then read what
 * happened: `calls`, `aliasHistory`, `events`, `serviceEvents`, `deliveries`, `invocations`,
 * `executions`, `worldLog`.
 *
 * Reactions: EventBridge rules with in-process targets (`subscribe`) receive PutEvents entries and
 * the account's own service events (alarm state changes, execution status changes) asynchronously;
 * timeline `action` entries run the handlers registered with `onAction`. `settled()` waits for all
 * of it. Executions are run by an injected `ExecutionHost`; `callbacks` is the CallbackWorld the
 * local runtime uses for `.waitForTaskToken`.
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
  /** Container images (pushes emit "ECR Image Action"; UpdateFunctionCode checks image URIs against it). */
  readonly ecr: EcrWorld;
  readonly invoker: Invoker;
  readonly cloudwatch: CloudWatchWorld;
  readonly metrics = new MetricStore();
  readonly eventbridge: EventBridgeWorld;
  /** Step Functions: state machines and executions (`executionFinished` is how a host reports back). */
  readonly sfn: SfnWorld;
  /** Task tokens of `.waitForTaskToken` tasks (SendTaskSuccess/Failure/Heartbeat). */
  readonly taskTokens: TaskTokens;
  /** The local runtime's view of the account for `.waitForTaskToken` (register/expire/nextEventAt/settled). */
  readonly callbacks: CallbackWorld;
  /** In-flight rule deliveries and action handlers. */
  readonly reactions: Reactions;
  readonly apis: readonly ServiceApi[];
  private readonly timeline: Timeline;
  private readonly actions = new Map<string, ActionHandler>();

  constructor(opts: SimAccountOptions) {
    this.clock = opts.clock;
    this.region = opts.region ?? "us-east-1";
    this.accountId = opts.accountId ?? "123456789012";
    this.ids = new IdGenerator(`${this.accountId}/${this.region}`);
    this.ecr = new EcrWorld(this.region, this.accountId, (e) => this.eventbridge.emit(e));
    this.lambda = new LambdaWorld({ clock: this.clock, ids: this.ids, region: this.region, accountId: this.accountId, images: this.ecr });
    this.invoker = new Invoker(this.lambda);
    this.cloudwatch = new CloudWatchWorld(this.clock, this.region, this.accountId);
    const now = () => this.clock.elapsedSeconds();
    this.reactions = new Reactions((e) => this.journal.recordWorld({ atSeconds: now(), kind: "delivery", text: `unhandled reaction error: ${(e as Error)?.message ?? String(e)}` }));
    this.eventbridge = new EventBridgeWorld(this.clock, this.ids, this.region, this.accountId, {
      reactions: this.reactions,
      onDeliveryFailure: (d) => this.journal.recordWorld({ atSeconds: d.finishedAtSeconds ?? now(), kind: "delivery", text: `rule ${d.rule} target failed on ${d.detailType} ${d.eventId}: ${d.error}` }),
    });
    this.cloudwatch.onStateChange((alarm, previous, atMs) => {
      this.eventbridge.emit({ source: "aws.cloudwatch", detailType: ALARM_STATE_CHANGE, detail: alarmStateChangeDetail(alarm, previous), resources: [this.cloudwatch.alarmArn(alarm.name)], atMs });
    });
    this.sfn = new SfnWorld({
      clock: this.clock,
      ids: this.ids,
      region: this.region,
      accountId: this.accountId,
      onStatusChange: (e) => {
        this.eventbridge.emit({ source: "aws.states", detailType: EXECUTION_STATUS_CHANGE, detail: executionStatusChangeDetail(e), resources: [e.executionArn] });
      },
      log: (text) => this.journal.recordWorld({ atSeconds: now(), kind: "execution", text }),
    });
    this.taskTokens = new TaskTokens(this.clock);
    this.timeline = new Timeline(this.clock, (item) => this.applyItem(item));
    this.callbacks = callbackWorld(
      this.taskTokens,
      () => this.nextEventAt(),
      () => this.settled(),
      (arn) => this.sfn.whenClosed(arn),
    );
    this.apis = [
      new LambdaApi(this.lambda, this.invoker, () => this.ids.uuid()),
      new CloudWatchApi(this.cloudwatch, this.metrics, this.clock),
      new EventBridgeApi(this.eventbridge),
      new SfnApi(this.sfn, this.taskTokens),
    ];
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
    for (const m of s.stateMachines) this.sfn.registerStateMachine(m);
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

  // ---- Step Functions ------------------------------------------------------------------------

  /** Registers a state machine (default ARN `arn:aws:states:<region>:<account>:stateMachine:<name>`, type STANDARD); returns its ARN. */
  registerStateMachine(spec: StateMachineSpec): string {
    return this.sfn.registerStateMachine(spec).arn;
  }

  /**
   * Installs the host that runs executions: StartExecution calls `host.start` (synchronously; the
   * host reports the end with `account.sfn.executionFinished`), StopExecution calls `host.stop`.
   * Without a host, executions stay RUNNING until stopped. Returns a function that detaches the host.
   */
  attachExecutionHost(host: ExecutionHost): () => void {
    return this.sfn.attachHost(host);
  }

  /** Every execution, in start order. */
  get executions(): readonly ExecutionRecord[] {
    return this.sfn.executions;
  }

  // ---- reactions -----------------------------------------------------------------------------

  /**
   * An EventBridge rule with an in-process target: events on the bus (default "default") that match
   * the event pattern are handed to `target` asynchronously, PutEvents entries and the account's own
   * service events alike. A target that throws is recorded (`deliveries`, `worldLog`). Returns a
   * function that removes the rule.
   */
  subscribe(rule: RuleSpec): () => void {
    return this.eventbridge.subscribe(rule);
  }

  /** Says what the timeline entry `{atSeconds, action: name}` does. Replaces an earlier handler; returns a function that removes it. */
  onAction(name: string, handler: ActionHandler): () => void {
    this.actions.set(name, handler);
    return () => {
      if (this.actions.get(name) === handler) this.actions.delete(name);
    };
  }

  /** Resolves once every delivery and action handler in flight has finished (including ones they started). */
  settled(): Promise<void> {
    return this.reactions.settled();
  }

  /** Simulated second (clock.elapsedSeconds) of the next timeline entry not applied yet, if any. */
  nextEventAt(): number | undefined {
    return this.timeline.nextAt();
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

  /** Events the account's services emitted themselves (CloudWatch alarm state changes, Step Functions status changes). */
  get serviceEvents(): readonly ServiceEvent[] {
    return this.eventbridge.serviceEvents;
  }

  /** Every event handed to a rule target, with its outcome. */
  get deliveries(): readonly Delivery[] {
    return this.eventbridge.deliveries;
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
    } else if ("action" in item) {
      this.runAction(item, log);
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

  private runAction(item: ActionItem, log: (kind: WorldLogEntry["kind"], text: string) => void): void {
    const handler = this.actions.get(item.action);
    const input = item.input === undefined ? "" : ` ${JSON.stringify(item.input)}`;
    if (!handler) {
      log("action", `action ${item.action}${input}: no handler registered (account.onAction); nothing happened`);
      return;
    }
    log("action", `action ${item.action}${input}`);
    // Actions run one after another, in timeline order: an operator's `pause` at 1 s and `resume` at 7 s
    // are two commands in sequence, even when one clock jump makes both due at once.
    const previous = this.actionChain;
    let done!: () => void;
    this.actionChain = new Promise<void>((resolve) => {
      done = resolve;
    });
    this.reactions.track(async () => {
      try {
        await previous;
        await handler(structuredClone(item));
      } catch (e) {
        this.journal.recordWorld({ atSeconds: this.clock.elapsedSeconds(), kind: "action", text: `action ${item.action} failed: ${(e as Error)?.message ?? String(e)}` });
      } finally {
        done();
      }
    });
  }

  private actionChain: Promise<void> = Promise.resolve();
}
