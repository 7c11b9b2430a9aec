import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDeployLambdaInput } from "../../../functions/domain/deployment/input.js";
import type { ValidationErrors } from "../../../functions/domain/errors.js";
import { buildDeployment, checkDeploymentSettings, deploymentDraftOf, type ReleaseSource, parseReleaseSources } from "../../../functions/domain/release/index.js";
import { PLAN } from "./helpers.js";

const local = JSON.parse(readFileSync(new URL("../../../config/releases.local.json", import.meta.url), "utf8")).sources as unknown[];
const [s3Source] = parseReleaseSources(local) as [ReleaseSource];
const IDS = { deploymentId: "d-ABCDEFGH1", releaseName: "orders-api-1", trigger: "s3://orders-releases/orders-api/r.zip" };

describe("the deployment a release starts", () => {
  it("is drafted from the source's settings and the plan, with the alias's version as current", () => {
    const draft = deploymentDraftOf(s3Source, PLAN, "3", IDS);
    expect(draft).toEqual({
      deploymentId: "d-ABCDEFGH1",
      application: "orders-app",
      deploymentGroup: "orders-prod",
      functionName: "orders",
      alias: "live",
      currentVersion: "3",
      targetVersion: null,
      deploymentConfig: "CodeDeployDefault.LambdaCanary10Percent5Minutes",
      hooks: { beforeAllowTraffic: "CodeDeployHook_pre", afterAllowTraffic: null },
      description: "release orders-api-1 of s3://orders-releases/orders-api/r.zip",
      alarms: ["orders-errors"],
    });
    expect(() => checkDeploymentSettings(s3Source, draft)).not.toThrow();
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ["an unknown deployment config", { deploymentConfig: "CodeDeployDefault.LambdaSlowly" }, /release source 'orders-api' deployment deploymentConfig/],
    ["a poll interval out of range", { alarmPollSeconds: 0 }, /release source 'orders-api' deployment alarmPollSeconds: must be an integer from 1 to 3600/],
    ["a hook timeout out of range", { hookTimeoutSeconds: 7200 }, /deployment hooks.timeoutSeconds: must be an integer from 1 to 3600/],
    ["a broken metric gate", { metricGates: [{ threshold: 1 }] }, /deployment metricGates\[0\]: needs exactly one of metric, ratio, expression, lambdaErrorRatePercent/],
    ["eleven alarms", { alarms: Array.from({ length: 11 }, (_, i) => `a${i}`) }, /deployment alarms: at most 10 alarms/],
  ])("refuses %s as the source's configuration, before any code changes", (_what, deployment, message) => {
    const source = { ...s3Source, deployment: { ...s3Source.deployment, ...deployment } } as ReleaseSource;
    let error: ValidationErrors | undefined;
    try {
      checkDeploymentSettings(source, deploymentDraftOf(source, PLAN, "3", IDS));
    } catch (e) {
      error = e as ValidationErrors;
    }
    expect(error?.name).toBe("Release.InvalidConfiguration");
    expect(error?.message).toMatch(message);
  });

  it("takes the published version as the target, or says there is nothing to deploy", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), fc.boolean(), (current, target, fromAppspec) => {
        const plan = { ...PLAN, currentVersion: String(current), targetVersion: fromAppspec ? String(target) : null, deployment: deploymentDraftOf(s3Source, PLAN, String(current), IDS) };
        const built = buildDeployment(plan, fromAppspec ? undefined : { Version: String(target) });
        expect(built.deployment.targetVersion).toBe(String(target));
        expect(built.skip).toBe(current === target);
        if (built.skip) expect(built.reason).toBe(`orders:live already serves version ${target}`);
        else expect(parseDeployLambdaInput(built.deployment)).toMatchObject({ currentVersion: String(current), targetVersion: String(target) });
      }),
    );
  });

  it("refuses to build without a target, naming the field", () => {
    const plan = { ...PLAN, currentVersion: "3", deployment: deploymentDraftOf(s3Source, PLAN, "3", IDS) };
    expect(() => buildDeployment(plan, undefined)).toThrow(/published.Version: no target version/);
  });
});
