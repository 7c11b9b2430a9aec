import "./polyfills.js";
import type { StateMachine } from "aws-local-stepfunctions";
import { cachedEngine } from "./engine.js";
import type { SimClock } from "../clock.js";
import { ApiMeter, meterApiCalls } from "./api-meter.js";
import { type CallbackWorld, type ClosedExecution, TASK_TOKEN_PLACEHOLDER, awaitToken, sleepUntil, substituteToken } from "./callbacks.js";
import { type Json, allStates, loadDefinition, resolveIntrinsics } from "./definition.js";
import { ASSUMED_BILLED_MS, HistoryCounter, estimateCostUsd } from "./history.js";
import { LocalStepFunctions, serveLocalStepFunctions } from "./local-sfn.js";
import { NESTED_RESOURCE, runNestedExecution } from "./nested.js";
import { IntegrationError } from "./sdk-integrations.js";
import { type OwnedNames, withOwnedNames } from "./owned-names.js";
import { CODEBUILD_SYNC, runCodeBuildSync } from "./codebuild-sync.js";
import { type LocalStack, type LocalStateMachine, loadStack } from "./stack.js";
import { runTaskResource } from "./tasks.js";

/**
 * Executes the real `statemachines/*.asl.json` on aws-local-stepfunctions. Every Task runs the
 * real handler or SDK call (tasks.ts). Waits and retry back-offs take no wall time: they advance
 * the simulated clock by exactly what Step Functions would wait, and Task timeouts are enforced
 * in simulated time.
 */
export interface TraceEntry {
  atSeconds: number;
  kind: "entered" | "retried" | "caught" | "failed";
  state: string;
  type: string;
  error?: string;
}

export interface ExecutionStats {
  stateTransitions: number;
  historyEvents: number;
  apiCalls: Record<string, number>;
  apiCallsTotal: number;
  lambdaInvocations: number;
  lambdaGbSeconds: number;
  simulatedSeconds: number;
  wallMs: number;
  estimatedCostUsd: number;
}

/** A call a Task made (PutEvents, our Lambda functions, ...), with its parameters and, when it answered, its result. */
export interface IntegrationCall {
  atSeconds: number;
  state: string;
  resource: string;
  params: unknown;
  ok: boolean;
  error?: string;
  result?: unknown;
}

export interface ExecutionReport {
  executionName: string;
  integrationCalls: IntegrationCall[];
  status: "SUCCEEDED" | "FAILED" | "ABORTED" | "TIMED_OUT";
  error?: string;
  cause?: string;
  output?: unknown;
  trace: TraceEntry[];
  stats: ExecutionStats;
}

export interface LocalExecution {
  result: Promise<ExecutionReport>;
  abort(): void;
}

const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

function readPath(input: unknown, path: string): unknown {
  if (!path.startsWith("$")) return undefined;
  let cur: unknown = input;
  for (const part of path.slice(2).split(".").filter(Boolean)) cur = (cur as Record<string, unknown> | undefined)?.[part];
  return cur;
}

/**
 * The definition handed to the engine. Task timeouts are enforced by this runtime in simulated time
 * (see `taskHandlers`), so the engine's own wall-clock timers are neutralised: it defaults Tasks to
 * 60 s of wall time, and it evaluates TimeoutSecondsPath against the state's Parameters output
 * rather than its input as Step Functions does. The file on disk is not changed.
 */
/** The local resource a Wait state becomes when waits are scheduled cooperatively (see `start`). */
const WAIT_RESOURCE = "arn:aws:states:::stepdeploy-local:wait";

function engineCopy(definition: Record<string, Json>, cooperativeWaits: boolean): Record<string, Json> {
  const copy = JSON.parse(JSON.stringify(definition)) as Record<string, Json>;
  for (const { state } of allStates(copy)) {
    if (state.Type === "Wait" && cooperativeWaits) {
      // A Wait becomes a Task that sleeps on the shared clock; its input passes through (InputPath and
      // OutputPath keep their meaning: the result, the effective input, replaces the state input).
      for (const k of ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"]) delete state[k];
      state.Type = "Task";
      state.Resource = WAIT_RESOURCE;
      state.TimeoutSeconds = 2_000_000;
      continue;
    }
    if (state.Type !== "Task") continue;
    delete state.TimeoutSecondsPath;
    delete state.HeartbeatSeconds;
    state.TimeoutSeconds = 2_000_000; // < 2^31 ms, the largest timer Node keeps
  }
  return copy;
}

/**
 * One StateMachine runs any number of executions, so each engine copy is built once per process,
 * and without the engine's own validation: asl-validator compiles its JSON schemas again on every
 * call, about 0.5 s of CPU per definition in every process that simulates (each test worker, each
 * `simulate`, each fault-injection worker). These are the stack's own definitions (statemachines/
 * and the pipelines of pipelines/), which the validate-asl stage checks with asl-validator's
 * stricter options (paths and ARNs too); engineCopy only changes their timeouts. A pipeline a user
 * simulates is checked when it is read (functions/domain/pipeline) and its compiled graph is validated
 * by the engine in the scripted runs (graph-run.ts, service-runtime.ts: validatedEngine).
 */
const enginesByDefinition = new WeakMap<Record<string, Json>, Map<boolean, StateMachine>>();

function engineFor(definition: Record<string, Json>, cooperativeWaits: boolean): StateMachine {
  // Per definition object too (loadDefinition and addMachine keep theirs), so an execution's start does not copy
  // and serialize the whole definition again to find its engine.
  let engines = enginesByDefinition.get(definition);
  if (!engines) {
    engines = new Map();
    enginesByDefinition.set(definition, engines);
  }
  let sm = engines.get(cooperativeWaits);
  if (!sm) {
    sm = cachedEngine(engineCopy(definition, cooperativeWaits), false);
    engines.set(cooperativeWaits, sm);
  }
  return sm;
}

class StatesTimeout extends IntegrationError {
  constructor(seconds: number) {
    super("States.Timeout", `Task timed out after ${seconds} seconds`);
  }
}

export class LocalRuntime {
  readonly stack: LocalStack;

  constructor(
    readonly root: string,
    readonly clock: SimClock,
    opts: { stage?: string; realTime?: boolean; world?: CallbackWorld; names?: OwnedNames } = {},
  ) {
    const stack = loadStack(root, { stage: opts.stage });
    this.stack = opts.names ? withOwnedNames(stack, opts.names) : stack;
    this.realTime = opts.realTime ?? false;
    // Our handlers run in this process: give them the environment the stack gives its functions.
    for (const [k, v] of Object.entries(this.stack.environment)) process.env[k] = v;
    // Without the simulated account this runtime is the Step Functions service of its own executions.
    const local = opts.world ? undefined : new LocalStepFunctions((arn, name, input) => this.startLocal(arn, name, input));
    serveLocalStepFunctions(local);
    this.world = opts.world ?? local;
  }

  /** StartExecution of one of the stack's state machines, run here (see LocalStepFunctions). */
  private startLocal(stateMachineArn: string, name: string, input: unknown): { executionArn: string; closed: Promise<ClosedExecution> } | undefined {
    const sm = this.stack.stateMachines.find((m) => m.arn === stateMachineArn);
    if (!sm) return undefined;
    const executionArn = `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
    const startMs = this.clock.now();
    const closed = this.start(sm.machine, input, { executionName: name, executionArn }).result.then(
      (r): ClosedExecution => ({
        executionArn,
        stateMachineArn,
        name,
        status: r.status,
        input: JSON.stringify(input),
        ...(r.output !== undefined ? { output: JSON.stringify(r.output) } : {}),
        ...(r.error !== undefined ? { error: r.error } : {}),
        ...(r.cause !== undefined ? { cause: r.cause } : {}),
        startMs,
        stopMs: this.clock.now(),
      }),
    );
    return { executionArn, closed };
  }

  /** Resolves `.waitForTaskToken` tasks (SendTaskSuccess/Failure) and tells the clock when the world acts next. */
  readonly world?: CallbackWorld;

  /** When true, Waits and back-offs really sleep (wall time); otherwise they only advance the clock. */
  readonly realTime: boolean;

  definitionPath(name: string): string {
    return `${this.root}/statemachines/${name}.asl.json`;
  }

  /** State machines that are not files of statemachines/ (compiled pipelines), by `machine`. */
  private readonly added = new Map<string, { sm: LocalStateMachine; definition: Record<string, Json> }>();

  /** Adds a state machine given as a definition (intrinsics resolved against the stack here). */
  addMachine(sm: LocalStateMachine, definition: Record<string, unknown>): void {
    this.added.set(sm.machine, { sm, definition: resolveIntrinsics(definition as Json, this.stack) as Record<string, Json> });
  }

  /** The stack's state machines and the added ones. */
  machines(): LocalStateMachine[] {
    return [...this.stack.stateMachines, ...[...this.added.values()].map((a) => a.sm)];
  }

  /**
   * `.waitForTaskToken`: run the resource with a fresh token, then wait (in simulated time, moving
   * from one world event to the next) for SendTaskSuccess/SendTaskFailure or the Task's timeout.
   */
  private async runCallbackTask(
    resource: string,
    params: Json,
    timeout: number | undefined,
    metrics: { onHandlerInvocation(fn: { memoryMb: number }): void },
    aborted: Promise<never>,
    whileWaiting: <T>(wait: () => Promise<T>, wakeOn?: Promise<unknown>) => Promise<T>,
  ): Promise<unknown> {
    if (!this.world) throw new IntegrationError("States.Runtime", "waitForTaskToken needs a callback world (the simulated account)");
    const token = `${TASK_TOKEN_PLACEHOLDER}-${crypto.randomUUID()}`;
    const outcome = this.world.register(token);
    await runTaskResource(resource, substituteToken(params, token), this.stack, metrics as never);
    // An aborted execution stops waiting at once (Step Functions stops the task with the execution).
    const abortedOutcome = aborted.catch((e: Error) => ({ ok: false as const, error: e.name, cause: e.message }));
    const world = this.world;
    return whileWaiting(() => awaitToken(this.clock, world, token, Promise.race([outcome, abortedOutcome]), timeout), outcome);
  }

  /** Lambda invocations made outside executions (EventBridge rule targets such as the alarm listener). */
  backgroundInvocations = 0;

  /** Invokes one of our functions with an event, as an EventBridge rule target would. */
  async invokeFunction(logicalId: string, event: unknown): Promise<unknown> {
    const fn = this.stack.functions.get(logicalId);
    if (!fn) throw new Error(`no function ${logicalId} in serverless.yml`);
    const out = (await runTaskResource("arn:aws:states:::lambda:invoke", { FunctionName: fn.arn, Payload: event } as Json, this.stack, {
      onHandlerInvocation: () => {
        this.backgroundInvocations += 1;
      },
    })) as { Payload: unknown };
    return out.Payload;
  }

  start(machine: string, input: unknown, opts: { executionName: string; executionArn?: string; onTrace?: (entry: TraceEntry) => void }): LocalExecution {
    const definition = this.added.get(machine)?.definition ?? loadDefinition(this.definitionPath(machine), this.stack);
    const smArn = this.machines().find((m) => m.machine === machine)?.arn;
    const states = allStates(definition);
    const byName = new Map(states.map((s) => [s.name, s.state]));
    const clock = this.clock;
    const history = new HistoryCounter();
    const meter = new ApiMeter();
    meterApiCalls(meter);
    const trace: TraceEntry[] = [];
    // This execution works (time may not jump) except while it waits on a token or a nested execution.
    let endWork = clock.busy();
    let ended = false;
    // The moment what it waits for is there (a nested execution closed, a token answered), the execution
    // works again: marked in the same microtask, so no other waiting execution moves time before it resumes.
    const whileWaiting = async <T>(wait: () => Promise<T>, wakeOn?: Promise<unknown>): Promise<T> => {
      endWork();
      let woken: (() => void) | undefined;
      let over = false;
      // A late answer (a token answered after its task timed out) must not mark anything: `over`.
      const wake = () => {
        if (!ended && !over && !woken) woken = clock.busy();
      };
      try {
        const waiting = wait();
        for (const p of [waiting, wakeOn]) p?.then(wake, wake);
        return await waiting;
      } finally {
        over = true;
        if (!ended) endWork = clock.busy();
        woken?.();
      }
    };
    const record = (entry: TraceEntry) => {
      trace.push(entry);
      opts.onTrace?.(entry);
    };
    const lastInput = new Map<string, unknown>();
    const integrationCalls: IntegrationCall[] = [];
    let lambdaInvocations = 0;
    let abortExecution: (e: Error) => void = () => undefined;
    const abortedPromise = new Promise<never>((_, reject) => {
      abortExecution = reject;
    });
    abortedPromise.catch(() => undefined);
    let lambdaGbSeconds = 0;
    const metrics = {
      onHandlerInvocation: (fn: { memoryMb: number }) => {
        lambdaInvocations += 1;
        lambdaGbSeconds += (fn.memoryMb / 1024) * (ASSUMED_BILLED_MS / 1000);
      },
    };

    const taskHandlers: Record<string, (input: Json) => Promise<Json>> = {};
    const waitOverrides: Record<string, number> = {};
    const retryOverrides: Record<string, number> = {};
    // Waits sleep on the shared clock, cooperatively with other executions (they become local Tasks in
    // the engine's copy); without a world to schedule against they advance the clock directly.
    const cooperativeWaits = !this.realTime && this.world !== undefined;
    for (const { name, state } of states) {
      if (state.Retry && !this.realTime) retryOverrides[name] = 0;
      if (state.Type === "Wait" && !this.realTime) waitOverrides[name] = 0;
      if (state.Type === "Wait" && cooperativeWaits) {
        const world = this.world as CallbackWorld;
        taskHandlers[name] = async (input: Json) => {
          await drain();
          if (aborted) return new Promise<Json>(() => undefined);
          const target = clock.elapsedSeconds() + waitSeconds(state, input);
          await whileWaiting(() => sleepUntil(clock, world, target));
          return input;
        };
        continue;
      }
      if (state.Type !== "Task") continue;
      const callback = String(state.Resource).endsWith(".waitForTaskToken");
      const resource = String(state.Resource).replace(/\.waitForTaskToken$/, "");
      taskHandlers[name] = async (params: Json) => {
        await drain();
        // A stopped execution starts no further state (the engine would carry on after an in-flight task).
        if (aborted) return new Promise<Json>(() => undefined);
        const raw = lastInput.get(name);
        const timeout = (state.TimeoutSeconds as number | undefined) ?? (state.TimeoutSecondsPath ? (readPath(raw, String(state.TimeoutSecondsPath)) as number) : undefined);
        if (callback) return this.runCallbackTask(resource, params, timeout, metrics, abortedPromise, whileWaiting) as Promise<Json>;
        if (resource === CODEBUILD_SYNC) {
          integrationCalls.push({ atSeconds: clock.elapsedSeconds(), state: name, resource, params, ok: true });
          return runCodeBuildSync(params, this.world) as Promise<Json>;
        }
        if (NESTED_RESOURCE.test(resource)) {
          integrationCalls.push({ atSeconds: clock.elapsedSeconds(), state: name, resource, params, ok: true });
          // Working until the child is started (StartExecution), waiting only for its close.
          return runNestedExecution(resource, params, this.world, abortedPromise, whileWaiting) as Promise<Json>;
        }
        const started = clock.elapsedSeconds();
        const release = timeout ? clock.horizon(timeout) : () => undefined;
        const call: IntegrationCall = { atSeconds: started, state: name, resource, params, ok: false };
        integrationCalls.push(call);
        try {
          const result = await runTaskResource(resource, params, this.stack, metrics);
          call.ok = true;
          call.result = result;
          call.atSeconds = clock.elapsedSeconds();
          if (timeout && clock.elapsedSeconds() - started >= timeout) throw new StatesTimeout(timeout);
          return result as Json;
        } catch (e) {
          call.error = (e as Error).name;
          if (timeout && clock.elapsedSeconds() - started >= timeout) throw new StatesTimeout(timeout);
          throw e;
        } finally {
          release();
        }
      };
    }

    const waitSeconds = (state: Record<string, Json>, input: unknown): number => {
      if (typeof state.Seconds === "number") return state.Seconds;
      if (state.SecondsPath) return Number(readPath(input, String(state.SecondsPath)) ?? 0);
      const ts = state.Timestamp ?? (state.TimestampPath ? readPath(input, String(state.TimestampPath)) : undefined);
      return ts ? Math.max(0, (Date.parse(String(ts)) - clock.now()) / 1000) : 0;
    };

    const sm = engineFor(definition, cooperativeWaits);
    const wallStart = performance.now();
    const simStart = clock.elapsedSeconds();
    const execution = sm.run(input as never, {
      overrides: { taskResourceLocalHandlers: taskHandlers as never, waitTimeOverrides: waitOverrides, retryIntervalOverrides: retryOverrides },
      context: {
        Execution: {
          Id: opts.executionArn ?? `arn:aws:states:${this.stack.region}:${this.stack.accountId}:execution:${this.stack.service}-${this.stack.stage}-${machine}:${opts.executionName}`,
          Name: opts.executionName,
          Input: input as never,
          StartTime: clock.date().toISOString(),
        },
        StateMachine: { Name: `${this.stack.service}-${this.stack.stage}-${machine}`, ...(smArn && { Id: smArn }) },
        // The engine has no real $$.Task.Token; each callback task swaps this for a fresh token.
        Task: { Token: TASK_TOKEN_PLACEHOLDER },
      },
      noThrowOnAbort: true,
    } as never);

    const consume = (async () => {
      for await (const ev of execution.eventLogs as AsyncIterable<Record<string, unknown>>) {
        const st = ev.state as { name: string; type: string; input: unknown } | undefined;
        const at = clock.elapsedSeconds();
        switch (ev.type) {
          case "StateEntered": {
            if (!st) break;
            const def = byName.get(st.name) ?? {};
            // The state's own type (a Wait runs as a local Task in the engine's copy).
            const type = String(def.Type ?? st.type);
            history.enter(type, String(def.Resource ?? "").endsWith(".waitForTaskToken"));
            lastInput.set(st.name, st.input);
            record({ atSeconds: at, kind: "entered", state: st.name, type });
            if (type === "Wait" && !this.realTime && !cooperativeWaits) clock.advance(waitSeconds(def, st.input));
            break;
          }
          case "StateRetried": {
            if (!st) break;
            const retry = ev.retry as { retrier: { IntervalSeconds?: number; BackoffRate?: number; MaxDelaySeconds?: number }; attempt: number };
            history.retry(String(byName.get(st.name)?.Resource ?? "").endsWith(".waitForTaskToken"));
            record({ atSeconds: at, kind: "retried", state: st.name, type: st.type });
            const r = retry.retrier;
            let delay = (r.IntervalSeconds ?? 1) * (r.BackoffRate ?? 2) ** (retry.attempt - 1);
            if (r.MaxDelaySeconds) delay = Math.min(delay, r.MaxDelaySeconds);
            if (!this.realTime) clock.advance(delay);
            break;
          }
          case "StateFailed":
            if (st) record({ atSeconds: at, kind: "failed", state: st.name, type: st.type, error: String(ev.Error ?? "") });
            break;
          case "StateCaught":
            if (st) record({ atSeconds: at, kind: "caught", state: st.name, type: st.type });
            break;
          case "MapIterationStarted":
            history.iteration();
            break;
        }
      }
    })();

    let aborted = false;
    const result = (async (): Promise<ExecutionReport> => {
      let status: ExecutionReport["status"] = "SUCCEEDED";
      let output: unknown;
      let error: string | undefined;
      let cause: string | undefined;
      try {
        output = await execution.result;
        if (output === undefined && aborted) status = "ABORTED";
      } catch (e) {
        // The engine wraps the state's error in an ExecutionError; its `cause` is what AWS reports.
        const outer = e as Error & { cause?: unknown };
        const inner = outer.name === "ExecutionError" && outer.cause instanceof Error ? outer.cause : outer;
        status = inner.name === "ExecutionTimeoutError" ? "TIMED_OUT" : aborted ? "ABORTED" : "FAILED";
        error = inner.name;
        cause = inner.message;
      }
      if (aborted) status = "ABORTED";
      ended = true;
      await consume.catch(() => undefined);
      await drain();
      // Working until the report is out: whoever waits for this execution (a parent's .sync) resumes in
      // the same chain of microtasks, before any other waiting execution can move time.
      endWork();
      const h = history.stats();
      const apiCalls = meter.snapshot();
      const customEvents = apiCalls["EventBridge.PutEvents"] ?? 0;
      return {
        executionName: opts.executionName,
        integrationCalls,
        status,
        error,
        cause,
        output,
        trace,
        stats: {
          ...h,
          apiCalls,
          apiCallsTotal: meter.total(),
          lambdaInvocations,
          lambdaGbSeconds: Number(lambdaGbSeconds.toFixed(4)),
          simulatedSeconds: clock.elapsedSeconds() - simStart,
          wallMs: Math.round(performance.now() - wallStart),
          estimatedCostUsd: estimateCostUsd({ stateTransitions: h.stateTransitions, lambdaInvocations, lambdaGbSeconds, customEvents }),
        },
      };
    })();
    return {
      result,
      abort: () => {
        aborted = true;
        abortExecution(new IntegrationError("States.Aborted", "execution aborted"));
        execution.abort();
      },
    };
  }
}
