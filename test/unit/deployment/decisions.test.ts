import { describe, expect, it } from "vitest";
import { evaluateAlarms } from "../../../functions/domain/alarms/evaluate.js";
import { concludeFailure, reasonFromCause } from "../../../functions/domain/deployment/outcome.js";
import { deploymentIdFromExecutionName, newDeploymentId } from "../../../functions/domain/deployment/ids.js";
import { interpretHookResult } from "../../../functions/domain/hooks/contract.js";

describe("evaluateAlarms", () => {
  it.each([
    [["a"], [{ name: "a", state: "OK" }], true, undefined],
    [["a"], [{ name: "a", state: "INSUFFICIENT_DATA" }], true, undefined],
    [["a", "b"], [{ name: "a", state: "OK" }, { name: "b", state: "ALARM", reason: "5xx" }], false, "alarm"],
    [["a", "b"], [{ name: "a", state: "OK" }], false, "missing"],
    [["a"], [], false, "missing"],
  ])("%j with %j -> ok=%s %s", (requested, readings, ok, kind) => {
    const v = evaluateAlarms(requested, readings);
    expect(v.ok).toBe(ok);
    if (!v.ok) expect(v.kind).toBe(kind);
  });

  it("names the firing alarm and its reason", () => {
    const v = evaluateAlarms(["e"], [{ name: "e", state: "ALARM", reason: "Threshold crossed" }]);
    expect(v.ok ? "" : v.reason).toBe("alarm(s) in ALARM state: e (Threshold crossed)");
  });

  it("ignores overridden alarms but never missing ones", () => {
    expect(evaluateAlarms(["e"], [{ name: "e", state: "ALARM" }], ["e"]).ok).toBe(true);
    expect(evaluateAlarms(["e"], [], ["e"]).ok).toBe(false);
  });
});

describe("concludeFailure", () => {
  const all = { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"] as const };
  it.each([
    ["Deploy.AlarmTriggered", "STOP", "Deploy.AlarmTriggered"],
    ["Deploy.Stopped", "STOP", "Deploy.Stopped"],
    ["Deploy.HookFailed", "FAILURE", "Deploy.HookFailed"],
    ["States.Timeout", "FAILURE", "Deploy.HookTimedOut"],
    ["Lambda.TooManyRequestsException", "FAILURE", "Deploy.AwsError"],
  ])("%s -> %s %s", (errorName, state, error) => {
    const o = concludeFailure({ Error: errorName, Cause: "x" }, { ...all, events: [...all.events] });
    expect(o.state).toBe(state);
    expect(o.error).toBe(error);
    expect(o.rollback).toBe(true);
    expect(o.eventFields).toEqual({ state, reason: o.reason, rollback: true, error });
  });

  it.each([
    ["Deploy.AlarmTriggered", ["DEPLOYMENT_FAILURE"], false],
    ["Deploy.HookFailed", ["DEPLOYMENT_STOP_ON_ALARM"], false],
    ["Deploy.HookFailed", ["DEPLOYMENT_FAILURE"], true],
    ["Deploy.Stopped", ["DEPLOYMENT_FAILURE"], true],
    ["Deploy.StoppedWithoutRollback", ["DEPLOYMENT_STOP_ON_REQUEST"], false],
  ] as const)("%s with events %j rolls back: %s", (errorName, events, rollback) => {
    expect(concludeFailure({ Error: errorName }, { enabled: true, events: [...events] }).rollback).toBe(rollback);
  });

  it("never rolls back when disabled", () => {
    expect(concludeFailure({ Error: "Deploy.HookFailed" }, { enabled: false, events: ["DEPLOYMENT_FAILURE"] }).rollback).toBe(false);
  });

  it("reads the message out of a Lambda error cause", () => {
    expect(reasonFromCause(JSON.stringify({ errorType: "X", errorMessage: "boom" }))).toBe("boom");
    expect(reasonFromCause("Rate exceeded")).toBe("Rate exceeded");
    expect(reasonFromCause(undefined)).toBe("no cause reported");
  });
});

describe("hook results", () => {
  const run = (r: { functionError?: string; payload: string }) => interpretHookResult("h", "BeforeAllowTraffic", r);
  it("accepts Succeeded", () => expect(run({ payload: '{"status":"Succeeded"}' })).toEqual({ status: "Succeeded" }));
  it.each([
    [{ payload: '{"status":"Failed","reason":"smoke test 500"}' }, "smoke test 500"],
    [{ payload: '{"status":"Failed"}' }, "without a reason"],
    [{ payload: "null" }, "expected"],
    [{ payload: "not json" }, "not JSON"],
    [{ functionError: "Unhandled", payload: '{"errorType":"TypeError","errorMessage":"x is undefined"}' }, "threw TypeError: x is undefined"],
  ])("fails %j with Deploy.HookFailed (%s)", (r, reason) => {
    expect(() => run(r)).toThrowError(expect.objectContaining({ name: "Deploy.HookFailed", message: expect.stringContaining(reason) }));
  });
});

describe("deployment ids", () => {
  it("look like CodeDeploy's", () => {
    for (let i = 0; i < 100; i++) expect(newDeploymentId()).toMatch(/^d-[A-Z0-9]{9}$/);
  });
  it("are read back from execution names", () => {
    expect(deploymentIdFromExecutionName("d-ABCDEF123")).toBe("d-ABCDEF123");
    expect(deploymentIdFromExecutionName("d-ABCDEF123-retry")).toBe("d-ABCDEF123");
    expect(deploymentIdFromExecutionName("5f0c-uuid")).toBeUndefined();
  });
});
