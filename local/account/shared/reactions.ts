/**
 * Work the simulated account started on its own and that a caller may want to wait for: event
 * deliveries to in-process rule targets and timeline action handlers. Each piece of work starts
 * asynchronously (never inside the caller's stack: an alarm flip inside `clock.advance` does not run
 * its targets re-entrantly) and is tracked until it finishes. `settled()` loops until nothing is in
 * flight, because finishing work can start more (a target that flips another alarm).
 *
 * Errors never escape: the work function handles its own failures; anything that still throws is
 * passed to `onUnhandled`.
 *
 * `mark` (the account's `clock.busy`) counts each piece of work as working from the moment it is
 * tracked until it settles: the clock is a cooperative scheduler (local/clock.ts), so an execution
 * waiting in a Wait state must not move time while a delivery another one's step let happen still runs.
 */
export class Reactions {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly onUnhandled: (error: unknown) => void = () => undefined,
    private readonly mark: () => () => void = () => () => undefined,
  ) {}

  /** Starts `work` on a later microtask and tracks it until it settles. */
  track(work: () => Promise<void> | void): void {
    const unmark = this.mark();
    const p: Promise<void> = Promise.resolve()
      .then(work)
      .catch((e: unknown) => this.onUnhandled(e))
      .finally(() => {
        this.pending.delete(p);
        unmark();
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
