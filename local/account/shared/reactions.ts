/**
 * Work the simulated account started on its own and that a caller may want to wait for: event
 * deliveries to in-process rule targets and timeline action handlers. Each piece of work starts
 * asynchronously (never inside the caller's stack: an alarm flip inside `clock.advance` does not run
 * its targets re-entrantly) and is tracked until it finishes. `settled()` loops until nothing is in
 * flight, because finishing work can start more (a target that flips another alarm).
 *
 * Errors never escape: the work function handles its own failures; anything that still throws is
 * passed to `onUnhandled`.
 */
export class Reactions {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly onUnhandled: (error: unknown) => void = () => undefined) {}

  /** Starts `work` on a later microtask and tracks it until it settles. */
  track(work: () => Promise<void> | void): void {
    const p: Promise<void> = Promise.resolve()
      .then(work)
      .catch((e: unknown) => this.onUnhandled(e))
      .finally(() => {
        this.pending.delete(p);
      });
    this.pending.add(p);
  }

  /** How many pieces of work are in flight. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Resolves once no tracked work is in flight (including work started while waiting). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
