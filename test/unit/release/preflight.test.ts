import { describe, expect, it } from "vitest";
import type { ValidationErrors } from "../../../functions/domain/errors.js";
import { checkTargetState, type ReleasePlan, type TargetFacts } from "../../../functions/domain/release/index.js";
import { PLAN } from "./helpers.js";

const FACTS: TargetFacts = { alias: { functionVersion: "3", weights: {} }, missingHooks: [], alarms: { names: ["orders-errors"], readings: [{ name: "orders-errors", state: "OK" }] } };

describe("the account as the deployment will find it, read before any code changes", () => {
  it("passes with the alias's version as the current one", () => {
    expect(checkTargetState(PLAN, FACTS)).toEqual({ currentVersion: "3" });
    expect(checkTargetState({ ...PLAN, currentVersion: "3", targetVersion: "4", publish: null }, { ...FACTS, targetVersionExists: true })).toEqual({ currentVersion: "3" });
  });

  it.each<[string, Partial<ReleasePlan>, Partial<TargetFacts>, string, string]>([
    ["the alias is missing", {}, { alias: null }, "Deploy.ResourceNotFound", "appspec A: alias orders:live does not exist"],
    ["the alias splits traffic", {}, { alias: { functionVersion: "3", weights: { "2": 0.1 } } }, "Deploy.VersionMismatch", 'appspec A: orders:live already splits traffic {"2":0.1}'],
    ["CurrentVersion is not what the alias serves", { currentVersion: "2" }, {}, "Deploy.VersionMismatch", "appspec C: is 2 but orders:live serves version 3"],
    ["TargetVersion does not exist", { targetVersion: "9", publish: null }, { targetVersionExists: false }, "Deploy.ResourceNotFound", "appspec T: version 9 of orders does not exist"],
    ["a hook does not exist", {}, { missingHooks: ["beforeAllowTraffic"] }, "Deploy.ResourceNotFound", "appspec H0: hook function CodeDeployHook_pre does not exist"],
    ["an alarm does not exist", {}, { alarms: { names: ["orders-errors"], readings: [] } }, "Deploy.AlarmNotFound", "deployment.alarms: alarm(s) not found in CloudWatch: orders-errors; nothing was uploaded or published"],
    ["an alarm is in ALARM", {}, { alarms: { names: ["orders-errors"], readings: [{ name: "orders-errors", state: "ALARM" }] } }, "Deploy.AlarmTriggered", "deployment.alarms: alarm(s) in ALARM state: orders-errors"],
  ])("refuses when %s, with the deployment's own error name", (_what, plan, facts, name, message) => {
    let error: ValidationErrors | undefined;
    try {
      checkTargetState({ ...PLAN, ...plan }, { ...FACTS, ...facts });
    } catch (e) {
      error = e as ValidationErrors;
    }
    expect(error?.name).toBe(name);
    expect(error?.message).toContain(message);
  });
});
