import { DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import type { WaitingCallback } from "../domain/control/waiting.js";
import type { AlarmWatch, CallbacksPort } from "../ports/callbacks.js";
import { toRegistryError } from "./aws-errors.js";
import { dynamoDbClient, fromItem, toItem } from "./dynamodb-registry.js";

export function createCallbacksAdapter(): CallbacksPort {
  return {
    putWaiting: (cb) => putWaiting(cb),
    getWaiting: (id) => getWaiting(id),
    clearWaiting: (id, alarms) => clearWaiting(id, alarms),
    watchersOf: (alarm) => watchersOf(alarm),
  };
}

/**
 * Task tokens of waiting deployments, in the registry table:
 *  - `DEPLOYMENT#<id>` / `CALLBACK`: what the deployment waits in (bake, pause, queue) and its token;
 *  - `ALARM#<name>` / `WATCH#<id>`: one item per watched alarm (with the deployment's account and region),
 *    so the alarm listener finds the tokens to fail when that alarm goes to ALARM.
 */
const table = () => process.env.STEPDEPLOY_TABLE ?? "stepdeploy";

export async function putWaiting(cb: WaitingCallback, client = dynamoDbClient()): Promise<void> {
  try {
    // Watches first, then the callback: a concurrent alarm always finds a token to fail.
    for (const alarm of cb.alarms) {
      await client.send(new PutItemCommand({ TableName: table(), Item: toItem({ pk: `ALARM#${alarm}`, sk: `WATCH#${cb.deploymentId}`, deploymentId: cb.deploymentId, token: cb.token, account: cb.account, region: cb.region }) }));
    }
    await client.send(new PutItemCommand({ TableName: table(), Item: toItem({ pk: `DEPLOYMENT#${cb.deploymentId}`, sk: "CALLBACK", ...cb }) }));
  } catch (e) {
    throw toRegistryError(e, "PutItem callback", table());
  }
}

export async function getWaiting(deploymentId: string, client = dynamoDbClient()): Promise<WaitingCallback | undefined> {
  try {
    const out = await client.send(new GetItemCommand({ TableName: table(), Key: toItem({ pk: `DEPLOYMENT#${deploymentId}`, sk: "CALLBACK" }), ConsistentRead: true }));
    return out.Item ? (fromItem(out.Item) as unknown as WaitingCallback) : undefined;
  } catch (e) {
    throw toRegistryError(e, "GetItem callback", table());
  }
}

/** Removes the callback and its watches (the wait is over). Idempotent. */
export async function clearWaiting(deploymentId: string, alarms: string[], client = dynamoDbClient()): Promise<void> {
  try {
    await client.send(new DeleteItemCommand({ TableName: table(), Key: toItem({ pk: `DEPLOYMENT#${deploymentId}`, sk: "CALLBACK" }) }));
    for (const alarm of alarms) {
      await client.send(new DeleteItemCommand({ TableName: table(), Key: toItem({ pk: `ALARM#${alarm}`, sk: `WATCH#${deploymentId}` }) }));
    }
  } catch (e) {
    throw toRegistryError(e, "DeleteItem callback", table());
  }
}

/** Tokens of every deployment currently watching `alarm`. */
export async function watchersOf(alarm: string, client = dynamoDbClient()): Promise<AlarmWatch[]> {
  try {
    const out = await client.send(
      new QueryCommand({ TableName: table(), KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: toItem({ ":pk": `ALARM#${alarm}` }), ConsistentRead: true }),
    );
    return (out.Items ?? []).map((i) => fromItem(i) as unknown as AlarmWatch);
  } catch (e) {
    throw toRegistryError(e, "Query watches", table());
  }
}
