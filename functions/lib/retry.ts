import { ErrorNames } from "../domain/errors.js";

/**
 * Runs `fn` again when it fails with Deploy.Transient, up to `attempts` times in all. For the
 * callers that have no Step Functions Retry behind them (the janitor) and must not give up after
 * the SDK's own three tries.
 */
export async function retryTransient<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if ((e as Error).name !== ErrorNames.Transient || attempt >= attempts) throw e;
    }
  }
}
