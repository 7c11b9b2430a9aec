/**
 * How long one wait of a bake lasts. With alarm events and no metric gates a bake is one wait on the Bake
 * task's token (history does not grow with bake time); metric gates need a wake-up per evaluation interval,
 * and alarm polling one per poll: those wake-ups are the bake watcher's (statemachines/bake-watcher.asl.json).
 */
export function bakeChunkSeconds(mode: "events" | "polling", pollSeconds: number, gateIntervals: number[]): number {
  const gate = gateIntervals.length ? Math.min(...gateIntervals) : Number.POSITIVE_INFINITY;
  return mode === "polling" ? Math.min(pollSeconds, gate) : gate;
}

/** The bake watcher's state between two checks (`$.watch` of the child execution). */
export interface BakeWatch {
  /** The Bake task's token the watcher answers. */
  token: string;
  /** Epoch ms at which the bake ends. */
  endsAtMs: number;
  /** The next Wait. */
  sleepSeconds: number;
  /** Consecutive failed evaluations per metric gate. */
  gateFailures: number[];
  /** Checks made by this execution; after WATCH_CHECKS_PER_EXECUTION a fresh execution takes over. */
  checks: number;
  /** Executions so far for this bake (names the next one). */
  part: number;
  /** The watch has ended: the bake is over or answered, or the workflow moved on. */
  over: boolean;
}

/** About 9 history events per check: a fresh execution every 500 checks stays far below the 25,000 cap. */
export const WATCH_CHECKS_PER_EXECUTION = 500;

interface WatchSettings {
  alarmMonitoring: "events" | "polling";
  alarmPollSeconds: number;
  metricGates: { intervalSeconds: number }[];
}

const chunkOf = (d: WatchSettings) => bakeChunkSeconds(d.alarmMonitoring, d.alarmPollSeconds, d.metricGates.map((g) => g.intervalSeconds));

/** Seconds left of the bake at `nowMs` (whole seconds, rounded up). */
export function bakeSecondsLeft(watch: Pick<BakeWatch, "endsAtMs">, nowMs: number): number {
  return Math.max(0, Math.ceil((watch.endsAtMs - nowMs) / 1000));
}

export function startWatch(d: WatchSettings, token: string, endsAtMs: number, nowMs: number): BakeWatch {
  const left = bakeSecondsLeft({ endsAtMs }, nowMs);
  return { token, endsAtMs, sleepSeconds: Math.min(chunkOf(d), left), gateFailures: [], checks: 0, part: 0, over: left <= 0 };
}

/** The watch after a check at `nowMs` that found nothing wrong: the next wait, or over when the bake is. */
export function nextWatch(watch: BakeWatch, d: WatchSettings, nowMs: number, gateFailures: number[]): BakeWatch {
  const left = bakeSecondsLeft(watch, nowMs);
  return { ...watch, gateFailures, checks: watch.checks + 1, sleepSeconds: Math.min(chunkOf(d), left), over: left <= 0 };
}
