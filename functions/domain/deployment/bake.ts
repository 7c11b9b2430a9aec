/**
 * The bake between two traffic steps, watched in ticks of `pollSeconds`.
 * `sleep` is the next Wait; `left` is what remains after that Wait (0 = the bake ends with it).
 */
export interface BakeCursor {
  remaining: number;
  sleep: number;
  left: number;
}

export function startBake(bakeSeconds: number, pollSeconds: number): BakeCursor {
  const sleep = Math.min(pollSeconds, Math.max(0, bakeSeconds));
  return { remaining: bakeSeconds, sleep, left: bakeSeconds - sleep };
}

/** After a Wait of `cursor.sleep`, the next tick. */
export function continueBake(cursor: BakeCursor, pollSeconds: number): BakeCursor {
  return startBake(cursor.left, pollSeconds);
}
