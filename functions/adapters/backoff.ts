import { MAXIMUM_RETRY_DELAY, Retry, StandardRetryStrategy } from "@smithy/core/retry";

/**
 * Where the SDK's retry back-off waits. By default the SDK's standard retry strategy sleeps inside
 * the SDK (setTimeout) and nothing here is used: on AWS every client keeps the SDK's own strategy.
 * A process that owns time itself (the local simulator, whose clock only moves when something
 * waits; local/simulate/world.ts) installs a `BackoffClock` with `useBackoffClock`; clients built while one is installed
 * (functions/adapters/clients.ts) get `ClockedRetryStrategy`: the SDK's StandardRetryStrategy
 * still decides whether to retry (error classification, attempts, retry-token capacity), and only
 * the wait between attempts goes to the installed clock.
 *
 * The delay is the SDK's standard back-off ("full jitter": a random fraction of min(base · 2^n,
 * 20 s), base 1 s for throttling errors, else 50 ms; a Retry-After hint raises it by at most 5 s),
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 * with the fraction drawn from the clock's `jitter`, so a simulated clock can make it replayable.
 * The SDK's own strategy is not reused as is because it sleeps with setTimeout inside
 * refreshRetryTokenForRetry; it is given a zero back-off and decides, and the wait happens here.
 */
export interface BackoffClock {
  /** Waits `ms` milliseconds of this clock's time. */
  wait(ms: number): Promise<void>;
  /** A fraction in [0, 1): the back-off's jitter. */
  jitter(): number;
}

let installed: BackoffClock | undefined;

/** Installs the process-wide back-off clock; returns the function that puts the previous one back. */
export function useBackoffClock(clock: BackoffClock): () => void {
  const previous = installed;
  installed = clock;
  return () => {
    if (installed === clock) installed = previous;
  };
}

/** The installed back-off clock, if any. */
export function backoffClock(): BackoffClock | undefined {
  return installed;
}

type Token = Awaited<ReturnType<StandardRetryStrategy["acquireInitialRetryToken"]>>;
type ErrorInfo = Parameters<StandardRetryStrategy["refreshRetryTokenForRetry"]>[1];

/** The SDK's back-off, given the retry about to be made (`retryCount` retries so far) and a jitter fraction. */
export function backoffDelayMs(errorInfo: ErrorInfo, retryCount: number, jitter: number, nowMs = Date.now()): number {
  const base = errorInfo.errorType === "THROTTLING" ? Retry.throttlingDelay() : Retry.delay();
  const delay = Math.floor(jitter * Math.min(base * 2 ** retryCount, MAXIMUM_RETRY_DELAY));
  const hint = errorInfo.retryAfterHint;
  return hint instanceof Date ? Math.max(delay, Math.min(hint.getTime() - nowMs, delay + 5_000)) : delay;
}

/** The SDK's decision with no wait of its own: the back-off it is given is always zero. */
const NO_SDK_WAIT = { computeNextBackoffDelay: () => 0, setDelayBase: () => undefined };

/** The wall clock, as the SDK itself waits: for a client used after the clock it was built with was removed. */
const WALL: BackoffClock = { wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), jitter: Math.random };

/**
 * The SDK's StandardRetryStrategy, waiting on the installed back-off clock (read at each retry, as
 * clients are cached across clocks). `maxAttempts` is the client's own setting (its config's
 * provider: a client built with `maxAttempts: 1` never retries).
 */
export class ClockedRetryStrategy {
  readonly mode = "standard";
  private sdk: Promise<StandardRetryStrategy> | undefined;
  private built: StandardRetryStrategy | undefined;

  constructor(private readonly maxAttempts: () => Promise<number>) {}

  private decider(): Promise<StandardRetryStrategy> {
    this.sdk ??= this.maxAttempts().then((maxAttempts) => {
      this.built = new StandardRetryStrategy({ maxAttempts, backoff: NO_SDK_WAIT });
      return this.built;
    });
    return this.sdk;
  }

  async acquireInitialRetryToken(scope: string): Promise<Token> {
    return (await this.decider()).acquireInitialRetryToken(scope);
  }

  async refreshRetryTokenForRetry(token: Token, errorInfo: ErrorInfo): Promise<Token> {
    // Throws (and the SDK surfaces the error) when the SDK would not retry. The hint is applied below.
    const next = await (await this.decider()).refreshRetryTokenForRetry(token, { ...errorInfo, retryAfterHint: undefined });
    const clock = installed ?? WALL;
    const delay = backoffDelayMs(errorInfo, token.getRetryCount(), clock.jitter());
    await clock.wait(delay);
    const log = (next as { $retryLog?: { acquisitionDelay: number } }).$retryLog;
    if (log) log.acquisitionDelay = delay;
    return next;
  }

  recordSuccess(token: Token): void {
    // A token exists only after acquireInitialRetryToken, so the decider is built.
    this.built?.recordSuccess(token);
  }
}
