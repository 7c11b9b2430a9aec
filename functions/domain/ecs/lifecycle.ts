import type { BlueGreenOptions } from "./blue-green.js";

/**
 * The ECS blue/green lifecycle in execution order (codedeploy-spec §3.5, UG deployment-steps-ecs):
 * BeforeInstall → Install → AfterInstall → AllowTestTraffic → AfterAllowTestTraffic → (ready wait) →
 * BeforeAllowTraffic → AllowTraffic → AfterAllowTraffic → (termination wait) → cleanup.
 * Hooks are Lambda functions with the same contract as the Lambda deployments' hooks.
 *
 * What is skipped, and why:
 *  - a hook event without a hook function;
 *  - AllowTestTraffic and AfterAllowTestTraffic without a test route: "If you do not specify a test
 *    listener ... this hook is ignored" (UG reference-appspec-file-example), even if a hook is named;
 *  - the ready wait without `readyWait`, or CONTINUE_DEPLOYMENT with 0 minutes;
 *  - the termination wait at 0 minutes.
 * Rollback: "A rollback is not possible" during BeforeInstall (nothing is installed yet; a failure there
 * ends the deployment with traffic untouched); from Install until the cleanup starts, a rollback puts both
 * routes back on the original target group and deletes the replacement; once the original task set is
 * being deleted there is nothing to roll back to (CDK ecs/deployment-group.ts, `terminationWaitTime`).
 */
export const ECS_HOOK_EVENTS = ["BeforeInstall", "AfterInstall", "AfterAllowTestTraffic", "BeforeAllowTraffic", "AfterAllowTraffic"] as const;
export type EcsHookEvent = (typeof ECS_HOOK_EVENTS)[number];

export type EcsLifecycleEvent = "BeforeInstall" | "Install" | "AfterInstall" | "AllowTestTraffic" | "AfterAllowTestTraffic" | "ReadyWait" | "BeforeAllowTraffic" | "AllowTraffic" | "AfterAllowTraffic" | "TerminationWait" | "Cleanup";

export interface LifecycleStep {
  event: EcsLifecycleEvent;
  kind: "hook" | "action" | "wait";
  runs: boolean;
  /** Why it is skipped (absent when it runs). */
  skipped?: string;
  /** Whether a failure in (or after) this step can roll back (false: traffic was never moved, or the original is being removed). */
  rollback: boolean;
  /** For hooks that run: the function; for waits: the minutes. */
  hook?: string;
  minutes?: number;
}

export type EcsHooks = Partial<Record<EcsHookEvent, string>>;

export function ecsLifecycle(opts: { hooks: EcsHooks; hasTestRoute: boolean; blueGreen: BlueGreenOptions }): LifecycleStep[] {
  const { hooks, hasTestRoute, blueGreen } = opts;
  const hook = (event: EcsHookEvent, rollback: boolean, needsTest = false): LifecycleStep => {
    const fn = hooks[event];
    if (needsTest && !hasTestRoute) return { event, kind: "hook", runs: false, skipped: "no test listener: CodeDeploy ignores AfterAllowTestTraffic", rollback };
    return fn ? { event, kind: "hook", runs: true, rollback, hook: fn } : { event, kind: "hook", runs: false, skipped: "no hook function", rollback };
  };
  const ready = blueGreen.readyWait;
  const readyRuns = ready !== undefined && ready.waitMinutes > 0;
  const termination = blueGreen.terminationWaitMinutes;
  return [
    hook("BeforeInstall", false),
    { event: "Install", kind: "action", runs: true, rollback: true },
    hook("AfterInstall", true),
    hasTestRoute ? { event: "AllowTestTraffic", kind: "action", runs: true, rollback: true } : { event: "AllowTestTraffic", kind: "action", runs: false, skipped: "no test listener", rollback: true },
    hook("AfterAllowTestTraffic", true, true),
    readyRuns
      ? { event: "ReadyWait", kind: "wait", runs: true, rollback: true, minutes: ready.waitMinutes }
      : { event: "ReadyWait", kind: "wait", runs: false, skipped: ready ? "CONTINUE_DEPLOYMENT with 0 minutes: reroute at once" : "no readyWait", rollback: true },
    hook("BeforeAllowTraffic", true),
    { event: "AllowTraffic", kind: "action", runs: true, rollback: true },
    hook("AfterAllowTraffic", true),
    termination > 0
      ? { event: "TerminationWait", kind: "wait", runs: true, rollback: true, minutes: termination }
      : { event: "TerminationWait", kind: "wait", runs: false, skipped: "terminationWaitMinutes is 0", rollback: true },
    { event: "Cleanup", kind: "action", runs: true, rollback: false },
  ];
}

/** The hook functions that run, in order (what Prepare checks exist). */
export function hooksThatRun(steps: readonly LifecycleStep[]): { event: EcsHookEvent; hook: string }[] {
  return steps.filter((s) => s.kind === "hook" && s.runs && s.hook).map((s) => ({ event: s.event as EcsHookEvent, hook: s.hook as string }));
}
