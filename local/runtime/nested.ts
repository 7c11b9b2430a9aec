import type { CallbackWorld, ClosedExecution } from "./callbacks.js";
import { IntegrationError, callAwsSdk } from "./sdk-integrations.js";

/**
 * `arn:aws:states:::states:startExecution.sync` and `.sync:2`, run the way Step Functions runs them
 * (codepipeline-spec §5.2): StartExecution through the account's Step Functions API (so names,
 * idempotency and ExecutionAlreadyExists are the account's), then wait until the child closes.
 * - `.sync:2` returns Input and Output as JSON, `.sync` as JSON text;
 * - a child that does not succeed fails the task with `States.TaskFailed` and, as Cause, the
 *   child's description as JSON text (Error and Cause of the child inside);
 * - a parent that is stopped stops the child (StopExecution), as Step Functions does for `.sync`.
 * Errors of the StartExecution call itself are named `StepFunctions.<Exception>`.
 */
export const NESTED_RESOURCE = /^arn:aws:states:::states:startExecution\.sync(:2)?$/;

interface NestedParams {
  StateMachineArn?: string;
  Name?: string;
  Input?: unknown;
}

function describe(e: ClosedExecution, v2: boolean): Record<string, unknown> {
  const json = (text: string | undefined) => (text === undefined ? undefined : v2 ? JSON.parse(text) : text);
  return {
    ExecutionArn: e.executionArn,
    StateMachineArn: e.stateMachineArn,
    Name: e.name,
    Status: e.status,
    StartDate: e.startMs,
    StopDate: e.stopMs,
    Input: json(e.input),
    InputDetails: { Included: true },
    ...(e.output !== undefined ? { Output: json(e.output), OutputDetails: { Included: true } } : {}),
    ...(e.error !== undefined ? { Error: e.error } : {}),
    ...(e.cause !== undefined ? { Cause: e.cause } : {}),
  };
}

/**
 * `whileWaiting` marks the wait for the child's close (the runtime's cooperative scheduler, local/clock.ts): only that
 * part is waiting. The StartExecution call before it is work: until the account has started the child (whose own work
 * mark is taken inside StartExecution), another execution must not move time, however long the call takes in wall time.
 */
export type WhileWaiting = <T>(wait: () => Promise<T>, wakeOn?: Promise<unknown>) => Promise<T>;

export async function runNestedExecution(resource: string, params: unknown, world: CallbackWorld | undefined, aborted: Promise<never>, whileWaiting: WhileWaiting = (wait) => wait()): Promise<unknown> {
  if (!world?.awaitExecution) throw new IntegrationError("States.Runtime", `${resource} needs an account that runs executions (the simulated account)`);
  const v2 = resource.endsWith(":2");
  const p = (params ?? {}) as NestedParams;
  const input = typeof p.Input === "string" ? p.Input : JSON.stringify(p.Input ?? {});
  let executionArn: string;
  try {
    const out = await callAwsSdk("sfn", "startExecution", { stateMachineArn: p.StateMachineArn, ...(p.Name ? { name: p.Name } : {}), input });
    executionArn = String(out.executionArn);
  } catch (e) {
    const err = e as IntegrationError;
    throw new IntegrationError(err.name.replace(/^Sfn\./, "StepFunctions."), err.message);
  }
  const closed = world.awaitExecution(executionArn);
  const stopped = aborted.catch(async (e: Error) => {
    await callAwsSdk("sfn", "stopExecution", { executionArn, error: "States.Aborted", cause: "the parent execution was stopped" }).catch(() => undefined);
    throw e;
  });
  const e = await whileWaiting(() => Promise.race([closed, stopped]), closed);
  if (e.status === "SUCCEEDED") return describe(e, v2);
  throw new IntegrationError("States.TaskFailed", JSON.stringify(describe(e, v2)));
}
