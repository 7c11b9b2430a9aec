import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ControlIntent, decideControlDelivery, pendingIntent, type WaitingCallback } from "../../../functions/domain/control/delivery.js";

const bake = (endsInSeconds: number): WaitingCallback => ({ deploymentId: "d-AAAAAAAAA", token: "t", kind: "bake", stepIndex: 0, weight: 10, bakeEndsAtMs: 1_000_000 + endsInSeconds * 1000, alarms: [] });
const pause = (remainingSeconds: number): WaitingCallback => ({ deploymentId: "d-AAAAAAAAA", token: "t", kind: "pause", stepIndex: 0, weight: 10, remainingSeconds, alarms: [] });
const NOW = 1_000_000;

describe("decideControlDelivery", () => {
  it.each([
    ["stop", bake(100), { send: "failure", error: "Deploy.Stopped" }],
    ["stop-no-rollback", bake(100), { send: "failure", error: "Deploy.StoppedWithoutRollback" }],
    ["stop", pause(50), { send: "failure", error: "Deploy.Stopped" }],
    ["promote", bake(100), { send: "success", output: { action: "promote" } }],
    ["promote", pause(50), { send: "success", output: { action: "promote" } }],
    ["pause", bake(240), { send: "failure", error: "Deploy.PauseRequested" }],
    ["pause", pause(50), { send: "none" }],
    ["resume", pause(50), { send: "success", output: { action: "resume", remainingSeconds: 50 } }],
    ["pause", bake(0), { send: "failure", error: "Deploy.PauseRequested", cause: JSON.stringify({ remainingSeconds: 0, pausedBy: "operator" }) }],
    ["resume", pause(0), { send: "success", output: { action: "resume", remainingSeconds: 0 } }],
    ["stop", { ...bake(0), kind: "queue" }, { send: "failure", error: "Deploy.Stopped" }],
    ["pause", { ...bake(0), kind: "queue" }, { send: "none" }],
    ["resume", bake(100), { send: "none" }],
    ["stop", undefined, { send: "none" }],
    ["promote", undefined, { send: "none" }],
  ] as [ControlIntent, WaitingCallback | undefined, object][])("%s while %j -> %j", (intent, waiting, expected) => {
    expect(decideControlDelivery(intent, waiting, NOW)).toMatchObject(expected);
  });

  it("a pause carries the bake time left, and resume gives it back", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 172800 }), (left) => {
        const p = decideControlDelivery("pause", bake(left), NOW);
        expect(p.send).toBe("failure");
        const remaining = JSON.parse(p.send === "failure" ? p.cause : "{}").remainingSeconds;
        expect(remaining).toBe(left);
        expect(decideControlDelivery("resume", pause(remaining), NOW)).toEqual({ send: "success", output: { action: "resume", remainingSeconds: left } });
      }),
    );
  });
});

describe("pendingIntent", () => {
  it.each([
    [undefined, undefined],
    [{ paused: false }, undefined],
    [{ paused: true, pauseRequested: { requestedBy: "a" } }, { intent: "pause", by: "a" }],
    [{ paused: false, pauseRequested: { requestedBy: "a" } }, undefined],
    [{ paused: true, pauseRequested: { requestedBy: "a" }, promoteRequested: { requestedBy: "b" } }, { intent: "promote", by: "b" }],
    [{ paused: true, promoteRequested: { requestedBy: "b" }, stopRequested: { requestedBy: "c", rollback: true } }, { intent: "stop", by: "c" }],
    [{ paused: false, stopRequested: { requestedBy: "c", rollback: false } }, { intent: "stop-no-rollback", by: "c" }],
  ])("%j -> %j (stop wins, then promote, then pause)", (control, expected) => {
    expect(pendingIntent(control)).toEqual(expected);
  });
});
