import type { CallbackWorld, ClosedExecution, TokenOutcome } from "./callbacks.js";
import { onEachSdkClient } from "./sdk-hooks.js";

/**
 * Step Functions for executions the local runtime runs without the simulated account (`stepdeploy run
 * --endpoint`): there the runtime is the Step Functions service of its own executions, so the task tokens it
 * issues are answered here (SendTaskSuccess/SendTaskFailure from the handlers never leave the process), and
 * StartExecution of the stack's own state machines (the bake watcher, deploy-server's batches and rollbacks) starts a
 * local execution, which `.sync` tasks wait for here. Every other Step Functions call goes to the endpoint as usual.
 */
export class LocalStepFunctions implements CallbackWorld {
  private readonly waiting = new Map<string, (o: TokenOutcome) => void>();
  private readonly executions = new Map<string, Promise<ClosedExecution>>();

  constructor(private readonly startLocal: (stateMachineArn: string, name: string, input: unknown) => { executionArn: string; closed: Promise<ClosedExecution> } | undefined) {}

  /** `.sync` nested executions of the stack's own state machines, started here. */
  awaitExecution(executionArn: string): Promise<ClosedExecution> {
    return this.executions.get(executionArn) ?? Promise.reject(new Error(`${executionArn} was not started by this run`));
  }

  register(token: string): Promise<TokenOutcome> {
    return new Promise((resolve) => this.waiting.set(token, resolve));
  }
  expire(token: string): void {
    this.waiting.delete(token);
  }
  nextEventAt(): number | undefined {
    return undefined;
  }
  settled(): Promise<void> {
    return Promise.resolve();
  }

  /** The answer to a Step Functions command, when it is one of ours; undefined sends it to the endpoint. */
  handle(command: string, input: Record<string, unknown>): Record<string, unknown> | undefined {
    if (command === "SendTaskSuccess" || command === "SendTaskFailure") {
      const resolve = this.waiting.get(String(input.taskToken));
      if (!resolve) return undefined;
      this.waiting.delete(String(input.taskToken));
      resolve(command === "SendTaskSuccess" ? { ok: true, output: JSON.parse(String(input.output ?? "{}")) } : { ok: false, error: String(input.error ?? ""), cause: String(input.cause ?? "") });
      return {};
    }
    if (command === "StartExecution") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(input.input ?? "{}"));
      } catch {
        return undefined; // input that is not JSON is the service's to refuse (InvalidExecutionInput), as for any state machine
      }
      const started = this.startLocal(String(input.stateMachineArn), String(input.name), parsed);
      if (started) this.executions.set(started.executionArn, started.closed);
      return started && { executionArn: started.executionArn, startDate: new Date() };
    }
    return undefined;
  }
}

let active: LocalStepFunctions | undefined;
let hooked = false;

/** Routes this process's Step Functions calls for local tokens and local state machines to `sfn` (undefined: none). */
export function serveLocalStepFunctions(sfn: LocalStepFunctions | undefined): void {
  active = sfn;
  if (hooked || !sfn) return;
  hooked = true;
  onEachSdkClient((client) => {
    if (client.config.serviceId !== "SFN") return;
    client.middlewareStack.add(
      (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (a: { input: Record<string, unknown> }) => {
        const local = active?.handle(String(context.commandName ?? "").replace(/Command$/, ""), a.input);
        return local ? { output: { $metadata: {}, ...local }, response: {} } : next(a);
      },
      { step: "initialize", name: "stepdeployLocalStepFunctions", override: true },
    );
  });
}
