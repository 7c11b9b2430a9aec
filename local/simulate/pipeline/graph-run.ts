import "../../runtime/polyfills.js";
import { validatedEngine } from "../../runtime/engine.js";
import { flattenStates, type States } from "./states.js";
import { HistoryCounter, type HistoryStats } from "../../runtime/history.js";

/**
 * Runs a compiled pipeline's graph on the local engine with every Task answered by a script: which
 * actions fail, what the stage-failure decision is, whether an entrance is superseded, how many polls
 * a polled provider takes. It exercises the graph's own control flow (sequencing, parallel failure,
 * retry, rollback, supersede) and measures what the graph costs in Step Functions terms (state
 * transitions, history events at Standard's per-state counts, Lambda invocations, direct service
 * integrations). What the pipeline Lambdas do inside is not part of it.
 */
export interface GraphScript {
  /** `<Stage>.<Action>` states whose work fails (a polled one at its last poll). */
  failing?: string[];
  /** `<Stage>.<Action>` states that fail only on their first attempt. */
  flaky?: string[];
  enter?: (stage: string, attempt: number) => "enter" | "Pipeline.Superseded";
  onStageFailed?: (stage: string, attempt: number) => { next: string; retryMode?: string };
  leaveEnd?: (stage: string) => boolean;
  /** Polls until a polled provider reports done (default 1). */
  polls?: (action: string) => number;
  entry?: string;
}

export interface GraphRun {
  trace: string[];
  error?: string;
  stats: HistoryStats;
  lambdaInvocations: number;
  integrationCalls: number;
}

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

const REQUEST = { name: "d-1", input: "{}", projectName: "p", sourceType: "S3", sourceLocation: "b/k", sourceVersion: "c", sourceAuth: {}, buildspec: "version: 0.2", secondarySources: [], artifacts: {}, secondaryArtifacts: [], environmentVariables: [], functionName: "f", event: {} };

export async function runGraph(definition: Record<string, unknown>, script: GraphScript = {}): Promise<GraphRun> {
  const states = flattenStates(definition["States"] as States);
  const trace: string[] = [];
  const counts = new Map<string, number>();
  const count = (k: string) => {
    counts.set(k, (counts.get(k) ?? 0) + 1);
    return counts.get(k) as number;
  };
  let lambdaInvocations = 0;
  let integrationCalls = 0;
  const handlers: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {};
  for (const [name, state] of states) {
    if (state["Type"] !== "Task") continue;
    const resource = String(state["Resource"]);
    const ours = resource.startsWith("arn:aws:states:::lambda:invoke") && typeof (state["Parameters"] as { FunctionName?: unknown }).FunctionName !== "string";
    handlers[name] = async (input) => {
      trace.push(name);
      if (ours) lambdaInvocations++;
      else integrationCalls++;
      const payload = (input["Payload"] ?? {}) as Record<string, unknown>;
      const stage = ((payload["stage"] as { name?: string } | undefined)?.name ?? "") as string;
      if (name === "Start(pipeline)") return { Payload: { run: { pipelineExecutionId: "e-1", entry: script.entry ?? null, retry: null }, error: null } };
      if (name.endsWith("(enter)")) {
        if (script.enter?.(stage, count(name)) === "Pipeline.Superseded") throw named("Pipeline.Superseded", "a newer execution replaced this one");
        return { Payload: {} };
      }
      if (name.endsWith("(leave)")) return { Payload: { end: script.leaveEnd?.(stage) ?? false } };
      if (name.endsWith("(failed)")) {
        const decision = script.onStageFailed?.(stage, count(name)) ?? { next: "FAIL" };
        return { Payload: { next: decision.next, retryMode: decision.retryMode ?? null, rollback: { name: "e-1-rollback", input: "{}" }, cause: `stage ${stage} failed` } };
      }
      if (name.endsWith("(start)")) {
        const run = payload["run"] as { retry: { stage: string; mode: string } | null };
        const action = payload["action"] as { stage: string; name: string };
        const task = `${action.stage}.${action.name}`;
        const skip = run.retry?.mode === "FAILED_ACTIONS" && run.retry.stage === action.stage && !(script.failing ?? []).includes(task) && !(script.flaky ?? []).includes(task);
        return { Payload: { skip, request: REQUEST } };
      }
      if (/\((ok|error)\)$/.test(name) || name === "Succeeded(pipeline)") return { Payload: {} };
      const base = name.replace(/\((poll)\)$/, "");
      if (name.endsWith("(poll)") || states.get(`${name}(done?)`)) {
        const done = count(`poll:${base}`) >= (script.polls?.(base) ?? 1);
        // A polled provider that fails (a stack rolled back, a rollout FAILED) does so at its last look.
        if (done && (script.failing ?? []).includes(base)) throw named("States.TaskFailed", `${base} failed`);
        return { Payload: { done, nextPollSeconds: 15, state: {} } };
      }
      if ((script.failing ?? []).includes(name) || ((script.flaky ?? []).includes(name) && count(`flaky:${name}`) === 1)) throw named("States.TaskFailed", `${name} failed`);
      return { Payload: {}, Build: { BuildStatus: "SUCCEEDED" }, BuildBatch: {}, ExecutionArn: "arn", Output: {} };
    };
  }
  const waits = Object.fromEntries([...states].filter(([, s]) => s["Type"] === "Wait").map(([n]) => [n, 0]));
  const sm = validatedEngine(definition);
  const execution = sm.run({}, {
    overrides: { taskResourceLocalHandlers: handlers as never, waitTimeOverrides: waits },
    context: { Execution: { Name: "e-1", Id: "arn:aws:states:us-east-1:111122223333:execution:pipeline:e-1" }, Task: { Token: "token" }, StateMachine: { Id: "arn:aws:states:us-east-1:111122223333:stateMachine:pipeline" } } as never,
  });
  const history = new HistoryCounter();
  const consume = (async () => {
    for await (const ev of execution.eventLogs as AsyncIterable<Record<string, unknown>>) {
      const st = ev["state"] as { name: string } | undefined;
      if (ev["type"] !== "StateEntered" || !st) continue;
      const def = states.get(st.name) ?? {};
      history.enter(String(def["Type"]), String(def["Resource"] ?? "").endsWith(".waitForTaskToken"));
    }
  })();
  let error: string | undefined;
  try {
    await execution.result;
  } catch (e) {
    // The engine wraps the failing state's error in an ExecutionError; its cause is what AWS reports.
    const outer = e as Error & { cause?: unknown };
    error = outer.cause instanceof Error ? outer.cause.name : outer.name;
  }
  await consume;
  return { trace, ...(error !== undefined && { error }), stats: history.stats(), lambdaInvocations, integrationCalls };
}
