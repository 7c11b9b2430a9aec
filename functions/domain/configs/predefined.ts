import type { ComputePlatform, TrafficRoutingConfig } from "./types.js";

/**
 * The 14 predefined Lambda and ECS configs, spelled exactly as the API does
 * (codedeploy-spec §1.3, §1.4). Note the Lambda singular `Every1Minute` and the ECS plural `Every1Minutes`.
 */
export interface PredefinedConfig {
  computePlatform: ComputePlatform;
  trafficRoutingConfig: TrafficRoutingConfig;
}

const allAtOnce = (): TrafficRoutingConfig => ({ type: "AllAtOnce" });
const canary = (canaryPercentage: number, canaryInterval: number): TrafficRoutingConfig => ({
  type: "TimeBasedCanary",
  timeBasedCanary: { canaryPercentage, canaryInterval },
});
const linear = (linearPercentage: number, linearInterval: number): TrafficRoutingConfig => ({
  type: "TimeBasedLinear",
  timeBasedLinear: { linearPercentage, linearInterval },
});
const lambda = (trafficRoutingConfig: TrafficRoutingConfig): PredefinedConfig => ({ computePlatform: "Lambda", trafficRoutingConfig });
const ecs = (trafficRoutingConfig: TrafficRoutingConfig): PredefinedConfig => ({ computePlatform: "ECS", trafficRoutingConfig });

const TABLE = {
  "CodeDeployDefault.LambdaAllAtOnce": lambda(allAtOnce()),
  "CodeDeployDefault.LambdaCanary10Percent5Minutes": lambda(canary(10, 5)),
  "CodeDeployDefault.LambdaCanary10Percent10Minutes": lambda(canary(10, 10)),
  "CodeDeployDefault.LambdaCanary10Percent15Minutes": lambda(canary(10, 15)),
  "CodeDeployDefault.LambdaCanary10Percent30Minutes": lambda(canary(10, 30)),
  "CodeDeployDefault.LambdaLinear10PercentEvery1Minute": lambda(linear(10, 1)),
  "CodeDeployDefault.LambdaLinear10PercentEvery2Minutes": lambda(linear(10, 2)),
  "CodeDeployDefault.LambdaLinear10PercentEvery3Minutes": lambda(linear(10, 3)),
  "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes": lambda(linear(10, 10)),
  "CodeDeployDefault.ECSAllAtOnce": ecs(allAtOnce()),
  "CodeDeployDefault.ECSCanary10Percent5Minutes": ecs(canary(10, 5)),
  "CodeDeployDefault.ECSCanary10Percent15Minutes": ecs(canary(10, 15)),
  "CodeDeployDefault.ECSLinear10PercentEvery1Minutes": ecs(linear(10, 1)),
  "CodeDeployDefault.ECSLinear10PercentEvery3Minutes": ecs(linear(10, 3)),
} satisfies Record<string, PredefinedConfig>;

export type PredefinedConfigName = keyof typeof TABLE;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Read-only table of the predefined configs, keyed by exact name. */
export const PREDEFINED_CONFIGS: Readonly<Record<PredefinedConfigName, Readonly<PredefinedConfig>>> = deepFreeze(TABLE);

/** The 14 names, Lambda first, in the order of the User Guide tables. */
export const PREDEFINED_CONFIG_NAMES = Object.freeze(Object.keys(TABLE) as PredefinedConfigName[]);

/** EC2/on-premises predefined configs: real CodeDeploy names, but without traffic routing (codedeploy-spec §1.2). */
export const SERVER_CONFIG_NAMES = Object.freeze(["CodeDeployDefault.AllAtOnce", "CodeDeployDefault.HalfAtATime", "CodeDeployDefault.OneAtATime"] as const);

export function isPredefinedConfigName(name: string): name is PredefinedConfigName {
  return Object.hasOwn(TABLE, name);
}
