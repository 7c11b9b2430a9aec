/**
 * The bake between two traffic steps, watched in ticks of `pollSeconds`.
 * `sleep` is the next Wait; `left` is what remains after that Wait (0 = the bake ends with it).
 */
export interface BakeCursor {
  remaining: number;
  sleep: number;
  left: number;
  /** Consecutive failed evaluations per metric gate, within this step's bake. */
  gateFailures?: number[];
}

/**
 * How long one wait of a bake lasts. With alarm events and no metric gates a bake is one wait
 * (history does not grow with bake time); gates need a wake-up per evaluation interval, and
 * polling one per poll.
 */
export function bakeChunkSeconds(mode: "events" | "polling", pollSeconds: number, gateIntervals: number[]): number {
  const gate = gateIntervals.length ? Math.min(...gateIntervals) : Number.POSITIVE_INFINITY;
  return mode === "polling" ? Math.min(pollSeconds, gate) : gate;
}

export function startBake(bakeSeconds: number, pollSeconds: number): BakeCursor {
  const sleep = Math.min(pollSeconds, Math.max(0, bakeSeconds));
  return { remaining: bakeSeconds, sleep, left: bakeSeconds - sleep };
}

/** After a Wait of `cursor.sleep`, the next tick. */
export function continueBake(cursor: BakeCursor, pollSeconds: number): BakeCursor {
  return startBake(cursor.left, pollSeconds);
}
