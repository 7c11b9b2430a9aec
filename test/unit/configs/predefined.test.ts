import { describe, expect, it } from "vitest";
import {
  PREDEFINED_CONFIG_NAMES,
  PREDEFINED_CONFIGS,
  type TrafficRoutingConfig,
  isPredefinedConfigName,
  resolveConfig,
  resolveSchedule,
} from "../../../functions/domain/configs/index.js";

/**
 * Every predefined config, every step, every second. Literal tables (not computed by the code under
 * test): canary p@0, 100@I·60; linear model A, 10% steps at k·I·60 for k = 0..9 (codedeploy-spec §1.3, §1.4).
 */
interface Row {
  name: string;
  computePlatform: "Lambda" | "ECS";
  routing: TrafficRoutingConfig;
  steps: [atSeconds: number, weight: number][];
  totalSeconds: number;
}

const TABLE: Row[] = [
  {
    name: "CodeDeployDefault.LambdaAllAtOnce",
    computePlatform: "Lambda",
    routing: { type: "AllAtOnce" },
    steps: [[0, 100]],
    totalSeconds: 0,
  },
  {
    name: "CodeDeployDefault.LambdaCanary10Percent5Minutes",
    computePlatform: "Lambda",
    routing: { type: "TimeBasedCanary", timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 } },
    steps: [[0, 10], [300, 100]],
    totalSeconds: 300,
  },
  {
    name: "CodeDeployDefault.LambdaCanary10Percent10Minutes",
    computePlatform: "Lambda",
    routing: { type: "TimeBasedCanary", timeBasedCanary: { canaryPercentage: 10, canaryInterval: 10 } },
    steps: [[0, 10], [600, 100]],
    totalSeconds: 600,
  },
  {
    name: "CodeDeployDefault.LambdaCanary10Percent15Minutes",
    computePlatform: "Lambda",
    routing: { type: "TimeBasedCanary", timeBasedCanary: { canaryPercentage: 10, canaryInterval: 15 } },
    steps: [[0, 10], [900, 100]],
    totalSeconds: 900,
  },
  {
    name: "CodeDeployDefault.LambdaCanary10Percent30Minutes",
    computePlatform: "Lambda",
    routing: { type: "TimeBasedCanary", timeBasedCanary: { canaryPercentage: 10, canaryInterval: 30 } },
    steps: [[0, 10], [1800, 100]],
    totalSeconds: 1800,
  },
  {
    name: "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
    computePlatform: "Lambda",
    routing: { type: "TimeBasedLinear", timeBasedLinear: { linearPercentage: 10, linearInterval: 1 } },
    steps: [[0, 10], [60, 20], [120, 30], [180, 40], [240, 50], [300, 60], [360, 70], [420, 80], [480, 90], [540, 100]],
    totalSeconds: 540,
  },
  {
    name: "CodeDeployDefault.LambdaLinear10PercentEvery2Minutes",
    computePlatform: "Lambda",
    routing: { type: "TimeBasedLinear", timeBasedLinear: { linearPercentage: 10, linearInterval: 2 } },
    steps: [[0, 10], [120, 20], [240, 30], [360, 40], [480, 50], [600, 60], [720, 70], [840, 80], [960, 90], [1080, 100]],
    totalSeconds: 1080,
  },
  {
    name: "CodeDeployDefault.LambdaLinear10PercentEvery3Minutes",
    computePlatform: "Lambda",
    routing: { type: "TimeBasedLinear", timeBasedLinear: { linearPercentage: 10, linearInterval: 3 } },
    steps: [[0, 10], [180, 20], [360, 30], [540, 40], [720, 50], [900, 60], [1080, 70], [1260, 80], [1440, 90], [1620, 100]],
    totalSeconds: 1620,
  },
  {
    name: "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes",
    computePlatform: "Lambda",
    routing: { type: "TimeBasedLinear", timeBasedLinear: { linearPercentage: 10, linearInterval: 10 } },
    steps: [[0, 10], [600, 20], [1200, 30], [1800, 40], [2400, 50], [3000, 60], [3600, 70], [4200, 80], [4800, 90], [5400, 100]],
    totalSeconds: 5400,
  },
  {
    name: "CodeDeployDefault.ECSAllAtOnce",
    computePlatform: "ECS",
    routing: { type: "AllAtOnce" },
    steps: [[0, 100]],
    totalSeconds: 0,
  },
  {
    name: "CodeDeployDefault.ECSCanary10Percent5Minutes",
    computePlatform: "ECS",
    routing: { type: "TimeBasedCanary", timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 } },
    steps: [[0, 10], [300, 100]],
    totalSeconds: 300,
  },
  {
    name: "CodeDeployDefault.ECSCanary10Percent15Minutes",
    computePlatform: "ECS",
    routing: { type: "TimeBasedCanary", timeBasedCanary: { canaryPercentage: 10, canaryInterval: 15 } },
    steps: [[0, 10], [900, 100]],
    totalSeconds: 900,
  },
  {
    name: "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
    computePlatform: "ECS",
    routing: { type: "TimeBasedLinear", timeBasedLinear: { linearPercentage: 10, linearInterval: 1 } },
    steps: [[0, 10], [60, 20], [120, 30], [180, 40], [240, 50], [300, 60], [360, 70], [420, 80], [480, 90], [540, 100]],
    totalSeconds: 540,
  },
  {
    name: "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
    computePlatform: "ECS",
    routing: { type: "TimeBasedLinear", timeBasedLinear: { linearPercentage: 10, linearInterval: 3 } },
    steps: [[0, 10], [180, 20], [360, 30], [540, 40], [720, 50], [900, 60], [1080, 70], [1260, 80], [1440, 90], [1620, 100]],
    totalSeconds: 1620,
  },];

describe("predefined configs", () => {
  it("has exactly the 14 API spellings, Lambda singular Every1Minute and ECS plural Every1Minutes", () => {
    expect([...PREDEFINED_CONFIG_NAMES]).toEqual(TABLE.map((r) => r.name));
    expect(isPredefinedConfigName("CodeDeployDefault.LambdaLinear10PercentEvery1Minute")).toBe(true);
    expect(isPredefinedConfigName("CodeDeployDefault.LambdaLinear10PercentEvery1Minutes")).toBe(false);
    expect(isPredefinedConfigName("CodeDeployDefault.ECSLinear10PercentEvery1Minutes")).toBe(true);
    expect(isPredefinedConfigName("CodeDeployDefault.ECSLinear10PercentEvery1Minute")).toBe(false);
    expect(isPredefinedConfigName("toString")).toBe(false);
  });

  it.each(TABLE)("$name: CodeDeploy routing and platform", (row) => {
    expect(PREDEFINED_CONFIGS[row.name as keyof typeof PREDEFINED_CONFIGS]).toEqual({ computePlatform: row.computePlatform, trafficRoutingConfig: row.routing });
    const resolved = resolveConfig(row.name);
    expect(resolved).toMatchObject({ source: "predefined", kind: row.routing.type, computePlatform: row.computePlatform, trafficRoutingConfig: row.routing });
  });

  it.each(TABLE)("$name: exact schedule", (row) => {
    expect(resolveSchedule(row.name)).toEqual({
      config: row.name,
      steps: row.steps.map(([atSeconds, weight]) => ({ atSeconds, weight })),
      totalSeconds: row.totalSeconds,
    });
  });

  it.each(TABLE)("$name: same schedule when written as a custom config", (row) => {
    const custom = resolveSchedule({ deploymentConfigName: "mine", computePlatform: row.computePlatform, trafficRoutingConfig: row.routing });
    expect(custom).toEqual({ ...resolveSchedule(row.name), config: "mine" });
  });

  it("the table is frozen and resolving hands out copies", () => {
    expect(Object.isFrozen(PREDEFINED_CONFIGS)).toBe(true);
    expect(Object.isFrozen(PREDEFINED_CONFIGS["CodeDeployDefault.LambdaCanary10Percent5Minutes"].trafficRoutingConfig)).toBe(true);
    const a = resolveConfig("CodeDeployDefault.LambdaCanary10Percent5Minutes");
    a.schedule.steps.push({ atSeconds: 1, weight: 1 });
    if (a.trafficRoutingConfig?.type === "TimeBasedCanary") a.trafficRoutingConfig.timeBasedCanary.canaryInterval = 99;
    expect(resolveSchedule("CodeDeployDefault.LambdaCanary10Percent5Minutes").steps).toHaveLength(2);
    expect(resolveSchedule("CodeDeployDefault.LambdaCanary10Percent5Minutes").totalSeconds).toBe(300);
  });
});
