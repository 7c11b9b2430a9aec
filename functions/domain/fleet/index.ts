export { FLEET_ERROR_CODES, type FleetErrorName, FleetErrorNames } from "./errors.js";
export { DEFAULT_SERVER_CONFIG, type MinimumHealthyHosts, type MinimumHealthyHostsType, minimumHealthy, resolveServerConfig, SERVER_CONFIGS, type ServerConfig } from "./minimum-healthy.js";
export { type FleetInstance, type InstanceHealth, orderForDeployment, type RevisionHealth } from "./order.js";
export { describeFleetPlan } from "./describe.js";
export { FleetError, type FleetNext, type FleetPlan, type FleetProgress, MAX_INSTANCES, nextFleetStep, planFleet } from "./plan.js";
