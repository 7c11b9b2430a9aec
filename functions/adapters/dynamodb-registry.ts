import {
  type AttributeValue,
  BatchWriteItemCommand,
  type CreateTableCommandInput,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { ErrorNames, StepDeployError, ValidationError } from "../domain/errors.js";
import { PreconditionFailedError } from "../domain/registry/errors.js";
import { historyKey } from "../domain/registry/model.js";
import type { DeploymentPage, DeploymentQuery, RegistryStore } from "../domain/registry/port.js";
import { DeploymentRegistry, type RegistryOptions } from "../domain/registry/registry.js";
import type { DeploymentRecord, GroupRef, InstanceHealthRecord, JsonValue, LastSuccessful, LockScope, QueueEntry, TargetLock } from "../domain/registry/types.js";
import { toRegistryError } from "./aws-errors.js";
import { cachedClient } from "./clients.js";

/**
 * The registry table, single-table design (docs/registry.md):
 *
 * | item            | pk                     | sk                | byGroup (groupKey, historyKey) | byStatus (statusKey, historyKey) |
 * |-----------------|------------------------|-------------------|--------------------------------|----------------------------------|
 * | deployment      | DEPLOYMENT#<id>        | DEPLOYMENT        | <app>#<group>, <createTime>#<id> | STATUS#<status>, <createTime>#<id> |
 * | target lock     | TARGET#<lockKey>       | LOCK              | -                              | -                                |
 * | queue entry     | TARGET#<lockKey>       | QUEUE#<id>        | -                              | -                                |
 * | queue counter   | TARGET#<lockKey>       | QUEUE_SEQUENCE    | -                              | -                                |
 * | last successful | GROUP#<app>#<group>    | LAST_SUCCESSFUL   | -                              | -                                |
 * | instance health | GROUP#<app>#<group>    | INSTANCE#<id>     | -                              | -                                |
 *
 * `#` cannot occur in application/group names (CodeDeploy's name charset) nor in lock keys (ARNs), so keys
 * are unambiguous.
 */
export const REGISTRY_INDEXES = {
  byGroup: "byGroup",
  byStatus: "byStatus",
} as const;

export const REGISTRY_TABLE_DEFINITION = {
  AttributeDefinitions: [
    { AttributeName: "pk", AttributeType: "S" },
    { AttributeName: "sk", AttributeType: "S" },
    { AttributeName: "groupKey", AttributeType: "S" },
    { AttributeName: "statusKey", AttributeType: "S" },
    { AttributeName: "historyKey", AttributeType: "S" },
  ],
  KeySchema: [
    { AttributeName: "pk", KeyType: "HASH" },
    { AttributeName: "sk", KeyType: "RANGE" },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: REGISTRY_INDEXES.byGroup,
      KeySchema: [
        { AttributeName: "groupKey", KeyType: "HASH" },
        { AttributeName: "historyKey", KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: "ALL" },
    },
    {
      IndexName: REGISTRY_INDEXES.byStatus,
      KeySchema: [
        { AttributeName: "statusKey", KeyType: "HASH" },
        { AttributeName: "historyKey", KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: "ALL" },
    },
  ],
  BillingMode: "PAY_PER_REQUEST",
} as const satisfies Omit<CreateTableCommandInput, "TableName">;

/** The same table as a CloudFormation resource (the property names are the API's). */
export function registryTableResource(tableName?: string): {
  Type: "AWS::DynamoDB::Table";
  Properties: Record<string, unknown>;
} {
  return {
    Type: "AWS::DynamoDB::Table",
    Properties: {
      ...(tableName ? { TableName: tableName } : {}),
      ...structuredClone(REGISTRY_TABLE_DEFINITION),
    },
  };
}

/** CreateTable input for `tableName` (tests, local tooling). */
export function registryCreateTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    ...structuredClone(REGISTRY_TABLE_DEFINITION),
  } as CreateTableCommandInput;
}

export const dynamoDbClient = (): DynamoDBClient => cachedClient("dynamodb", (options) => new DynamoDBClient(options));

export interface DynamoDbRegistryOptions extends RegistryOptions {
  client?: DynamoDBClient;
  /** Defaults to the STEPDEPLOY_TABLE environment variable. */
  tableName?: string;
}

/** The registry on DynamoDB: the table named by STEPDEPLOY_TABLE unless told otherwise. */
export function createDynamoDbRegistry(options: DynamoDbRegistryOptions = {}): DeploymentRegistry {
  const tableName = options.tableName ?? process.env.STEPDEPLOY_TABLE;
  if (!tableName) throw new ValidationError("STEPDEPLOY_TABLE", "is not set: name the registry table");
  return new DeploymentRegistry(new DynamoDbRegistryStore(options.client ?? dynamoDbClient(), tableName), options);
}

type Item = Record<string, AttributeValue>;
const DEPLOYMENT_SK = "DEPLOYMENT";
const KEY_ATTRIBUTES = new Set(["pk", "sk", "type", "groupKey", "statusKey", "historyKey", "sequenceCounter"]);

const groupPk = (g: GroupRef) => `GROUP#${g.application}#${g.deploymentGroup}`;
const targetPk = (t: LockScope) => `TARGET#${t.lockKey}`;
const deploymentPk = (id: string) => `DEPLOYMENT#${id}`;
const key = (pk: string, sk: string): Item => ({
  pk: { S: pk },
  sk: { S: sk },
});

/** RegistryStore on one DynamoDB table: each method is one request; conditions are enforced by DynamoDB. */
export class DynamoDbRegistryStore implements RegistryStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async getDeployment(deploymentId: string): Promise<DeploymentRecord | undefined> {
    const item = await this.get(key(deploymentPk(deploymentId), DEPLOYMENT_SK), `GetItem deployment ${deploymentId}`);
    return item ? (fromItem(item) as unknown as DeploymentRecord) : undefined;
  }

  async putDeployment(record: DeploymentRecord): Promise<void> {
    const item: Item = {
      ...key(deploymentPk(record.deploymentId), DEPLOYMENT_SK),
      type: { S: "Deployment" },
      groupKey: { S: `${record.application}#${record.deploymentGroup}` },
      statusKey: { S: `STATUS#${record.status}` },
      historyKey: { S: historyKey(record) },
      ...toItem(record),
    };
    const condition =
      record.version === 1
        ? { ConditionExpression: "attribute_not_exists(pk)" }
        : {
            ConditionExpression: "#version = :expected",
            ExpressionAttributeNames: { "#version": "version" },
            ExpressionAttributeValues: {
              ":expected": { N: String(record.version - 1) },
            },
          };
    await this.send(
      () =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: item,
            ...condition,
          }),
        ),
      `PutItem deployment ${record.deploymentId} v${record.version}`,
    );
  }

  async queryDeployments(query: DeploymentQuery): Promise<DeploymentPage> {
    const [index, hashAttr, hashValue] =
      "group" in query.by
        ? [REGISTRY_INDEXES.byGroup, "groupKey", `${query.by.group.application}#${query.by.group.deploymentGroup}`]
        : [REGISTRY_INDEXES.byStatus, "statusKey", `STATUS#${query.by.status}`];
    const out = await this.send(
      () =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: index,
            KeyConditionExpression: query.before === undefined ? "#h = :h" : "#h = :h AND #r < :before",
            ExpressionAttributeNames: {
              "#h": hashAttr,
              ...(query.before === undefined ? {} : { "#r": "historyKey" }),
            },
            ExpressionAttributeValues: {
              ":h": { S: hashValue },
              ...(query.before === undefined ? {} : { ":before": { S: query.before } }),
            },
            ScanIndexForward: false,
            Limit: query.limit,
          }),
        ),
      `Query ${index} ${hashValue}`,
    );
    return {
      items: (out.Items ?? []).map((i) => fromItem(i) as unknown as DeploymentRecord),
      more: out.LastEvaluatedKey !== undefined,
    };
  }

  async getLock(scope: LockScope): Promise<TargetLock | undefined> {
    const item = await this.get(key(targetPk(scope), "LOCK"), `GetItem lock ${targetPk(scope)}`);
    return item ? (fromItem(item) as unknown as TargetLock) : undefined;
  }

  async acquireLock(lock: TargetLock): Promise<TargetLock> {
    const names: Record<string, string> = {
      "#key": "lockKey",
      "#app": "application",
      "#grp": "deploymentGroup",
      "#holder": "holderDeploymentId",
      "#at": "acquiredAt",
      "#type": "type",
    };
    const values: Item = {
      ":key": { S: lock.lockKey },
      ":app": { S: lock.application },
      ":grp": { S: lock.deploymentGroup },
      ":holder": { S: lock.holderDeploymentId },
      ":at": { S: lock.acquiredAt },
      ":type": { S: "Lock" },
    };
    let set = "#type = :type, #key = :key, #app = :app, #grp = :grp, #holder = :holder, #at = if_not_exists(#at, :at)";
    if (lock.executionArn) {
      names["#arn"] = "executionArn";
      values[":arn"] = { S: lock.executionArn };
      set += ", #arn = if_not_exists(#arn, :arn)";
    }
    const out = await this.send(
      () =>
        this.client.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: key(targetPk(lock), "LOCK"),
            UpdateExpression: `SET ${set}`,
            ConditionExpression: "attribute_not_exists(pk) OR #holder = :holder",
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: "ALL_NEW",
          }),
        ),
      `UpdateItem lock ${targetPk(lock)} for ${lock.holderDeploymentId}`,
    );
    return fromItem(out.Attributes ?? {}) as unknown as TargetLock;
  }

  async transferLock(fromDeploymentId: string, lock: TargetLock): Promise<void> {
    await this.send(
      () =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: {
              ...key(targetPk(lock), "LOCK"),
              type: { S: "Lock" },
              ...toItem(lock),
            },
            ConditionExpression: "#holder = :from",
            ExpressionAttributeNames: { "#holder": "holderDeploymentId" },
            ExpressionAttributeValues: { ":from": { S: fromDeploymentId } },
          }),
        ),
      `PutItem lock ${targetPk(lock)} ${fromDeploymentId} -> ${lock.holderDeploymentId}`,
    );
  }

  async deleteLock(scope: LockScope, holderDeploymentId: string): Promise<void> {
    await this.send(
      () =>
        this.client.send(
          new DeleteItemCommand({
            TableName: this.tableName,
            Key: key(targetPk(scope), "LOCK"),
            ConditionExpression: "#holder = :holder",
            ExpressionAttributeNames: { "#holder": "holderDeploymentId" },
            ExpressionAttributeValues: { ":holder": { S: holderDeploymentId } },
          }),
        ),
      `DeleteItem lock ${targetPk(scope)} held by ${holderDeploymentId}`,
    );
  }

  async nextQueueSequence(scope: LockScope): Promise<number> {
    const out = await this.send(
      () =>
        this.client.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: key(targetPk(scope), "QUEUE_SEQUENCE"),
            UpdateExpression: "SET #type = :type ADD #counter :one",
            ExpressionAttributeNames: {
              "#type": "type",
              "#counter": "sequenceCounter",
            },
            ExpressionAttributeValues: {
              ":type": { S: "QueueSequence" },
              ":one": { N: "1" },
            },
            ReturnValues: "UPDATED_NEW",
          }),
        ),
      `UpdateItem queue sequence ${targetPk(scope)}`,
    );
    return Number(out.Attributes?.sequenceCounter?.N ?? Number.NaN);
  }

  async putQueueEntry(entry: QueueEntry): Promise<void> {
    await this.send(
      () =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: {
              ...key(targetPk(entry), `QUEUE#${entry.deploymentId}`),
              type: { S: "QueueEntry" },
              ...toItem(entry),
            },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      `PutItem queue entry ${targetPk(entry)} ${entry.deploymentId}`,
    );
  }

  async listQueue(scope: LockScope): Promise<QueueEntry[]> {
    return (await this.queryPrefix(targetPk(scope), "QUEUE#", `Query queue ${targetPk(scope)}`)).map((i) => fromItem(i) as unknown as QueueEntry);
  }

  async deleteQueueEntry(scope: LockScope, deploymentId: string): Promise<void> {
    await this.send(
      () =>
        this.client.send(
          new DeleteItemCommand({
            TableName: this.tableName,
            Key: key(targetPk(scope), `QUEUE#${deploymentId}`),
          }),
        ),
      `DeleteItem queue entry ${targetPk(scope)} ${deploymentId}`,
    );
  }

  async getLastSuccessful(group: GroupRef): Promise<LastSuccessful | undefined> {
    const item = await this.get(key(groupPk(group), "LAST_SUCCESSFUL"), `GetItem last successful ${groupPk(group)}`);
    return item ? (fromItem(item) as unknown as LastSuccessful) : undefined;
  }

  async putLastSuccessful(item: LastSuccessful): Promise<void> {
    await this.send(
      () =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: {
              ...key(groupPk(item), "LAST_SUCCESSFUL"),
              type: { S: "LastSuccessful" },
              ...toItem(item),
            },
            ConditionExpression: "attribute_not_exists(pk) OR #id = :id OR #end <= :end",
            ExpressionAttributeNames: {
              "#id": "deploymentId",
              "#end": "endTime",
            },
            ExpressionAttributeValues: {
              ":id": { S: item.deploymentId },
              ":end": { S: item.endTime },
            },
          }),
        ),
      `PutItem last successful ${groupPk(item)} ${item.deploymentId}`,
    );
  }

  async listInstanceHealth(group: GroupRef): Promise<InstanceHealthRecord[]> {
    return (await this.queryPrefix(groupPk(group), "INSTANCE#", `Query instance health ${groupPk(group)}`)).map((i) => fromItem(i) as unknown as InstanceHealthRecord);
  }

  /** BatchWriteItem, 25 items per request (its limit); unprocessed items are sent again, at most 5 rounds. */
  async putInstanceHealth(group: GroupRef, records: InstanceHealthRecord[]): Promise<void> {
    for (let k = 0; k < records.length; k += 25) {
      let requests = records.slice(k, k + 25).map((r) => ({ PutRequest: { Item: { ...key(groupPk(group), `INSTANCE#${r.instanceId}`), type: { S: "InstanceHealth" }, ...toItem(r) } } }));
      for (let round = 0; requests.length > 0; round++) {
        // Unprocessed items mean throughput was exceeded: retryable, as a throttle is (Deploy.Transient).
        if (round === 5) throw new StepDeployError(ErrorNames.Transient, `DynamoDB BatchWriteItem instance health ${groupPk(group)}: ${requests.length} item(s) still unprocessed after 5 rounds`);
        const out = await this.send(() => this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: requests } })), `BatchWriteItem instance health ${groupPk(group)}`);
        requests = (out.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      }
    }
  }

  /** Every item of one partition whose sort key starts with `prefix`, all pages, strongly consistent. */
  private async queryPrefix(pk: string, prefix: string, what: string): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.send(
        () =>
          this.client.send(
            new QueryCommand({
              TableName: this.tableName,
              KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
              ExpressionAttributeValues: { ":pk": { S: pk }, ":prefix": { S: prefix } },
              ConsistentRead: true,
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
          ),
        what,
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  private async get(k: Item, what: string): Promise<Item | undefined> {
    const out = await this.send(
      () =>
        this.client.send(
          new GetItemCommand({
            TableName: this.tableName,
            Key: k,
            ConsistentRead: true,
          }),
        ),
      what,
    );
    return out.Item;
  }

  /** One request; ConditionalCheckFailedException becomes PreconditionFailedError, the rest named StepDeployErrors. */
  private async send<T>(request: () => Promise<T>, what: string): Promise<T> {
    try {
      return await request();
    } catch (e) {
      if ((e as { name?: string })?.name === "ConditionalCheckFailedException")
        throw new PreconditionFailedError(`${this.tableName}: ${what}`, {
          cause: e,
        });
      throw toRegistryError(e, `DynamoDB ${what}`, this.tableName);
    }
  }
}

// ------------------------------------------------------------------ JSON <-> AttributeValue

/** Top-level attributes of a JSON object; `undefined` members are left out. (`fromEntries` keeps a `__proto__` key an own key.) */
export function toItem(value: object): Item {
  return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (v === undefined ? [] : [[k, toAttribute(v as JsonValue)]])));
}

export function toAttribute(v: JsonValue): AttributeValue {
  if (v === null) return { NULL: true };
  if (typeof v === "string") return { S: v };
  if (typeof v === "number") return { N: String(v) };
  if (typeof v === "boolean") return { BOOL: v };
  if (Array.isArray(v)) return { L: v.map(toAttribute) };
  return { M: toItem(v) };
}

export function fromAttribute(a: AttributeValue): JsonValue {
  if (a.S !== undefined) return a.S;
  if (a.N !== undefined) return Number(a.N);
  if (a.BOOL !== undefined) return a.BOOL;
  if (a.NULL !== undefined) return null;
  if (a.L !== undefined) return a.L.map(fromAttribute);
  if (a.M !== undefined) return fromItem(a.M, false);
  throw new TypeError(`unsupported attribute type ${Object.keys(a).join(",")}`);
}

/** The domain object of an item: table keys and index attributes dropped. */
export function fromItem(item: Item, dropKeys = true): { [k: string]: JsonValue } {
  return Object.fromEntries(Object.entries(item).flatMap(([k, a]) => (dropKeys && KEY_ATTRIBUTES.has(k) ? [] : [[k, fromAttribute(a)]])));
}
