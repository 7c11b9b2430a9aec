import { describe, expect, it } from "vitest";
import { DEFAULT_ECS_CONFIG, resolveEcsConfig, weightSteps } from "../../../functions/domain/ecs/index.js";

describe("ECS deployment configs", () => {
  it.each([
    ["CodeDeployDefault.ECSAllAtOnce", [[100, 0]]],
    ["CodeDeployDefault.ECSCanary10Percent5Minutes", [[10, 300], [100, 0]]],
    ["CodeDeployDefault.ECSCanary10Percent15Minutes", [[10, 900], [100, 0]]],
    ["CodeDeployDefault.ECSLinear10PercentEvery1Minutes", [10, 20, 30, 40, 50, 60, 70, 80, 90].map((w) => [w, 60]).concat([[100, 0]])],
    ["CodeDeployDefault.ECSLinear10PercentEvery3Minutes", [10, 20, 30, 40, 50, 60, 70, 80, 90].map((w) => [w, 180]).concat([[100, 0]])],
  ])("%s moves the production route by these weights, each held this many seconds", (name, expected) => {
    expect(weightSteps(resolveEcsConfig(name)).map((s) => [s.weight, s.bakeSeconds])).toEqual(expected);
  });

  it("defaults to all at once", () => {
    expect(DEFAULT_ECS_CONFIG).toBe("CodeDeployDefault.ECSAllAtOnce");
    expect(resolveEcsConfig(undefined).schedule.steps).toEqual([{ atSeconds: 0, weight: 100 }]);
  });

  it("takes custom configs and step lists; the bakes add up to the schedule", () => {
    const steps = weightSteps(resolveEcsConfig({ steps: [{ weight: 1, bakeMinutes: 5 }, { weight: 50, bakeMinutes: 10 }] }));
    expect(steps).toEqual([{ weight: 1, bakeSeconds: 300 }, { weight: 50, bakeSeconds: 600 }, { weight: 100, bakeSeconds: 0 }]);
    expect(weightSteps(resolveEcsConfig({ trafficRoutingConfig: { type: "TimeBasedCanary", timeBasedCanary: { canaryPercentage: 20, canaryInterval: 2 } } })).map((s) => s.weight)).toEqual([20, 100]);
  });

  it("refuses a Lambda config, naming the ECS ones", () => {
    expect(() => resolveEcsConfig("CodeDeployDefault.LambdaCanary10Percent5Minutes")).toThrow("deploymentConfig: CodeDeployDefault.LambdaCanary10Percent5Minutes is a Lambda config; an ECS deployment takes CodeDeployDefault.ECSAllAtOnce");
    expect(() => resolveEcsConfig({ computePlatform: "Lambda", trafficRoutingConfig: { type: "AllAtOnce" } })).toThrow("is a Lambda config");
    expect(() => resolveEcsConfig("CodeDeployDefault.ECSLinear10PercentEvery1Minute")).toThrow("no deployment config named");
  });
});
