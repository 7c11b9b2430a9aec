/**
 * The time handlers read. On AWS it is the system clock; the local simulator points it at its
 * simulated clock (the same way fake timers would), so durations such as "how much of the bake is
 * left" are measured in the time the workflow actually waits.
 */
let source: () => number = () => Date.now();

export function nowMs(): number {
  return source();
}

export function nowIso(): string {
  return new Date(source()).toISOString();
}

export function useClock(fn: () => number): () => void {
  const previous = source;
  source = fn;
  return () => {
    source = previous;
  };
}
