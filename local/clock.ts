/**
 * Simulated clock shared by the local runtime and the simulated account.
 * Time only moves when something that AWS would make wait (a Wait state, a retry back-off,
 * a hook's latency) calls `advance`; nothing here sleeps in wall time.
 */
export type ClockListener = (nowMs: number) => void;

export class SimClock {
  private nowMs: number;
  private readonly startMs: number;
  private readonly listeners: ClockListener[] = [];
  /** Upper bounds registered by callers that must not be overrun (a Task's TimeoutSeconds). */
  private readonly horizons = new Set<{ at: number }>();

  constructor(start: Date | number = Date.parse("2026-01-01T00:00:00Z")) {
    this.startMs = typeof start === "number" ? start : start.getTime();
    this.nowMs = this.startMs;
  }

  now(): number {
    return this.nowMs;
  }

  date(): Date {
    return new Date(this.nowMs);
  }

  /** Seconds since the clock started (the simulated timeline's x axis). */
  elapsedSeconds(): number {
    return (this.nowMs - this.startMs) / 1000;
  }

  /** Moves time forward, never past the nearest horizon. Returns the seconds actually advanced. */
  advance(seconds: number): number {
    if (!(seconds > 0)) return 0;
    let target = this.nowMs + seconds * 1000;
    for (const h of this.horizons) target = Math.min(target, h.at);
    const moved = Math.max(0, target - this.nowMs);
    this.nowMs += moved;
    for (const l of this.listeners) l(this.nowMs);
    return moved / 1000;
  }

  private working = 0;

  /**
   * Marks one execution as working: while any execution works (runs a state, calls AWS, and a `.sync`
   * Task until its child is started), or the account's reactions run (deliveries, actions: Reactions),
   * a waiting execution must not move time on, or the worker's next step would happen "later" than it does.
   * Returns the function that ends this mark (idempotent). Together with `horizon`, this makes the
   * clock a cooperative scheduler for concurrent executions: time moves only when every execution
   * waits, and only up to the earliest deadline among them.
   */
  busy(): () => void {
    this.working += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.working -= 1;
    };
  }

  /** How many executions are working now (see `busy`). */
  get workingCount(): number {
    return this.working;
  }

  /** Registers a bound `seconds` from now; call the returned function to remove it. */
  horizon(seconds: number): () => void {
    // One entry per caller, even when two callers' bounds are the same instant: removing one must not
    // remove the other (two executions whose timeouts end in the same second).
    const h = { at: this.nowMs + seconds * 1000 };
    this.horizons.add(h);
    return () => this.horizons.delete(h);
  }

  onAdvance(listener: ClockListener): void {
    this.listeners.push(listener);
  }
}
