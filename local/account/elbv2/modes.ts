/**
 * Whether an application answers its health checks, over simulated time: a target group's targets
 * turn unhealthy (timeline `targetGroup`), or a task definition's tasks never pass (ECS). The load
 * balancer notices a change only after its health check thresholds (health.ts).
 */
export type HealthMode = "healthy" | "unhealthy";
export const HEALTH_MODES: readonly HealthMode[] = ["healthy", "unhealthy"];

export class ModeHistory {
  private readonly changes: { at: number; mode: HealthMode }[];

  constructor(initial: HealthMode = "healthy") {
    this.changes = [{ at: Number.NEGATIVE_INFINITY, mode: initial }];
  }

  set(at: number, mode: HealthMode): void {
    this.changes.push({ at, mode });
    this.changes.sort((a, b) => a.at - b.at);
  }

  /** The mode at `t` and since when it holds. */
  at(t: number): { mode: HealthMode; since: number } {
    let current = this.changes[0] as { at: number; mode: HealthMode };
    for (const c of this.changes) if (c.at <= t) current = c;
    return { mode: current.mode, since: current.at };
  }
}

/** Unhealthy if either says so; since the latest of the two changes. */
export function combine(a: { mode: HealthMode; since: number }, b?: { mode: HealthMode; since: number }): { mode: HealthMode; since: number } {
  if (!b) return a;
  return { mode: a.mode === "unhealthy" || b.mode === "unhealthy" ? "unhealthy" : "healthy", since: Math.max(a.since, b.since) };
}
