import { describe, expect, it } from "vitest";
import { closeUnstartedOf, decideCleanup } from "../../../functions/domain/deployment/cleanup.js";
import { concludeFailure, recordStatusOf, stateOfError } from "../../../functions/domain/deployment/outcome.js";
import { newDeploymentRecord } from "../../../functions/domain/registry/model.js";
import type { DeploymentStatus } from "../../../functions/domain/registry/types.js";

const record = (status: DeploymentStatus) => ({
  ...newDeploymentRecord({ deploymentId: "d-END000001", application: "a", deploymentGroup: "g", deploymentConfigName: "c", platform: "Lambda", target: {} }, "2026-01-01T00:00:00.000Z"),
  status,
});

describe("how a deployment ends (one mapping for every end path)", () => {
  it.each([
    ["SUCCESS", "Succeeded"],
    ["FAILURE", "Failed"],
    ["STOP", "Stopped"],
  ] as const)("%s is recorded %s", (state, status) => {
    expect(recordStatusOf(state)).toBe(status);
  });

  it.each([
    ["Deploy.AlarmTriggered", "STOP"],
    ["Deploy.Stopped", "STOP"],
    ["Deploy.StoppedWithoutRollback", "STOP"],
    ["Deploy.ExecutionAborted", "STOP"],
    ["Deploy.HookFailed", "FAILURE"],
    ["Deploy.TrafficConflict", "FAILURE"],
    ["Deploy.ExecutionTimedOut", "FAILURE"],
  ])("%s is a %s", (error, state) => {
    expect(stateOfError(error)).toBe(state);
  });

  it.each([
    ["Deploy.TrafficConflict", true, false],
    ["Deploy.Stopped", false, true],
    ["Deploy.StoppedWithoutRollback", true, false],
    ["Deploy.AlarmTriggered", true, true],
    ["Deploy.MetricGateFailed", true, true],
  ])("%s with autoRollback %s rolls back: %s", (error, enabled, rollback) => {
    expect(concludeFailure({ Error: error }, { enabled, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] }).rollback).toBe(rollback);
  });
});

describe("the janitor's decision", () => {
  it.each([
    [undefined, "ABORTED", undefined, { action: "none" }],
    ["Succeeded", "FAILED", undefined, { action: "release" }],
    ["Failed", "ABORTED", undefined, { action: "release" }],
    ["Created", "FAILED", "Deploy.Stopped", { action: "close-unstarted", state: "STOP", error: "Deploy.Stopped" }],
    ["Created", "FAILED", "States.Runtime", { action: "close-unstarted", state: "FAILURE", error: "Deploy.ExecutionFailed" }],
    ["Created", "ABORTED", undefined, { action: "close-unstarted", state: "STOP", error: "Deploy.ExecutionAborted" }],
    ["InProgress", "ABORTED", undefined, { action: "restore", state: "STOP", error: "Deploy.ExecutionAborted", reason: "execution aborted" }],
    ["InProgress", "TIMED_OUT", undefined, { action: "restore", state: "FAILURE", error: "Deploy.ExecutionTimedOut" }],
    ["InProgress", "FAILED", "Lambda.ServiceException", { action: "restore", state: "FAILURE", error: "Deploy.ExecutionFailed", reason: "execution failed (Lambda.ServiceException)" }],
  ] as const)("record %s, execution %s %s -> %j", (status, execStatus, error, expected) => {
    expect(decideCleanup(status ? record(status) : undefined, { status: execStatus, error })).toMatchObject(expected);
  });

  it.each([
    [undefined, { action: "none" }],
    ["Created", { action: "close-unstarted", state: "STOP", error: "Deploy.Stopped", reason: "stopped in line" }],
    ["Failed", { action: "release" }],
  ] as const)("the workflow closing a deployment that did not start (record %s) -> %j", (status, expected) => {
    expect(closeUnstartedOf(status ? record(status) : undefined, { Error: "Deploy.Stopped", Cause: "stopped in line" })).toMatchObject(expected);
  });
});
