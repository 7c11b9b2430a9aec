export * from "./deployment.js";
export * from "./errors.js";
export { releaseDeploymentId, releaseExecutionName, triggerIdentity } from "./names.js";
export * from "./plan.js";
export * from "./preflight.js";
export * from "./source-config.js";
export * from "./sources.js";
export * from "./targets.js";
export * from "./trigger.js";
