import type { DeploymentRegistry } from "../domain/registry/registry.js";

/**
 * The deployment registry as handlers and services use it: records, one lock (and queue) per traffic target,
 * operator requests, progress. `DeploymentRegistry` (functions/domain/registry) implements it over any
 * `RegistryStore`; the DynamoDB store is the adapter, an in-memory store the tests' fake.
 */
export type RegistryPort = Pick<
  DeploymentRegistry,
  | "createDeployment"
  | "getDeployment"
  | "requireDeployment"
  | "changeStatus"
  | "markInProgress"
  | "markSucceeded"
  | "markFailed"
  | "markStopped"
  | "requestControl"
  | "recordProgress"
  | "recordRollbackInfo"
  | "getLock"
  | "listQueue"
  | "acquireLock"
  | "acquireOrEnqueue"
  | "release"
  | "leaveQueue"
  | "listDeployments"
  | "groupHistory"
  | "groupState"
  | "getLastSuccessful"
  | "instanceHealth"
  | "recordInstanceResults"
>;
