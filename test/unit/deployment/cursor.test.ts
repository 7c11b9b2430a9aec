import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cursorAfter, decideNextMove, type StepCursor, startCursor, WATCHER_GRACE_SECONDS, type WaitSignal } from "../../../functions/domain/deployment/cursor.js";
import { buildTrafficPlan } from "../../../functions/domain/deployment/plan.js";

const linear = buildTrafficPlan({
  config: "linear",
  totalSeconds: 180,
  steps: [0, 60, 120, 180].map((atSeconds, i) => ({ atSeconds, weight: [25, 50, 75, 100][i] as number })),
});
const at = (step: number, watcher = false): StepCursor => cursorAfter({ step, weight: linear.steps[step]?.weight ?? 0, bakeSeconds: linear.steps[step]?.bakeSeconds ?? 0 }, watcher, "r");
const TIMEOUT: WaitSignal = { Error: "States.Timeout" };

describe("decideNextMove: the step engine's one decision", () => {
  it.each([
    ["the first shift", undefined, undefined, undefined, { kind: "shift", step: 0, weight: 25, bakeSeconds: 60 }],
    ["after a bake ran out", at(0), TIMEOUT, undefined, { kind: "shift", step: 1, weight: 50, bakeSeconds: 60 }],
    ["after the watcher said baked", at(1, true), { action: "baked" }, undefined, { kind: "shift", step: 2, weight: 75, bakeSeconds: 60 }],
    ["the last step", at(2), TIMEOUT, undefined, { kind: "shift", step: 3, weight: 100, bakeSeconds: 0 }],
    ["promote on the token", at(0), { action: "promote" }, undefined, { kind: "shift", step: 3, weight: 100, bakeSeconds: 0 }],
    ["promote recorded", at(1), TIMEOUT, { intent: "promote", by: "o" }, { kind: "shift", step: 3, weight: 100, bakeSeconds: 0 }],
    ["resume with 40 s left", at(1), { action: "resume", remainingSeconds: 40 }, undefined, { kind: "rebake", bakeSeconds: 40 }],
    ["resume with nothing left", at(1), { action: "resume", remainingSeconds: 0 }, undefined, { kind: "shift", step: 2, weight: 75, bakeSeconds: 60 }],
    ["resume before the first shift", undefined, { action: "resume", remainingSeconds: 30 }, undefined, { kind: "shift", step: 0, weight: 25, bakeSeconds: 60 }],
    ["pause recorded", at(0), TIMEOUT, { intent: "pause", by: "o" }, { kind: "pause", remainingSeconds: 0 }],
    ["stop recorded (wins over promote)", at(0), { action: "promote" }, { intent: "stop", by: "o" }, { kind: "fail", error: "Deploy.Stopped" }],
    ["stop without rollback", at(0), TIMEOUT, { intent: "stop-no-rollback", by: "o" }, { kind: "fail", error: "Deploy.StoppedWithoutRollback" }],
    ["a watcher that never answered", at(0, true), TIMEOUT, undefined, { kind: "fail", error: "Deploy.BakeWatcherLost" }],
  ] as const)("%s", (_label, cursor, signal, pending, expected) => {
    expect(decideNextMove(linear, cursor as StepCursor | undefined, signal as WaitSignal, pending as never)).toMatchObject(expected);
  });

  it("any sequence of bakes, resumes and promotes ends at 100% in at most one shift per step, never going back", () => {
    const signal = fc.oneof(fc.constant<WaitSignal>(TIMEOUT), fc.constant<WaitSignal>({ action: "promote" }), fc.integer({ min: 0, max: 60 }).map<WaitSignal>((s) => ({ action: "resume", remainingSeconds: s })));
    fc.assert(
      fc.property(fc.array(signal, { minLength: 20, maxLength: 20 }), (signals) => {
        let cursor = startCursor(false, "r");
        let shifts = 0;
        let first = true;
        for (const s of signals) {
          if (cursor.done) break;
          const move = decideNextMove(linear, cursor, first ? undefined : s, undefined);
          first = false;
          if (move.kind === "shift") {
            expect(move.step).toBeGreaterThan(cursor.step);
            expect(move.weight).toBeGreaterThan(cursor.weight);
            shifts += 1;
            cursor = cursorAfter(move, false, "r");
          } else expect(move.kind).toBe("rebake");
        }
        if (cursor.done) expect(cursor.weight).toBe(100);
        expect(shifts).toBeLessThanOrEqual(linear.steps.length);
      }),
    );
  });

  it("the Bake's timeout is the bake, plus the watcher's grace when a watcher answers", () => {
    expect(cursorAfter({ step: 0, weight: 10, bakeSeconds: 300 }, false, "r").waitSeconds).toBe(300);
    expect(cursorAfter({ step: 0, weight: 10, bakeSeconds: 300 }, true, "r").waitSeconds).toBe(300 + WATCHER_GRACE_SECONDS);
    expect(cursorAfter({ step: 1, weight: 100, bakeSeconds: 0 }, true, "r")).toMatchObject({ waitSeconds: 0, done: true });
  });
});
