export * from "./errors.js";
export {
  canonicalJson,
  checkDeploymentId,
  checkGroup,
  checkLockScope,
  historyKey,
  isJsonMap,
  isoTime,
  NAME,
  newDeploymentRecord,
  sameDeployment,
} from "./model.js";
export type { DeploymentPage, DeploymentQuery, RegistryStore } from "./port.js";
export { orderQueue, queuePosition } from "./queue.js";
export { type AcquireResult, type LockRequest, type NextDeployment, type ReleaseResult, TargetLocks } from "./locks.js";
export { type DeploymentList, type ListDeploymentsQuery, listDeployments } from "./queries.js";
export { DeploymentRegistry, type GroupState, type RecordResult, type RegistryOptions } from "./registry.js";
export {
  type ControlChange,
  canTransition,
  type Decision,
  decideControlRequest,
  decideProgress,
  decideRollbackInfo,
  decideStatusChange,
  type ProgressReport,
  recordViolations,
  type StatusChange,
  TRANSITIONS,
} from "./transitions.js";
export * from "./types.js";
