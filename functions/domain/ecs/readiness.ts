/**
 * When the replacement task set is ready for traffic: ECS reports it STEADY_STATE (running = desired,
 * nothing pending, every task healthy in the load balancer; ECS API reference, TaskSet.stabilityStatus)
 * and the load balancer says so too: all `computedDesiredCount` targets of the green target group are
 * `healthy` (DescribeTargetHealth). Both are checked because each alone can be stale for a moment, and
 * because the target count is what a user can see in the console. Not ready when the install timeout
 * passes: the deployment fails (and rolls back: the replacement is deleted, traffic never moved).
 */
export interface ReplacementObservation {
  computedDesiredCount: number;
  runningCount: number;
  pendingCount: number;
  stabilityStatus: string;
  /** Targets of the green target group that are `healthy` and belong to the replacement's tasks. */
  healthyTargets: number;
  /** Target states by count, for messages (`{initial: 1, unhealthy: 1}`). */
  targetStates: Record<string, number>;
}

export type Readiness = { ready: true } | { ready: false; waitSeconds: number; why: string } | { ready: false; failed: true; reason: string };

/**
 * Polling cadence while waiting: every 15 s for the first 5 minutes, then every 60 s (about 20 + 1 per
 * minute polls: a 60-minute timeout costs at most 75 polls), never past the timeout.
 */
export function pollSeconds(elapsedSeconds: number, timeoutSeconds: number): number {
  const step = elapsedSeconds < 300 ? 15 : 60;
  return Math.max(1, Math.min(step, timeoutSeconds - elapsedSeconds));
}

export function readiness(o: ReplacementObservation, elapsedSeconds: number, timeoutSeconds: number): Readiness {
  const states = Object.entries(o.targetStates).map(([s, n]) => `${n} ${s}`).join(", ") || "no targets";
  const status = `${o.runningCount}/${o.computedDesiredCount} tasks running, ${o.pendingCount} pending, ${o.stabilityStatus}; targets: ${states}`;
  if (o.stabilityStatus === "STEADY_STATE" && o.healthyTargets >= o.computedDesiredCount && o.runningCount === o.computedDesiredCount) return { ready: true };
  if (elapsedSeconds >= timeoutSeconds) {
    return { ready: false, failed: true, reason: `the replacement task set was not ready after ${Math.round(timeoutSeconds / 60)} minutes: ${status}` };
  }
  return { ready: false, waitSeconds: pollSeconds(elapsedSeconds, timeoutSeconds), why: status };
}
