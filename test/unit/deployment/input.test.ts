import { describe, expect, it } from "vitest";
import { DEFAULT_AUTO_ROLLBACK, parseDeployLambdaInput } from "../../../functions/domain/deployment/input.js";
import { ValidationErrors } from "../../../functions/domain/errors.js";
import { MINIMAL_INPUT } from "./handlers/helpers.js";

const valid = MINIMAL_INPUT;

function problems(raw: unknown): { field: string; reason: string }[] {
  try {
    parseDeployLambdaInput(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationErrors);
    expect((e as Error).name).toBe("Deploy.InvalidInput");
    return (e as ValidationErrors).problems;
  }
  throw new Error("expected the input to be rejected");
}

describe("parseDeployLambdaInput", () => {
  it("fills documented defaults", () => {
    const input = parseDeployLambdaInput({ ...valid, targetVersion: 4 });
    expect(input.targetVersion).toBe("4");
    expect(input.hooks).toEqual({ beforeAllowTraffic: null, afterAllowTraffic: null, timeoutSeconds: 3600 });
    expect(input.alarms).toEqual([]);
    expect(input.alarmPollSeconds).toBe(60);
    expect(input.autoRollback).toEqual(DEFAULT_AUTO_ROLLBACK);
  });

  it.each([
    [{ ...valid, application: undefined }, "application", "is required"],
    [{ ...valid, alias: "123" }, "alias", "not only digits"],
    [{ ...valid, targetVersion: "$LATEST" }, "targetVersion", "$LATEST"],
    [{ ...valid, targetVersion: "v4" }, "targetVersion", "published version"],
    [{ ...valid, currentVersion: "4" }, "targetVersion", "equals currentVersion"],
    [{ ...valid, functionName: "has space" }, "functionName", "function name"],
    [{ ...valid, hooks: { beforeAllowTraffic: 3 } }, "hooks.beforeAllowTraffic", "must be a string"],
    [{ ...valid, hooks: { beforeInstall: "x" } }, "hooks.beforeInstall", "unknown hook"],
    [{ ...valid, hooks: { timeoutSeconds: 3601 } }, "hooks.timeoutSeconds", "1 to 3600"],
    [{ ...valid, alarms: "errors" }, "alarms", "list"],
    [{ ...valid, alarms: ["a", "a"] }, "alarms[1]", "duplicate"],
    [{ ...valid, alarms: Array.from({ length: 11 }, (_, i) => `a${i}`) }, "alarms", "at most 10"],
    [{ ...valid, alarms: ["x".repeat(256)] }, "alarms[0]", "1 to 255"],
    [{ ...valid, autoRollback: { enabled: true, events: [] } }, "autoRollback.events", "InvalidAutoRollbackConfigException"],
    [{ ...valid, autoRollback: { enabled: true, events: ["ON_FIRE"] } }, "autoRollback.events[0]", "must be one of"],
    [{ ...valid, autoRollback: { events: [] } }, "autoRollback.enabled", "true or false"],
    [{ ...valid, alarmPollSeconds: 0 }, "alarmPollSeconds", "1 to 3600"],
    [{ ...valid, alarmPollSeconds: 1.5 }, "alarmPollSeconds", "integer"],
    [{ ...valid, deploymentId: "d-lower1234" }, "deploymentId", "uppercase"],
    [{ ...valid, typo: 1 }, "typo", "unknown field"],
    // The wrong type is refused, never dropped.
    [{ ...valid, description: 42 }, "description", "must be a string, got number"],
    [{ ...valid, description: { text: "x" } }, "description", "must be a string, got object"],
    [{ ...valid, description: "x".repeat(257) }, "description", "at most 256"],
  ])("rejects %j naming %s", (raw, field, reason) => {
    const p = problems(raw);
    const hit = p.find((x) => x.field === field);
    expect(hit, JSON.stringify(p)).toBeDefined();
    expect(hit?.reason).toContain(reason);
  });

  it("keeps a description, and accepts a function by partial ARN", () => {
    const input = parseDeployLambdaInput({ ...valid, description: "hot-fix for #42", functionName: "123456789012:function:orders" });
    expect(input.description).toBe("hot-fix for #42");
    expect(input.functionName).toBe("123456789012:function:orders");
  });

  it("reports every problem at once", () => {
    const p = problems({ alias: "live" });
    expect(p.map((x) => x.field)).toEqual(expect.arrayContaining(["application", "deploymentGroup", "functionName", "targetVersion"]));
  });

  it("rejects non-objects", () => {
    expect(problems([])[0]?.field).toBe("(input)");
  });
});
