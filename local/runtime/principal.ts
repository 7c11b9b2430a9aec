import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Which of our Lambda functions is running, for everything it awaits: the local engine runs each
 * handler inside `asFunction`, so an SDK call can be attributed to the function whose role AWS would
 * check it against (the pipeline IAM coverage test reads it from an SDK middleware). Outside a
 * handler (the engine's own service integrations, the scenario runner) there is none.
 */
const running = new AsyncLocalStorage<string>();

export function asFunction<T>(functionName: string, work: () => Promise<T>): Promise<T> {
  return running.run(functionName, work);
}

/** The function (its deployed name, `<service>-<stage>-<key>`) whose handler made the current call. */
export function currentFunction(): string | undefined {
  return running.getStore();
}

/**
 * Runs `work` as no function: what a function starts through an AWS API (a state machine execution)
 * runs on its own afterwards, not as the function that started it.
 */
export function outsideFunctions<T>(work: () => T): T {
  return running.exit(work);
}
