import "../../runtime/polyfills.js";
import type { StateMachine } from "aws-local-stepfunctions";
import { validatedEngine } from "../../runtime/engine.js";
import { flattenStates, type States } from "./states.js";
import type { DeclaredAction } from "../../../functions/services/pipeline/actions.js";
import { endAction, startAction } from "../../../functions/services/pipeline/actions.js";
import type { DeclaredPipeline, DeclaredStage, PipelineDeps, Run } from "../../../functions/services/pipeline/context.js";
import { beginExecution, type ExecutionInput, finishExecution } from "../../../functions/services/pipeline/executions.js";
import { awaitApproval } from "../../../functions/services/pipeline/operators.js";
import { enterStage, failStage, leaveStage } from "../../../functions/services/pipeline/stages.js";
import type { NotificationsPort } from "../../../functions/ports/pipeline-notifications.js";
import type { TaskAnswersPort } from "../../../functions/ports/pipeline-tasks.js";

/**
 * Runs a compiled pipeline on the local engine with every pipeline Lambda state calling the real
 * pipeline service, over whatever ports it is given (in-memory fakes in the tests), and callback
 * tasks (stage entrances, approvals) waiting for their token to be answered, as on AWS. Providers'
 * own work (a build, a deployment, a function) is answered by `providers`. Several executions run
 * at once and meet at the stage gates, so the execution modes behave as they will with the real
 * handlers; what remains for the simulated account is the providers and the adapters.
 */
export class TokenBroker implements TaskAnswersPort {
  private readonly waiters = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly early = new Map<string, { ok: boolean; value: unknown }>();
  private readonly answered = new Set<string>();
  private counter = 0;

  newToken(label: string): string {
    return `${label}#${++this.counter}`;
  }

  wait(token: string): Promise<unknown> {
    const early = this.early.get(token);
    if (early) return early.ok ? Promise.resolve(early.value) : Promise.reject(early.value);
    return new Promise((resolve, reject) => this.waiters.set(token, { resolve, reject }));
  }

  private answer(token: string, ok: boolean, value: unknown): boolean {
    if (this.answered.has(token)) return false;
    this.answered.add(token);
    const w = this.waiters.get(token);
    if (!w) this.early.set(token, { ok, value });
    else if (ok) w.resolve(value);
    else w.reject(value as Error);
    return true;
  }

  async sendTaskSuccess(token: string, output: unknown): Promise<boolean> {
    return this.answer(token, true, output);
  }

  async sendTaskFailure(token: string, error: string, cause: string): Promise<boolean> {
    return this.answer(token, false, Object.assign(new Error(cause), { name: error }));
  }
}

export type ProviderAnswer = (state: string, request: Record<string, unknown>) => Promise<unknown>;

export interface ServiceRuntimeOptions {
  definition: Record<string, unknown>;
  deps: Omit<PipelineDeps, "tasks"> & { notifications: NotificationsPort };
  broker: TokenBroker;
  providers: ProviderAnswer;
}

export interface ExecutionOutcome {
  name: string;
  status: "SUCCEEDED" | "FAILED";
  error?: string;
  trace: string[];
}

export class ServiceRuntime {
  private readonly states: Map<string, Record<string, unknown>>;
  private readonly machine: StateMachine;
  readonly executions: Promise<ExecutionOutcome>[] = [];

  constructor(private readonly o: ServiceRuntimeOptions) {
    this.states = flattenStates(o.definition["States"] as States);
    this.machine = validatedEngine(o.definition);
  }

  private get deps(): PipelineDeps & { notifications: NotificationsPort } {
    return { ...this.o.deps, tasks: this.o.broker };
  }

  private handler(name: string, state: Record<string, unknown>, trace: string[]) {
    const resource = String(state["Resource"]);
    const fn = (state["Parameters"] as { FunctionName?: { "Fn::GetAtt"?: [string, string] } } | undefined)?.FunctionName?.["Fn::GetAtt"]?.[0];
    const callback = resource.endsWith(".waitForTaskToken");
    return async (input: Record<string, unknown>): Promise<unknown> => {
      trace.push(name);
      const p = (input["Payload"] ?? {}) as Record<string, unknown>;
      const run = p["run"] as Run;
      const deps = this.deps;
      const payload = async (value: Promise<unknown>) => ({ Payload: await value });
      switch (fn) {
        case "PipelineStartLambdaFunction":
          return payload(beginExecution(deps, p["pipeline"] as DeclaredPipeline, p["input"] as ExecutionInput, String(p["executionName"])));
        case "PipelineEnterStageLambdaFunction": {
          const token = this.o.broker.newToken(name);
          await enterStage(deps, run, p["stage"] as DeclaredStage, token);
          return this.o.broker.wait(token);
        }
        case "PipelineLeaveStageLambdaFunction":
          return payload(leaveStage(deps, run, p["stage"] as DeclaredStage));
        case "PipelineStageFailedLambdaFunction": {
          const s = p["state"] as { run: Run; error?: { Error?: string; Cause?: string } };
          return payload(failStage(deps, s.run, p["stage"] as DeclaredStage, s.error ?? undefined));
        }
        case "PipelineActionStartLambdaFunction":
          return payload(startAction(deps, run, p["action"] as DeclaredAction));
        case "PipelineActionEndLambdaFunction":
          return payload(endAction(deps, run, p["action"] as DeclaredAction, p["status"] === "Succeeded" ? { status: "Succeeded", request: p["request"] as Record<string, unknown>, result: p["result"] as Record<string, unknown> } : { status: "Failed", error: p["error"] as { Error?: string; Cause?: string } }));
        case "PipelineApprovalLambdaFunction": {
          const token = this.o.broker.newToken(name);
          await awaitApproval(deps, run, p["action"] as DeclaredAction, p["request"] as never, token);
          return this.o.broker.wait(token);
        }
        case "PipelineFinishLambdaFunction":
          return payload(finishExecution(deps, run));
        default:
          if (resource === "arn:aws:states:::states:startExecution") {
            this.start(JSON.parse(String(input["Input"])), String(input["Name"]));
            return { ExecutionArn: `arn:aws:states:local:execution:${input["Name"]}` };
          }
          if (callback) throw new Error(`${name}: no callback handler for ${resource}`);
          return this.o.providers(name, input);
      }
    };
  }

  /** Starts an execution (as StartExecution would); its outcome joins `executions`. */
  start(input: Record<string, unknown>, name: string): Promise<ExecutionOutcome> {
    const trace: string[] = [];
    const handlers = Object.fromEntries([...this.states].filter(([, s]) => s["Type"] === "Task").map(([n, s]) => [n, this.handler(n, s, trace)]));
    const waits = Object.fromEntries([...this.states].filter(([, s]) => s["Type"] === "Wait").map(([n]) => [n, 0]));
    const execution = this.machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: handlers as never, waitTimeOverrides: waits },
      context: { Execution: { Name: name, Id: `arn:aws:states:local:execution:${name}` }, StateMachine: { Id: "arn:aws:states:local:stateMachine:pipeline" }, Task: { Token: "unused" } } as never,
    });
    const outcome = (async (): Promise<ExecutionOutcome> => {
      try {
        await execution.result;
        return { name, status: "SUCCEEDED", trace };
      } catch (e) {
        const outer = e as Error & { cause?: unknown };
        return { name, status: "FAILED", error: outer.cause instanceof Error ? outer.cause.name : outer.name, trace };
      }
    })();
    this.executions.push(outcome);
    return outcome;
  }
}

/** Lets the engine and the services run until `done()` holds (every step is a resolved promise; no real time passes). */
export async function settle(done: () => boolean | Promise<boolean>, maxTurns = 10_000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (await done()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error("the executions did not reach the expected state");
}
