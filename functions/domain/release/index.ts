export { releaseDeploymentId, releaseExecutionName, triggerIdentity } from "./names.js";
export * from "./plan.js";
export * from "./sources.js";
export * from "./trigger.js";
