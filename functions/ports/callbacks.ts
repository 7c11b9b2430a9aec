import type { WaitingCallback } from "../domain/control/waiting.js";

/** One deployment watching one alarm: what the alarm listener answers when that alarm fires. */
export interface AlarmWatch {
  deploymentId: string;
  token: string;
  /** Where the deployment's alarms live; an alarm event from elsewhere is not theirs. */
  account?: string;
  region?: string;
}

/**
 * Task tokens of waiting deployments (a bake, a pause, a place in a target's queue) and the alarm watches
 * that point at them.
 */
export interface CallbacksPort {
  /** Stores the alarm watches first, then the wait itself: a concurrent alarm always finds a token. */
  putWaiting(waiting: WaitingCallback): Promise<void>;
  getWaiting(deploymentId: string): Promise<WaitingCallback | undefined>;
  /** Removes the wait and its watches. Idempotent. */
  clearWaiting(deploymentId: string, alarms: string[]): Promise<void>;
  watchersOf(alarm: string): Promise<AlarmWatch[]>;
}
