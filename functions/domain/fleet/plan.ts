import { StepDeployError } from "../errors.js";
import { FLEET_ERROR_CODES, type FleetErrorName, FleetErrorNames } from "./errors.js";
import { type MinimumHealthyHosts, type ServerConfig, minimumHealthy } from "./minimum-healthy.js";

/** Most instances in one deployment (UG/limits); more fails with OVER_MAX_INSTANCES (codedeploy-spec §2.4). */
export const MAX_INSTANCES = 1000;

/** A fleet error with CodeDeploy's error code, e.g. `Deploy.HealthConstraintsInvalid` / `HEALTH_CONSTRAINTS_INVALID`. */
export class FleetError extends StepDeployError {
  readonly code: string;
  constructor(name: FleetErrorName, message: string) {
    super(name, `${FLEET_ERROR_CODES[name]}: ${message}`);
    this.code = FLEET_ERROR_CODES[name];
  }
}

/** What `stepdeploy schedule <server config> --instances N --json` prints. */
export interface FleetPlan {
  config: string;
  instances: number;
  minimumHealthyHosts: MinimumHealthyHosts;
  /** The minimum as a number of instances for this fleet. */
  minHealthy: number;
  /** Batch sizes in order, if every instance succeeds. */
  batches: number[];
}

/**
 * Checks a fleet against a config before anything runs (codedeploy-spec §2.2, §2.5) and plans its batches:
 * batch size = healthy - minimum, "as many instances as it can without any risk of having the number of healthy
 * instances fall below the specified minimum". A minimum that leaves no room (95% of 10 rounds up to 10) fails
 * immediately with HEALTH_CONSTRAINTS_INVALID, without deploying to any instance.
 */
export function planFleet(config: ServerConfig, instances: number): FleetPlan {
  if (!Number.isInteger(instances) || instances < 0) throw new TypeError(`instances must be an integer ≥ 0, got ${instances}`);
  if (instances === 0) throw new FleetError(FleetErrorNames.NoInstances, "no instances were found for the deployment target: check the tags or Auto Scaling group names");
  if (instances > MAX_INSTANCES) throw new FleetError(FleetErrorNames.OverMaxInstances, `${instances} instances match; one deployment may target at most ${MAX_INSTANCES}`);
  const minHealthy = minimumHealthy(config.minimumHealthyHosts, instances);
  const size = instances - minHealthy;
  if (size <= 0) {
    const { type, value } = config.minimumHealthyHosts;
    throw new FleetError(FleetErrorNames.HealthConstraintsInvalid, `${config.config} needs ${minHealthy} healthy instance${minHealthy === 1 ? "" : "s"} (${type} ${value}) of ${instances}, so no instance can be taken out of service: nothing was deployed`);
  }
  const batches: number[] = [];
  for (let left = instances; left > 0; left -= size) batches.push(Math.min(size, left));
  return { config: config.config, instances, minimumHealthyHosts: { ...config.minimumHealthyHosts }, minHealthy, batches };
}

/** Where a running fleet deployment stands. */
export interface FleetProgress {
  instances: number;
  minHealthy: number;
  succeeded: number;
  failed: number;
  /**
   * Instances not attempted yet whose last deployment failed (CodeDeploy's Unhealthy, codedeploy-spec §2.4). They come
   * first in the deployment order (orderForDeployment), so they are the next ones; default 0.
   */
  unhealthyLeft?: number;
}

export type FleetNext = { action: "deploy"; size: number } | { action: "succeed" } | { action: "fail"; error: FleetError };

/**
 * The next move after each batch (codedeploy-spec §2.2-§2.4). Instances not yet attempted and those that succeeded
 * count as healthy, except the ones still unhealthy from an earlier failed deployment; a failed instance is unhealthy.
 * The next batch takes the unhealthy instances still left (deploying to them cannot lower the healthy count: "the
 * deployment process does not reduce the number of healthy instances any further") and as many healthy ones as keep
 * the healthy count at the minimum; if it can take none while instances remain, the deployment stops
 * (HEALTH_CONSTRAINTS). When every instance was attempted, it succeeds iff succeeded ≥ max(minimum, 1). This yields
 * the documented rules: OneAtATime fails at the first failure except on the last instance; "min 8 of 10" fails at the
 * second failure unless the last instance is the second to fail; AllAtOnce fails only when every instance failed.
 */
export function nextFleetStep(progress: FleetProgress): FleetNext {
  const { instances, minHealthy, succeeded, failed } = progress;
  const remaining = instances - succeeded - failed;
  if (remaining < 0) throw new TypeError(`more results (${succeeded + failed}) than instances (${instances})`);
  if (remaining === 0) {
    const needed = Math.max(minHealthy, 1);
    if (succeeded >= needed) return { action: "succeed" };
    return { action: "fail", error: new FleetError(FleetErrorNames.HealthConstraints, `${succeeded} of ${instances} instances succeeded, ${needed} needed`) };
  }
  const unhealthy = Math.min(Math.max(0, progress.unhealthyLeft ?? 0), remaining);
  // Healthy now: the ones that succeeded and the healthy ones not attempted yet.
  const room = instances - failed - unhealthy - minHealthy;
  const size = unhealthy + Math.max(0, Math.min(room, remaining - unhealthy));
  if (size === 0) {
    return { action: "fail", error: new FleetError(FleetErrorNames.HealthConstraints, `${failed} instance${failed === 1 ? "" : "s"} failed: another batch would leave fewer than ${minHealthy} healthy of ${instances}; ${remaining} not attempted`) };
  }
  return { action: "deploy", size };
}
