import { createDynamoDbRegistry, DynamoDbRegistryStore } from "../../../functions/adapters/dynamodb-registry.js";
import type { DeploymentRegistry, GroupRef, LockScope, NewDeployment, RegistryOptions } from "../../../functions/domain/registry/index.js";
import type { LocalDynamoDb } from "../../support/dynalite.js";

/** A clock that moves one second per reading, from 2026-01-01: times are distinct and ordered. */
export function steppingClock(start = "2026-01-01T00:00:00.000Z"): () => Date {
  let t = Date.parse(start);
  return () => {
    t += 1000;
    return new Date(t);
  };
}

export function registryOn(db: LocalDynamoDb, options: RegistryOptions = {}): DeploymentRegistry {
  return createDynamoDbRegistry({
    client: db.client,
    tableName: db.tableName,
    clock: steppingClock(),
    ...options,
  });
}

export function storeOn(db: LocalDynamoDb): DynamoDbRegistryStore {
  return new DynamoDbRegistryStore(db.client, db.tableName);
}

let groups = 0;
/**
 * A fresh group per test, deploying to a fresh traffic target (its lock key), so tests share one table without
 * seeing each other. Spread into a lock request it names both the group and the target.
 */
export function freshGroup(prefix = "grp"): GroupRef & LockScope {
  groups += 1;
  const deploymentGroup = `${prefix}-${process.pid}-${groups}`;
  return { application: "app", deploymentGroup, lockKey: `arn:aws:lambda:us-east-1:123456789012:function:${deploymentGroup}:live` };
}

let ids = 0;
/** Distinct, valid deployment ids (d- and 9 of A-Z0-9). */
export function freshId(): string {
  ids += 1;
  return `d-${ids.toString(36).toUpperCase().padStart(9, "0")}`;
}

export function lambdaDeployment(group: GroupRef, deploymentId = freshId(), overrides: Partial<NewDeployment> = {}): NewDeployment {
  return {
    deploymentId,
    application: group.application,
    deploymentGroup: group.deploymentGroup,
    deploymentConfigName: "CodeDeployDefault.LambdaCanary10Percent5Minutes",
    platform: "Lambda",
    target: {
      functionName: "orders",
      alias: "live",
      currentVersion: "3",
      targetVersion: "4",
    },
    ...overrides,
  };
}

/** The rejection's `name` and `message`, or a marker when the promise resolved. */
export async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  return { name: "(resolved)", message: "" };
}
