import type { SimClock } from "../clock.js";
import type { CallbackWorld } from "../runtime/callbacks.js";
import type { AlarmChange, AlarmState, CloudWatchWorld } from "./cloudwatch/world.js";
import type { MetricStore } from "./cloudwatch/metrics.js";
import type { EcrWorld } from "./ecr/world.js";
import type { EventPattern } from "./eventbridge/pattern.js";
import type { CapturedEvent, Delivery, EventBridgeWorld, EventEnvelope, RuleSpec, ServiceEvent } from "./eventbridge/world.js";
import type { Invocation, Invoker } from "./lambda/invoke.js";
import { parseResults } from "./lambda/script.js";
import type { AliasChange, LambdaWorld } from "./lambda/world.js";
import { SERVICES } from "./services.js";
import { parseSetup } from "./setup.js";
import { type ActionHandler, type ActionItem, Actions } from "./shared/actions.js";
import { Checker } from "./shared/checker.js";
import { IdGenerator } from "./shared/ids.js";
import { type ApiCall, Journal, type WorldLogEntry } from "./shared/journal.js";
import type { ServiceApi } from "./shared/protocol/wire.js";
import { Reactions } from "./shared/reactions.js";
import type { AccountContext, Service, ServiceDefinition, TimelineItem, TimelineKind } from "./shared/service.js";
import { Timeline, parseTimeline } from "./shared/timeline.js";
import { FaultInjector, type FaultSpec, faultSetup, faultTimeline, parseFault } from "./shared/transport/faults.js";
import { type ServedAccount, serveHttp } from "./shared/transport/http-server.js";
import type { InProcessNetwork } from "./shared/transport/in-process.js";
import { type Router, router } from "./shared/transport/router.js";
import { type TaskTokenRecord, type TaskTokens, callbackWorld } from "./sfn/tokens.js";
import type { ExecutionHost, ExecutionRecord, ExecutionResult, ExecutionStartRequest, SfnWorld, StateMachineSpec } from "./sfn/world.js";

export type {
  ActionHandler,
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

export interface SimAccountOptions {
  clock: SimClock;
  region?: string;
  accountId?: string;
  /** The services to simulate, created in this order (default: SERVICES from services.ts; the account's own members need those). */
  services?: readonly ServiceDefinition[];
}

/** An alias as it stands (or stood): what `getAlias` and `aliasAt` return. */
export interface AliasView {
  functionName: string;
  alias: string;
  functionVersion: string;
  additionalVersionWeights: Record<string, number>;
}

/**
 * A simulated AWS account, driven by a SimClock: the services listed in services.ts (one folder
 * each), served with their real wire protocols over HTTP (`serve`) or in-process. Build it from a
 * plain-JSON setup (`fromSetup`), add a timeline and faults, point SDK clients at it, then read
 * what happened: `calls`, `aliasHistory`, `events`, `serviceEvents`, `deliveries`, `invocations`,
 * `executions`, `worldLog`.
 *
 * Reactions: EventBridge rules with in-process targets (`subscribe`) receive PutEvents entries and
 * the account's own service events (alarm state changes, execution status changes) asynchronously;
 * timeline `action` entries run the handlers registered with `onAction`. `settled()` waits for all
 * of it. Executions are run by an injected `ExecutionHost`; `callbacks` is the CallbackWorld the
 * local runtime uses for `.waitForTaskToken`.
 */
export class SimAccount {
  readonly clock: SimClock;
  readonly region: string;
  readonly accountId: string;
  readonly ids: IdGenerator;
  readonly journal = new Journal();
  readonly faults = new FaultInjector();
  /** In-flight rule deliveries and action handlers. */
  readonly reactions: Reactions;
  /** Every service of the account by its name in services.ts. */
  readonly services: ReadonlyMap<string, Service<unknown>>;
  /** The wire handlers of the services whose API is served. */
  readonly apis: readonly ServiceApi[];
  /** Answers one wire request: what both transports (HTTP and in-process) hand requests to. */
  readonly route: Router;
  readonly lambda: LambdaWorld;
  /** Container images (pushes emit "ECR Image Action"; UpdateFunctionCode checks image URIs against it). */
  readonly ecr: EcrWorld;
  readonly cloudwatch: CloudWatchWorld;
  readonly eventbridge: EventBridgeWorld;
  /** Step Functions: state machines and executions (`executionFinished` is how a host reports back). */
  readonly sfn: SfnWorld;
  /** The local runtime's view of the account for `.waitForTaskToken` (register/expire/nextEventAt/settled). */
  readonly callbacks: CallbackWorld;
  private readonly timeline: Timeline;
  private readonly timelineKinds: Record<string, TimelineKind>;
  private readonly actions: Actions;

  constructor(opts: SimAccountOptions) {
    this.clock = opts.clock;
    this.region = opts.region ?? "us-east-1";
    this.accountId = opts.accountId ?? "123456789012";
    this.ids = new IdGenerator(`${this.accountId}/${this.region}`);
    const now = () => this.clock.elapsedSeconds();
    this.reactions = new Reactions(
      (e) => this.journal.recordWorld({ atSeconds: now(), kind: "delivery", text: `unhandled reaction error: ${(e as Error)?.message ?? String(e)}` }),
      // A reaction in flight is work: no waiting execution moves time until it is done.
      () => this.clock.busy(),
    );
    const services = new Map<string, Service<unknown>>();
    const world = <W>(name: string): W => {
      const s = services.get(name);
      if (!s) throw new Error(`the simulated account has no service ${name} (services.ts)`);
      return s.world as W;
    };
    const ctx: AccountContext = {
      clock: this.clock,
      region: this.region,
      accountId: this.accountId,
      ids: this.ids,
      journal: this.journal,
      reactions: this.reactions,
      emit: (e) => world<EventBridgeWorld>("eventbridge").emit(e),
      world,
      log: (kind, text, atSeconds) => this.journal.recordWorld({ atSeconds: atSeconds ?? now(), kind, text }),
      msAt: (atSeconds) => this.msAt(atSeconds),
    };
    for (const def of opts.services ?? SERVICES) {
      if (services.has(def.name)) throw new Error(`service ${def.name} is listed twice`);
      services.set(def.name, def.create(ctx));
    }
    this.services = services;
    this.apis = [...services.values()].flatMap((s) => (s.api ? [s.api] : []));
    this.route = router({ apis: this.apis, faults: this.faults, journal: this.journal, clock: this.clock, requestId: () => this.ids.uuid() });
    this.lambda = world("lambda");
    this.ecr = world("ecr");
    this.cloudwatch = world("cloudwatch");
    this.eventbridge = world("eventbridge");
    this.sfn = world("sfn");
    this.actions = new Actions(this.reactions, this.journal, now);
    this.timelineKinds = Object.assign({}, ...[...services.values()].map((s) => s.timeline ?? {}), { fault: faultTimeline(this.faults), action: this.actions.timeline });
    this.timeline = new Timeline(this.clock, ({ kind, item }) => {
      const text = (this.timelineKinds[kind] as TimelineKind).apply(item);
      this.journal.recordWorld({ atSeconds: item.atSeconds, kind, text });
    });
    this.callbacks = callbackWorld(
      this.sfn.tokens,
      () => this.nextEventAt(),
      () => this.settled(),
      (arn) => this.sfn.whenClosed(arn),
      services.has("codebuild") ? world("codebuild") : undefined,
    );
  }

  /** A new account built from a plain-JSON setup (the `account` part of a scenario). */
  static fromSetup(setup: unknown, opts: SimAccountOptions): SimAccount {
    return new SimAccount(opts).applySetup(setup);
  }

  /** Validates the setup (all problems at once, ValidationErrors `Simulate.InvalidAccount`) and creates its resources. */
  applySetup(setup: unknown): this {
    const sections = [...this.services.values()].flatMap((s) => (s.setup ? [s.setup] : []));
    parseSetup(setup, [...sections, faultSetup(this.faults)])();
    return this;
  }

  /** Serves the account over HTTP on 127.0.0.1 (port 0 = any free port). */
  serve(opts: { port?: number } = {}): Promise<ServedAccount> {
    return serveHttp(this.route, opts);
  }

  /**
   * Serves the account in-process on `network` (SDK clients built with it as their `requestHandler`
   * reach the account without a socket); returns the endpoint to give them, `http://<name>.stepdeploy.internal`.
   */
  serveInProcess(network: InProcessNetwork, name = "account"): string {
    return network.attach(name, this.route);
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
    this.timeline.add(parseTimeline(items, this.timelineKinds));
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

  /** Invoke's bookkeeping (every invocation, scripted results). */
  get invoker(): Invoker {
    return this.lambda.invoker;
  }

  /** Metric series GetMetricData reads. */
  get metrics(): MetricStore {
    return this.cloudwatch.metrics;
  }

  /** Task tokens of `.waitForTaskToken` tasks (SendTaskSuccess/Failure/Heartbeat). */
  get taskTokens(): TaskTokens {
    return this.sfn.tokens;
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
    return this.actions.on(name, handler);
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
    return this.lambda.invoker.invocations;
  }

  /** Invocations of functions declared as hooks. */
  get hookInvocations(): readonly Invocation[] {
    return this.lambda.invoker.invocations.filter((i) => i.kind === "hook");
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

  /** Epoch milliseconds of simulated second `atSeconds`. */
  private msAt(atSeconds: number): number {
    return this.clock.now() - (this.clock.elapsedSeconds() - atSeconds) * 1000;
  }
}
