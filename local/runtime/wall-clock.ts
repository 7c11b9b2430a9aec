import { SimClock } from "../clock.js";

/**
 * The clock of `stepdeploy run --real-time`: the wall clock itself. Time passes on its own, so nothing may jump
 * it (`advance` moves nothing) and whoever waits, waits in wall time (`callbacks.ts`: a task token waits for its
 * answer or its timeout; Wait states and retry back-offs are the engine's own timers). Handlers read it through
 * `useClock`, so registry times, bake arithmetic and metric-gate windows are real times.
 */
export class WallClock extends SimClock {
  private readonly origin: number;

  constructor() {
    const now = Date.now();
    super(now);
    this.origin = now;
  }

  override now(): number {
    return Date.now();
  }

  override date(): Date {
    return new Date(Date.now());
  }

  override elapsedSeconds(): number {
    return (Date.now() - this.origin) / 1000;
  }

  /** Real time cannot be moved on: a simulated jump would put the handlers ahead of the endpoint. */
  override advance(): number {
    return 0;
  }
}

export function isWallClock(clock: SimClock): clock is WallClock {
  return clock instanceof WallClock;
}
