/**
 * Estimates what an execution costs in Step Functions terms from the local engine's event stream,
 * following the Standard-workflow history shapes:
 *  - ExecutionStarted + one terminal execution event;
 *  - Task: Entered + Exited + 3 per attempt (Scheduled, Started, Succeeded|Failed|TimedOut),
 *    +1 per attempt for `.waitForTaskToken` (TaskSubmitted);
 *  - Pass, Choice, Wait, Succeed: Entered + Exited; Fail: Entered;
 *  - Map: Entered, Started, Succeeded|Failed, Exited + 2 per iteration (IterationStarted/Succeeded).
 * State transitions (what Standard bills) = states entered + retries (codepipeline-spec §5.6, §6).
 */
export interface HistoryStats {
  stateTransitions: number;
  historyEvents: number;
}

export class HistoryCounter {
  private transitions = 0;
  private events = 2;

  enter(type: string, callback = false): void {
    this.transitions += 1;
    if (type === "Task") this.events += 2 + 3 + (callback ? 1 : 0);
    else if (type === "Map" || type === "Parallel") this.events += 4;
    else if (type === "Fail") this.events += 1;
    else this.events += 2;
  }

  retry(callback = false): void {
    this.transitions += 1;
    this.events += 3 + (callback ? 1 : 0);
  }

  iteration(): void {
    this.events += 2;
  }

  stats(): HistoryStats {
    return { stateTransitions: this.transitions, historyEvents: this.events };
  }
}

/** Prices (us-east-1, codepipeline-spec §6): Standard transitions, Lambda requests and GB-seconds, custom events. */
export const PRICES = {
  transition: 0.025 / 1000,
  lambdaRequest: 0.2 / 1_000_000,
  lambdaGbSecond: 0.0000166667,
  customEvent: 1 / 1_000_000,
};
/** Billed duration we assume per handler invocation (local timings do not include AWS network latency). */
export const ASSUMED_BILLED_MS = 100;

export function estimateCostUsd(p: { stateTransitions: number; lambdaInvocations: number; lambdaGbSeconds: number; customEvents: number }): number {
  const usd =
    p.stateTransitions * PRICES.transition +
    p.lambdaInvocations * PRICES.lambdaRequest +
    p.lambdaGbSeconds * PRICES.lambdaGbSecond +
    p.customEvents * PRICES.customEvent;
  return Number(usd.toFixed(8));
}
