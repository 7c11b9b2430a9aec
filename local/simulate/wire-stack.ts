import type { SimAccount } from "../account/index.js";
import { outsideFunctions } from "../runtime/principal.js";
import type { ExecutionReport, LocalExecution, LocalRuntime } from "../runtime/runtime.js";

/**
 * Makes the simulated account look like an account where `osls deploy` ran: the stack's state
 * machines exist and their executions run on the local runtime (StartExecution/StopExecution go
 * through the account's Step Functions API), and the EventBridge rules declared in serverless.yml
 * deliver to our handlers in-process.
 */
export interface WiredStack {
  /** Resolves with the local report when the execution ends (started through the account). */
  finished(executionArn: string): Promise<ExecutionReport>;
  dispose(): void;
}

export function wireStack(account: SimAccount, runtime: LocalRuntime): WiredStack {
  const running = new Map<string, LocalExecution>();
  // One deferred report per execution ARN, created by whichever comes first: the host's start or a caller's wait.
  const done = new Map<string, { promise: Promise<ExecutionReport>; resolve: (r: ExecutionReport) => void; reject: (e: unknown) => void }>();
  const slot = (arn: string) => {
    let d = done.get(arn);
    if (!d) {
      let resolve!: (r: ExecutionReport) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<ExecutionReport>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      d = { promise, resolve, reject };
      done.set(arn, d);
    }
    return d;
  };
  for (const sm of runtime.stack.stateMachines) account.registerStateMachine({ name: sm.name, arn: sm.arn });
  const detachHost = account.attachExecutionHost({
    start(req) {
      const d = slot(req.executionArn);
      let exec: LocalExecution;
      try {
        const sm = runtime.machines().find((m) => m.arn === req.stateMachineArn || m.name === req.stateMachineName);
        if (!sm) throw new Error(`no local definition for ${req.stateMachineArn}`);
        // A handler's StartExecution (a trigger's) starts an execution that does not run as that handler.
        exec = outsideFunctions(() => runtime.start(sm.machine, req.input, { executionName: req.name, executionArn: req.executionArn }));
      } catch (e) {
        d.reject(e);
        throw e;
      }
      running.set(req.executionArn, exec);
      exec.result.then((r) => {
        if (r.status !== "ABORTED") account.sfn.executionFinished(req.executionArn, { status: r.status, output: r.output, error: r.error, cause: r.cause });
        d.resolve(r);
      }, d.reject);
    },
    stop(executionArn) {
      running.get(executionArn)?.abort();
    },
  });
  const unsubscribe = runtime.stack.rules.map((rule, i) =>
    account.subscribe({
      name: `${rule.functionLogicalId}-rule-${i}`,
      eventBusName: rule.eventBus,
      pattern: rule.pattern as never,
      // Lambda's asynchronous invocation retries a failed event twice (its default).
      retryAttempts: 2,
      target: async (event) => {
        await runtime.invokeFunction(rule.functionLogicalId, event);
      },
    }),
  );
  return {
    finished(executionArn: string) {
      return slot(executionArn).promise;
    },
    dispose() {
      detachHost();
      for (const u of unsubscribe) u();
    },
  };
}
