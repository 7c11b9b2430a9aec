import { ErrorNames } from "../errors.js";

/**
 * The fleet errors (named in the catalogue, functions/domain/errors.ts) and CodeDeploy's `ErrorInformation.code`
 * for each (codedeploy-spec §2.2, §2.4, §2.5; API `ErrorCode`).
 */
export const FleetErrorNames = {
  HealthConstraintsInvalid: ErrorNames.HealthConstraintsInvalid,
  HealthConstraints: ErrorNames.HealthConstraints,
  NoInstances: ErrorNames.NoInstances,
  OverMaxInstances: ErrorNames.OverMaxInstances,
} as const;

export type FleetErrorName = (typeof FleetErrorNames)[keyof typeof FleetErrorNames];

export const FLEET_ERROR_CODES: Record<FleetErrorName, string> = {
  [FleetErrorNames.HealthConstraintsInvalid]: "HEALTH_CONSTRAINTS_INVALID",
  [FleetErrorNames.HealthConstraints]: "HEALTH_CONSTRAINTS",
  [FleetErrorNames.NoInstances]: "NO_INSTANCES",
  [FleetErrorNames.OverMaxInstances]: "OVER_MAX_INSTANCES",
};
