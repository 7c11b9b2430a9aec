import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValidationErrors } from "../../../functions/domain/errors.js";
import { findGroup, groupId, parseGroups } from "../../../functions/domain/groups/index.js";
import { ordersApp } from "./helpers.js";

const group = (extra: Record<string, unknown> = {}) => ({ target: { functionName: "orders", alias: "live" }, ...extra });
const file = ordersApp;

function problems(raw: unknown): { field: string; reason: string }[] {
  try {
    parseGroups(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationErrors);
    expect((e as Error).name).toBe("Deploy.InvalidGroupsFile");
    return (e as ValidationErrors).problems;
  }
  throw new Error("expected the groups file to be refused");
}

const G = "applications.orders-app.deploymentGroups.prod";

describe("parseGroups", () => {
  it("reads the shipped examples, with CodeDeploy's defaults filled in", () => {
    const local = parseGroups(readFileSync("config/groups.local.yml", "utf8"));
    const prod = findGroup(local, "shop", "orders-live");
    expect(prod).toMatchObject({ target: { functionName: "orders", alias: "live" }, alarms: ["orders-errors"], computePlatform: "Lambda" });
    expect(prod.triggers[0]?.triggerEvents).toContain("DeploymentRollback");
    expect(findGroup(local, "shop", "orders-beta")).toMatchObject({ deploymentConfigName: "Canary25Percent2Minutes", alarms: [], queue: false, alarmMonitoring: "events" });
    expect(parseGroups(readFileSync("config/groups.default.yml", "utf8")).groups).toEqual([]);
  });

  it("fills defaults: AllAtOnce, our rollback default, hooks none, 3600 s", () => {
    const [g] = parseGroups(file({ prod: group() })).groups;
    expect(g).toMatchObject({
      deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce",
      autoRollback: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
      hooks: { beforeAllowTraffic: null, afterAllowTraffic: null, timeoutSeconds: 3600 },
    });
  });

  it("a disabled alarm configuration watches nothing; alarms may be names or {name}", () => {
    const [a, b] = parseGroups(
      file({ prod: group({ alarmConfiguration: { enabled: false, alarms: ["x"] } }), beta: group({ target: { functionName: "orders", alias: "beta" }, alarmConfiguration: { alarms: ["x", { name: "y" }] } }) }),
    ).groups;
    expect(a?.alarms).toEqual([]);
    expect(b?.alarms).toEqual(["x", "y"]);
  });

  it.each([
    [file({ prod: {} }), `${G}.target`, "is required"],
    [file({ prod: group({ target: { functionName: "arn:aws:lambda:us-east-1:123456789012:function:orders", alias: "live" } }) }), `${G}.target.functionName`, "not an ARN"],
    [file({ prod: group({ target: { functionName: "orders", alias: "7" } }) }), `${G}.target.alias`, "not only digits"],
    [file({ prod: group({ deploymentConfigName: "CodeDeployDefault.HalfAtATime" }) }), `${G}.deploymentConfigName`, "HalfAtATime"],
    [file({ prod: group({ deploymentConfigName: "Mine" }) }), `${G}.deploymentConfigName`, "Mine"],
    [file({ prod: group({ alarmConfiguration: { alarms: ["a", { name: "a" }] } }) }), `${G}.alarmConfiguration.alarms[1]`, "duplicate"],
    [file({ prod: group({ autoRollbackConfiguration: { enabled: true, events: [] } }) }), `${G}.autoRollbackConfiguration.events`, "InvalidAutoRollbackConfigException"],
    [file({ prod: group({ triggerConfigurations: [{ triggerName: "t", triggerTargetArn: "arn:aws:sqs:us-east-1:123456789012:q", triggerEvents: ["DeploymentStart"] }] }) }), `${G}.triggerConfigurations[0].triggerTargetArn`, "SNS topic ARN"],
    [file({ prod: group({ triggerConfigurations: [{ triggerName: "t", triggerTargetArn: "arn:aws:sns:us-east-1:123456789012:t", triggerEvents: ["InstanceFailure"] }] }) }), `${G}.triggerConfigurations[0].triggerEvents[0]`, "no instances"],
    [file({ prod: group({ hooks: { beforeInstall: "x" } }) }), `${G}.hooks.beforeInstall`, "unknown hook"],
    [file({ prod: group({ metricGates: [{ name: "e", lambdaErrorRatePercent: 2, threshold: 1, comparison: "sideways" }] }) }), `${G}.metricGates[0].comparison`, ""],
    [file({ prod: group({ release: { name: "r", s3: { bucket: "b-1" }, ecr: { repository: "r" } } }) }), `${G}.release`, "exactly one"],
    [file({ prod: group({ typo: 1 }) }), `${G}.typo`, "unknown field"],
    [file({ prod: group(), beta: group() }), "applications.orders-app.deploymentGroups.beta.target", "already the target of orders-app/prod"],
    [{ applications: { svc: { computePlatform: "Fargate", deploymentGroups: {} } } }, "applications.svc.computePlatform", "must be one of Lambda, ECS, Server"],
    [{ deploymentConfigs: { "CodeDeployDefault.Mine": { steps: [] } }, applications: {} }, "deploymentConfigs.CodeDeployDefault.Mine", "not start with CodeDeployDefault."],
    [{ deploymentConfigs: { Mine: { steps: [{ weight: 150, bakeMinutes: 1 }] } }, applications: {} }, "deploymentConfigs.Mine", "weight"],
    [{}, "applications", "is required"],
    ["applications: [", "groups file", "not YAML"],
  ])("refuses %j naming %s", (raw, field, reason) => {
    const p = problems(raw);
    const hit = p.find((x) => x.field === field);
    expect(hit, JSON.stringify(p)).toBeDefined();
    expect(hit?.reason).toContain(reason);
  });

  it("names what exists when a group or application is unknown", () => {
    const groups = parseGroups(file({ prod: group() }));
    expect(() => findGroup(groups, "billing", "prod")).toThrow(/application 'billing' does not exist.*orders-app/);
    expect(() => findGroup(groups, "orders-app", "qa")).toThrow(/deployment group 'qa' does not exist in application 'orders-app' \(prod\)/);
  });
});

describe("groupId", () => {
  it("is a stable version-5-shaped UUID, different for different groups", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/), fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/), fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/), (app, a, b) => {
        expect(groupId(app, a)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(groupId(app, a)).toBe(groupId(app, a));
        if (a !== b) expect(groupId(app, a)).not.toBe(groupId(app, b));
      }),
    );
  });
});

describe("config/groups.cjs (what serverless.yml reads)", () => {
  const cjs = createRequire(import.meta.url)("../../../config/groups.cjs") as {
    forStage(stage: string): { groupsJson: string; triggerEventDetail: { instanceGroupId: string[] }; triggerTopicArns: unknown[] };
    groupId(a: string, g: string): string;
  };

  it("derives the same group ids as the functions, so the trigger rule matches exactly the groups with triggers", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._-]{1,30}$/), fc.stringMatching(/^[A-Za-z0-9._-]{1,30}$/), (a, g) => {
        expect(cjs.groupId(a, g)).toBe(groupId(a, g));
      }),
    );
    const local = cjs.forStage("local");
    expect(local.triggerEventDetail.instanceGroupId).toEqual([groupId("shop", "orders-live")]);
    expect(local.triggerTopicArns).toEqual(["arn:aws:sns:us-east-1:123456789012:orders-deployments"]);
    expect(parseGroups(JSON.parse(local.groupsJson)).groups.map((g) => g.computePlatform)).toEqual(["Lambda", "Lambda", "ECS", "Server", "Server", "Server"]);
    expect(cjs.forStage("no-such-stage").triggerEventDetail.instanceGroupId).toEqual(["no-group-with-triggers"]);
  });
});
