import { createDynamoDbRegistry } from "../adapters/dynamodb-registry.js";
import type { DeploymentRegistry } from "../domain/registry/index.js";
import { nowMs } from "./clock.js";

/** The registry every handler uses: the stack's table (STEPDEPLOY_TABLE), timed by the handlers' clock. */
export function registry(): DeploymentRegistry {
  return createDynamoDbRegistry({ clock: () => new Date(nowMs()) });
}
