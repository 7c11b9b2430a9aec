import { ValidationError } from "../errors.js";

/**
 * CodeDeploy's `MinimumHealthyHosts` for EC2/on-premises (codedeploy-spec §1.2, §1.5, §2.1).
 * `MOST_CONCURRENCY` is what GetDeploymentConfig returns for `CodeDeployDefault.OneAtATime`; users cannot set it.
 */
export type MinimumHealthyHostsType = "HOST_COUNT" | "FLEET_PERCENT" | "MOST_CONCURRENCY";

export interface MinimumHealthyHosts {
  type: MinimumHealthyHostsType;
  value: number;
}

/** A Server deployment config: a predefined name or a custom `{minimumHealthyHosts}` (named "custom" unless it says). */
export interface ServerConfig {
  config: string;
  minimumHealthyHosts: MinimumHealthyHosts;
}

/**
 * The three predefined Server configs. AllAtOnce is "0" in the User Guide's table (HOST_COUNT 0), HalfAtATime "50%"
 * (FLEET_PERCENT 50), OneAtATime `{"type":"MOST_CONCURRENCY","value":1}` as GetDeploymentConfig returns it.
 */
export const SERVER_CONFIGS: Readonly<Record<string, MinimumHealthyHosts>> = Object.freeze({
  "CodeDeployDefault.AllAtOnce": Object.freeze({ type: "HOST_COUNT", value: 0 }),
  "CodeDeployDefault.HalfAtATime": Object.freeze({ type: "FLEET_PERCENT", value: 50 }),
  "CodeDeployDefault.OneAtATime": Object.freeze({ type: "MOST_CONCURRENCY", value: 1 }),
});

/** CodeDeploy's default when neither the deployment nor the group names a config (API `CreateDeploymentInput`). */
export const DEFAULT_SERVER_CONFIG = "CodeDeployDefault.OneAtATime";

const CUSTOM_KEYS = new Set(["deploymentConfigName", "computePlatform", "minimumHealthyHosts"]);

/**
 * Reads a Server config: a predefined name, or CodeDeploy's custom shape
 * `{"minimumHealthyHosts": {"type": "HOST_COUNT" | "FLEET_PERCENT", "value": n}}` (optionally with
 * `deploymentConfigName` and `computePlatform: "Server"`). Value limits (UG/limits): HOST_COUNT any integer ≥ 0,
 * FLEET_PERCENT an integer 0-99. Errors name the field and CodeDeploy's exception.
 */
export function resolveServerConfig(value: unknown, field = "deploymentConfig"): ServerConfig {
  if (value === undefined) return resolveServerConfig(DEFAULT_SERVER_CONFIG, field);
  if (typeof value === "string") {
    const known = SERVER_CONFIGS[value];
    if (!known) throw new ValidationError(field, `unknown Server deployment config '${value}'; predefined: ${Object.keys(SERVER_CONFIGS).join(", ")}, or a custom {"minimumHealthyHosts": {"type", "value"}}`);
    return { config: value, minimumHealthyHosts: { ...known } };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ValidationError(field, "must be a config name or an object with minimumHealthyHosts");
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!CUSTOM_KEYS.has(key)) throw new ValidationError(`${field}.${key}`, key === "trafficRoutingConfig" ? "traffic routing applies only to Lambda and ECS; a Server config has minimumHealthyHosts" : "unknown field");
  }
  if (o.computePlatform !== undefined && o.computePlatform !== "Server") throw new ValidationError(`${field}.computePlatform`, `must be "Server" for minimumHealthyHosts (InvalidComputePlatformException)`);
  const name = o.deploymentConfigName ?? "custom";
  if (typeof name !== "string" || !/^[A-Za-z0-9._+=,@-]{1,100}$/.test(name)) throw new ValidationError(`${field}.deploymentConfigName`, "must be 1-100 of [A-Za-z0-9._+=,@-]");
  if (name.startsWith("CodeDeployDefault.") && o.deploymentConfigName !== undefined) throw new ValidationError(`${field}.deploymentConfigName`, "custom config names may not start with CodeDeployDefault.");
  return { config: name, minimumHealthyHosts: readMinimum(o.minimumHealthyHosts, `${field}.minimumHealthyHosts`) };
}

function readMinimum(value: unknown, field: string): MinimumHealthyHosts {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ValidationError(field, "required: {\"type\": \"HOST_COUNT\" | \"FLEET_PERCENT\", \"value\": integer}");
  const { type, value: n, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) throw new ValidationError(`${field}.${extra}`, "unknown field");
  if (type !== "HOST_COUNT" && type !== "FLEET_PERCENT") throw new ValidationError(`${field}.type`, `must be HOST_COUNT or FLEET_PERCENT${type === "MOST_CONCURRENCY" ? " (MOST_CONCURRENCY is CodeDeployDefault.OneAtATime's and cannot be set)" : ""} (InvalidMinimumHealthyHostValueException)`);
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) throw new ValidationError(`${field}.value`, "must be an integer ≥ 0 (InvalidMinimumHealthyHostValueException)");
  if (type === "FLEET_PERCENT" && n >= 100) throw new ValidationError(`${field}.value`, "FLEET_PERCENT must be below 100 (InvalidMinimumHealthyHostValueException)");
  return { type, value: n };
}

/**
 * The minimum number of healthy instances for a fleet of `instances` (codedeploy-spec §2.1): FLEET_PERCENT is
 * converted at the start "rounding up any fractional instances"; HOST_COUNT is the count; MOST_CONCURRENCY
 * (OneAtATime) keeps all instances but one healthy.
 */
export function minimumHealthy(minimum: MinimumHealthyHosts, instances: number): number {
  switch (minimum.type) {
    case "HOST_COUNT":
      return minimum.value;
    case "FLEET_PERCENT":
      // Integer arithmetic: ceil(instances * value / 100) without floating-point error.
      return Math.floor((instances * minimum.value + 99) / 100);
    case "MOST_CONCURRENCY":
      return Math.max(instances - minimum.value, 0);
  }
}
