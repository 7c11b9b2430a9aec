import { ErrorNames } from "../errors.js";

/** Max minutes from the first to the last traffic shift (codedeploy-spec §1.5, §8: UG/limits). */
export const MAX_SHIFT_SPAN_MINUTES = 2880;
/** Percent per increment: integer 1-99 (UG/limits; CDK/lambda/custom-deployment-config.ts). */
export const MIN_PERCENTAGE = 1;
export const MAX_PERCENTAGE = 99;
/** Config names: 1-100 chars of [A-Za-z0-9._+=,@-] (codedeploy-spec §1.1). */
export const CONFIG_NAME_PATTERN = /^[A-Za-z0-9._+=,@-]{1,100}$/;
/** Custom names may not start with this prefix (UG/limits). */
export const PREDEFINED_PREFIX = "CodeDeployDefault.";
/** `Schedule.config` for an unnamed custom config or step list. */
export const CUSTOM_CONFIG_NAME = "custom";
/** Root of every field path in validation errors. */
export const ROOT_FIELD = "deploymentConfig";
/** Error name thrown for every config problem. */
export const CONFIG_ERROR_NAME = ErrorNames.InvalidConfig;

/** CodeDeploy exception names quoted in reasons (API `CreateDeploymentConfig`, `CreateDeployment`). */
export const CodeDeployException = {
  TrafficRouting: "InvalidTrafficRoutingConfigurationException",
  ComputePlatform: "InvalidComputePlatformException",
  ConfigDoesNotExist: "DeploymentConfigDoesNotExistException",
  ConfigName: "InvalidDeploymentConfigNameException",
} as const;
