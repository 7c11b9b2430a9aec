import { describe, expect, it } from "vitest";
import { parseDeployLambdaInput } from "../../../functions/domain/deployment/input.js";
import { checkAliasAtStart, prepareDeployment } from "../../../functions/domain/deployment/prepare.js";
import { resolveSchedule } from "../../../functions/domain/configs/index.js";
import { MINIMAL_INPUT } from "./handlers/helpers.js";

const KEY = "arn:aws:lambda:us-east-1:123456789012:function:orders:live";
const alias = (over: Partial<{ aliasArn: string; functionVersion: string; weights: Record<string, number> }> = {}) => ({ aliasArn: KEY, functionVersion: "3", weights: {}, revisionId: "r1", ...over });
const HERE = { partition: "aws", region: "us-east-1", account: "123456789012" };

describe("checkAliasAtStart: what the alias must be for a deployment to start", () => {
  it.each([
    ["whole, on 3", {}, {}, undefined],
    ["split by a half-finished deployment", {}, { weights: { "2": 0.5 } }, "Deploy.VersionMismatch alias"],
    ["on another version than currentVersion", { currentVersion: "2" }, {}, "Deploy.VersionMismatch currentVersion"],
    ["already on the target", { targetVersion: "3" }, {}, "Deploy.InvalidInput targetVersion"],
    ["another alias than the lock", {}, { aliasArn: "arn:aws:lambda:eu-west-1:123456789012:function:orders:live" }, "Deploy.InvalidInput functionName"],
  ])("%s", (_label, input, over, refused) => {
    const run = () => checkAliasAtStart({ alias: "live", targetVersion: "4", ...input }, alias(over), KEY);
    if (!refused) return expect(run).not.toThrow();
    const [name, field] = refused.split(" ");
    expect(run).toThrow(expect.objectContaining({ name, field }));
  });
});

describe("prepareDeployment: the deployment the workflow carries", () => {
  it("targets the alias from the version it serves, plans the steps, and starts the cursor at its revision", () => {
    const input = parseDeployLambdaInput({ ...MINIMAL_INPUT, alarms: ["a", "b"], ignoreAlarmsFiringAtStart: true, alarmMonitoring: "polling" });
    const p = prepareDeployment({
      input,
      schedule: resolveSchedule(input.deploymentConfig),
      metricGates: [],
      deploymentId: "d-PREPARE01",
      where: HERE,
      lockKey: KEY,
      alias: alias(),
      readings: [
        { name: "a", state: "ALARM" },
        { name: "b", state: "OK" },
      ],
    });
    expect(p.deployment).toMatchObject({
      target: { kind: "lambda-alias", functionName: "orders", alias: "live", fromVersion: "3", toVersion: "4" },
      currentVersion: "3",
      lockKey: KEY,
      ignoredAlarms: ["a"],
      eventDetail: { state: "START", currentVersion: "3", targetVersion: "4", ignoredAlarms: ["a"], region: "us-east-1" },
      resources: [KEY, "arn:aws:codedeploy:us-east-1:123456789012:application:orders-app", "arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:orders-app/orders-prod"],
    });
    expect(p.deployment.eventDetail.instanceGroupId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5/);
    expect(p.plan.steps.map((s) => s.weight)).toEqual([10, 100]);
    expect(p.cursor).toEqual({ step: -1, weight: 0, bakeSeconds: 0, waitSeconds: 0, watcher: true, done: false, revision: "r1" });
  });
});
