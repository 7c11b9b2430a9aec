import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDeployLambdaInput } from "../../../functions/domain/deployment/input.js";
import { ValidationErrors } from "../../../functions/domain/errors.js";
import { canary25, ordersApp } from "./helpers.js";
import { deployInputOf, findGroup, inlineAppSpecText, isGroupDeployment, parseGroupDeployment, parseGroups } from "../../../functions/domain/groups/index.js";

const groups = parseGroups(
  ordersApp(
    {
      prod: {
        target: { functionName: "orders", alias: "live" },
        deploymentConfigName: "Canary25",
        hooks: { beforeAllowTraffic: "CodeDeployHook_pre", timeoutSeconds: 600 },
        alarmConfiguration: { alarms: ["orders-errors"] },
        queue: true,
      },
    },
    canary25,
  ),
);
const prod = findGroup(groups, "orders-app", "prod");
const appspec = (name = "orders", alias = "live", extra = "") => `version: 0.0
Resources:
  - fn:
      Type: AWS::Lambda::Function
      Properties: { Name: ${name}, Alias: ${alias}, CurrentVersion: "3", TargetVersion: "4" }
${extra}`;
const request = (revision: Record<string, unknown>, extra: Record<string, unknown> = {}) => parseGroupDeployment({ application: "orders-app", deploymentGroup: "prod", revision, ...extra });

function refusal(fn: () => unknown): { name: string; problems: { field: string; reason: string }[] } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationErrors);
    return { name: (e as Error).name, problems: (e as ValidationErrors).problems };
  }
  throw new Error("expected a refusal");
}

describe("a deployment of a group's revision", () => {
  it("is told apart from the full input by its revision", () => {
    expect(isGroupDeployment({ application: "a", deploymentGroup: "g", revision: {} })).toBe(true);
    expect(isGroupDeployment({ application: "a", deploymentGroup: "g", functionName: "f" })).toBe(false);
  });

  it("takes the group's target, config, hooks, alarms and queue; the appspec gives the versions and its hooks win", () => {
    const input = deployInputOf(groups, prod, request({ appSpecContent: appspec("orders", "live", "Hooks:\n  - AfterAllowTraffic: CodeDeployHook_post") }), appspec("orders", "live", "Hooks:\n  - AfterAllowTraffic: CodeDeployHook_post"));
    expect(parseDeployLambdaInput(input)).toMatchObject({
      application: "orders-app",
      deploymentGroup: "prod",
      functionName: "orders",
      alias: "live",
      currentVersion: "3",
      targetVersion: "4",
      deploymentConfig: { trafficRoutingConfig: { type: "TimeBasedCanary" } },
      hooks: { beforeAllowTraffic: "CodeDeployHook_pre", afterAllowTraffic: "CodeDeployHook_post", timeoutSeconds: 600 },
      alarms: ["orders-errors"],
      queue: true,
    });
  });

  it("applies CreateDeployment's overrides: config name, alarm configuration, auto rollback", () => {
    const r = request(
      { targetVersion: 9 },
      { deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce", overrideAlarmConfiguration: { enabled: false }, autoRollbackConfiguration: { enabled: false }, queue: false },
    );
    expect(parseDeployLambdaInput(deployInputOf(groups, prod, r, null))).toMatchObject({
      targetVersion: "9",
      deploymentConfig: "CodeDeployDefault.LambdaAllAtOnce",
      alarms: [],
      autoRollback: { enabled: false, events: [] },
      queue: false,
    });
  });

  it("refuses an appspec that names another function or alias than the group's (a group owns its target)", () => {
    const r = refusal(() => deployInputOf(groups, prod, request({ appSpecContent: "x" }), appspec("billing", "beta")));
    expect(r.name).toBe("Deploy.InvalidRevision");
    expect(r.problems.map((p) => p.field)).toEqual(["revision appspec Resources[0].fn.Properties.Name", "revision appspec Resources[0].fn.Properties.Alias"]);
  });

  it("refuses an appspec that is not a valid Lambda appspec, naming its path", () => {
    const r = refusal(() => deployInputOf(groups, prod, request({ appSpecContent: "x" }), "version: 0.0\nResources: []\n"));
    expect(r.name).toBe("Deploy.InvalidRevision");
    expect(r.problems[0]?.field).toMatch(/^revision appspec/);
  });

  it.each([
    [{}, "revision", "exactly one"],
    [{ targetVersion: "4", appSpecContent: "x" }, "revision", "exactly one"],
    [{ s3: { bucket: "b", key: "k" } }, "revision.s3.bundleType", "zip, tar, tgz, YAML, JSON"],
    [{ s3: { bucket: "b", key: "k", bundleType: "zip", etag: "x" } }, "revision.s3.etag", "unknown field"],
    [{ appSpecContent: "x", currentVersion: "3" }, "revision.currentVersion", "goes with targetVersion"],
    [{ targetVersion: "$LATEST" }, "revision.targetVersion", "$LATEST"],
  ])("refuses the revision %j naming %s", (revision, field, reason) => {
    const r = refusal(() => request(revision));
    expect(r.name).toBe("Deploy.InvalidInput");
    const hit = r.problems.find((p) => p.field === field);
    expect(hit, JSON.stringify(r.problems)).toBeDefined();
    expect(hit?.reason).toContain(reason);
  });

  it("reads an inline appspec as text, CodeDeploy's {content}, or an object", () => {
    expect(inlineAppSpecText("version: 0.0")).toBe("version: 0.0");
    expect(inlineAppSpecText({ content: "version: 0.0", sha256: "x" })).toBe("version: 0.0");
    expect(JSON.parse(inlineAppSpecText({ version: 0 }))).toEqual({ version: 0 });
  });

  it("any target version of the group's function expands to a full input the workflow accepts, on the group's target", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.option(fc.constantFrom("CodeDeployDefault.LambdaLinear10PercentEvery1Minute", "Canary25"), { nil: undefined }), (v, config) => {
        const input = parseDeployLambdaInput(deployInputOf(groups, prod, request({ targetVersion: v }, config ? { deploymentConfigName: config } : {}), null));
        expect(input).toMatchObject({ functionName: "orders", alias: "live", targetVersion: String(v), application: "orders-app", deploymentGroup: "prod" });
        expect(typeof input.deploymentConfig === "string" ? input.deploymentConfig : "Canary25").toBe(config ?? "Canary25");
      }),
    );
  });
});
