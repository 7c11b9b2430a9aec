import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ECS_HOOK_EVENTS, type EcsHooks, ecsLifecycle, hooksThatRun, parseBlueGreen } from "../../../functions/domain/ecs/index.js";

const ORDER = ["BeforeInstall", "Install", "AfterInstall", "AllowTestTraffic", "AfterAllowTestTraffic", "ReadyWait", "BeforeAllowTraffic", "AllowTraffic", "AfterAllowTraffic", "TerminationWait", "Cleanup"];
const ALL_HOOKS: EcsHooks = Object.fromEntries(ECS_HOOK_EVENTS.map((e) => [e, `CodeDeployHook_${e}`]));

describe("ecsLifecycle", () => {
  it("runs every step with a test listener, all hooks, a ready wait and a termination wait", () => {
    const steps = ecsLifecycle({ hooks: ALL_HOOKS, hasTestRoute: true, blueGreen: parseBlueGreen({ terminationWaitMinutes: 5, readyWait: { waitMinutes: 30, actionOnTimeout: "STOP_DEPLOYMENT" } }) });
    expect(steps.map((s) => [s.event, s.runs])).toEqual(ORDER.map((e) => [e, true]));
    expect(steps.find((s) => s.event === "ReadyWait")?.minutes).toBe(30);
    expect(hooksThatRun(steps).map((h) => h.event)).toEqual(["BeforeInstall", "AfterInstall", "AfterAllowTestTraffic", "BeforeAllowTraffic", "AfterAllowTraffic"]);
  });

  it("skips test traffic and AfterAllowTestTraffic without a test listener, even with a hook named, as CodeDeploy ignores it", () => {
    const steps = ecsLifecycle({ hooks: ALL_HOOKS, hasTestRoute: false, blueGreen: parseBlueGreen(undefined) });
    const skipped = steps.filter((s) => !s.runs).map((s) => [s.event, s.skipped]);
    expect(skipped).toEqual([
      ["AllowTestTraffic", "no test listener"],
      ["AfterAllowTestTraffic", "no test listener: CodeDeploy ignores AfterAllowTestTraffic"],
      ["ReadyWait", "no readyWait"],
      ["TerminationWait", "terminationWaitMinutes is 0"],
    ]);
  });

  it("a rollback is possible from Install until the cleanup, not during BeforeInstall", () => {
    const steps = ecsLifecycle({ hooks: {}, hasTestRoute: true, blueGreen: parseBlueGreen(undefined) });
    expect(steps.filter((s) => !s.rollback).map((s) => s.event)).toEqual(["BeforeInstall", "Cleanup"]);
  });

  it("keeps CodeDeploy's order whatever runs, and always installs, shifts and cleans up", () => {
    const hooks = fc.record(Object.fromEntries(ECS_HOOK_EVENTS.map((e) => [e, fc.option(fc.constant(`hook-${e}`), { nil: undefined })])) as Record<string, fc.Arbitrary<string | undefined>>);
    fc.assert(
      fc.property(hooks, fc.boolean(), fc.integer({ min: 0, max: 2880 }), fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }), (h, test, termination, ready) => {
        const blueGreen = parseBlueGreen({ terminationWaitMinutes: termination, ...(ready ? { readyWait: { waitMinutes: ready, actionOnTimeout: "STOP_DEPLOYMENT" } } : {}) });
        const steps = ecsLifecycle({ hooks: h as EcsHooks, hasTestRoute: test, blueGreen });
        expect(steps.map((s) => s.event)).toEqual(ORDER);
        for (const e of ["Install", "AllowTraffic", "Cleanup"]) expect(steps.find((s) => s.event === e)?.runs).toBe(true);
        for (const s of steps.filter((x) => x.kind === "hook")) expect(s.runs).toBe(Boolean(h[s.event]) && (s.event !== "AfterAllowTestTraffic" || test));
        expect(steps.find((s) => s.event === "TerminationWait")?.runs).toBe(termination > 0);
      }),
    );
  });
});
