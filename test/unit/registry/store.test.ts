import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDynamoDbRegistry,
  DynamoDbRegistryStore,
  fromAttribute,
  REGISTRY_TABLE_DEFINITION,
  registryCreateTableInput,
  registryTableResource,
  toAttribute,
} from "../../../functions/adapters/dynamodb-registry.js";
import { type JsonValue, newDeploymentRecord } from "../../../functions/domain/registry/index.js";
import { type LocalDynamoDb, startDynalite } from "../../support/dynalite.js";
import { failure, freshGroup, freshId, lambdaDeployment, registryOn, storeOn } from "./helpers.js";

let db: LocalDynamoDb;
let store: DynamoDbRegistryStore;

beforeAll(async () => {
  db = await startDynalite();
  store = storeOn(db);
});
afterAll(async () => {
  await db?.close();
});

const T = "2026-03-01T10:00:00.000Z";

describe("conditional writes on dynalite (each condition, both ways)", () => {
  it("acquireLock: free or held by me succeeds; held by another fails", async () => {
    const group = freshGroup();
    const [a, b] = [freshId(), freshId()];
    const lock = await store.acquireLock({
      ...group,
      holderDeploymentId: a,
      acquiredAt: T,
      executionArn: "arn:a",
    });
    expect(lock).toEqual({
      ...group,
      holderDeploymentId: a,
      acquiredAt: T,
      executionArn: "arn:a",
    });
    expect(
      await store.acquireLock({
        ...group,
        holderDeploymentId: a,
        acquiredAt: "2026-03-01T11:00:00.000Z",
        executionArn: "arn:other",
      }),
    ).toEqual(lock);
    expect(await failure(store.acquireLock({ ...group, holderDeploymentId: b, acquiredAt: T }))).toMatchObject({ name: "Registry.PreconditionFailed" });
    expect(await store.getLock(group)).toEqual(lock);
  });

  it("transferLock and deleteLock act only for the holder", async () => {
    const group = freshGroup();
    const [a, b, c] = [freshId(), freshId(), freshId()];
    await store.acquireLock({ ...group, holderDeploymentId: a, acquiredAt: T });
    expect(
      await failure(
        store.transferLock(b, {
          ...group,
          holderDeploymentId: c,
          acquiredAt: T,
        }),
      ),
    ).toMatchObject({ name: "Registry.PreconditionFailed" });
    expect(await failure(store.deleteLock(group, b))).toMatchObject({
      name: "Registry.PreconditionFailed",
    });
    expect((await store.getLock(group))?.holderDeploymentId).toBe(a);
    await store.transferLock(a, {
      ...group,
      holderDeploymentId: b,
      acquiredAt: T,
      handedOverFrom: a,
    });
    expect(await store.getLock(group)).toEqual({
      ...group,
      holderDeploymentId: b,
      acquiredAt: T,
      handedOverFrom: a,
    });
    expect(await failure(store.deleteLock(group, a))).toMatchObject({
      name: "Registry.PreconditionFailed",
    });
    await store.deleteLock(group, b);
    expect(await store.getLock(group)).toBeUndefined();
    expect(await failure(store.deleteLock(group, b))).toMatchObject({
      name: "Registry.PreconditionFailed",
    });
  });

  it("putDeployment: version 1 only if absent, then only on top of the previous version", async () => {
    const r1 = newDeploymentRecord(lambdaDeployment(freshGroup()), T);
    await store.putDeployment(r1);
    expect(await failure(store.putDeployment(r1))).toMatchObject({
      name: "Registry.PreconditionFailed",
    });
    const r2 = {
      ...r1,
      status: "InProgress" as const,
      startTime: T,
      version: 2,
    };
    await store.putDeployment(r2);
    expect(await failure(store.putDeployment({ ...r2, reason: "stale" }))).toMatchObject({ name: "Registry.PreconditionFailed" });
    expect(await failure(store.putDeployment({ ...r2, version: 4 }))).toMatchObject({ name: "Registry.PreconditionFailed" });
    expect(await store.getDeployment(r1.deploymentId)).toEqual(r2);
  });

  it("queue entries: one per deployment; the counter only goes up", async () => {
    const group = freshGroup();
    const id = freshId();
    const s1 = await store.nextQueueSequence(group);
    const s2 = await store.nextQueueSequence(group);
    expect(s2).toBeGreaterThan(s1);
    const entry = { ...group, deploymentId: id, sequence: s1, enqueuedAt: T };
    await store.putQueueEntry(entry);
    expect(await failure(store.putQueueEntry({ ...entry, sequence: s2 }))).toMatchObject({ name: "Registry.PreconditionFailed" });
    expect(await store.listQueue(group)).toEqual([entry]);
    await store.deleteQueueEntry(group, id);
    await store.deleteQueueEntry(group, id);
    expect(await store.listQueue(group)).toEqual([]);
  });

  it("putLastSuccessful: never replaced by an older success", async () => {
    const group = freshGroup();
    const base = {
      ...group,
      platform: "ECS" as const,
      deploymentConfigName: "CodeDeployDefault.ECSAllAtOnce",
      target: { cluster: "c", service: "s" },
    };
    const newer = {
      ...base,
      deploymentId: freshId(),
      endTime: "2026-03-02T00:00:00.000Z",
    };
    await store.putLastSuccessful(newer);
    expect(
      await failure(
        store.putLastSuccessful({
          ...base,
          deploymentId: freshId(),
          endTime: "2026-03-01T00:00:00.000Z",
        }),
      ),
    ).toMatchObject({ name: "Registry.PreconditionFailed" });
    await store.putLastSuccessful(newer); // same deployment again: fine
    expect(await store.getLastSuccessful(group)).toEqual(newer);
  });

  it("instance health: one item per instance in its group (more than one BatchWriteItem of 25), rewritten by the next result, not seen from another group", async () => {
    const group = freshGroup();
    const other = freshGroup();
    const registry = registryOn(db);
    const ids = Array.from({ length: 60 }, (_, k) => `i-0${String(k).padStart(16, "0")}`);
    await registry.recordInstanceResults(group, "d-HEALTH001", "s3://b/v1.zip#e1", ids.map((instanceId, k) => ({ instanceId, succeeded: k % 7 !== 0 })));
    let health = await registry.instanceHealth(group);
    expect(health.size).toBe(60);
    expect(health.get(ids[0]!)).toMatchObject({ health: "Unhealthy", deploymentId: "d-HEALTH001" });
    expect(health.get(ids[0]!)?.revision).toBeUndefined();
    expect(health.get(ids[1]!)).toMatchObject({ health: "Healthy", revision: "s3://b/v1.zip#e1" });
    await registry.recordInstanceResults(group, "d-HEALTH002", "s3://b/v2.zip#e2", [{ instanceId: ids[0]!, succeeded: true }]);
    health = await registry.instanceHealth(group);
    expect(health.get(ids[0]!)).toMatchObject({ health: "Healthy", revision: "s3://b/v2.zip#e2", deploymentId: "d-HEALTH002" });
    expect([...health.values()].filter((r) => r.health === "Unhealthy")).toHaveLength(8);
    expect((await registry.instanceHealth(other)).size).toBe(0);
  });

  it("a missing table is Deploy.RegistryTableMissing naming it (not the user's Deploy.ResourceNotFound)", async () => {
    const other = new DynamoDbRegistryStore(db.client, "no-such-table");
    expect(await failure(other.getLock(freshGroup()))).toMatchObject({
      name: "Deploy.RegistryTableMissing",
      message: expect.stringContaining("the registry table 'no-such-table' (STEPDEPLOY_TABLE) does not exist"),
    });
  });
});

describe("error mapping at the SDK edge", () => {
  const client = new DynamoDBClient({ region: "us-east-1" });
  const ddb = mockClient(client); // this instance only: the dynalite client stays real
  const s = new DynamoDbRegistryStore(client, "t");
  const sdkError = (name: string, fault: "client" | "server" = "client", status = 400) =>
    Object.assign(new Error(`${name} happened`), {
      name,
      $fault: fault,
      $metadata: { httpStatusCode: status },
    });

  afterAll(() => ddb.restore());

  it("ConditionalCheckFailedException -> Registry.PreconditionFailed; throttling/5xx -> Deploy.Transient; others -> Deploy.AwsError", async () => {
    const cases: [string, Error][] = [
      ["Deploy.Transient", sdkError("ProvisionedThroughputExceededException")],
      ["Deploy.Transient", sdkError("InternalServerError", "server", 500)],
      ["Deploy.AwsError", sdkError("AccessDeniedException")],
    ];
    ddb.reset();
    ddb.on(PutItemCommand).rejects(sdkError("ConditionalCheckFailedException"));
    expect(
      await failure(
        s.putQueueEntry({
          ...freshGroup(),
          deploymentId: freshId(),
          sequence: 1,
          enqueuedAt: T,
        }),
      ),
    ).toMatchObject({ name: "Registry.PreconditionFailed" });
    for (const [name, error] of cases) {
      ddb.reset();
      ddb.on(GetItemCommand).rejects(error);
      expect(await failure(s.getLock(freshGroup()))).toMatchObject({
        name,
        message: expect.stringContaining(error.name),
      });
    }
  });

  it("the table name comes from STEPDEPLOY_TABLE", () => {
    const saved = process.env.STEPDEPLOY_TABLE;
    try {
      delete process.env.STEPDEPLOY_TABLE;
      expect(() =>
        createDynamoDbRegistry({
          client: new DynamoDBClient({ region: "us-east-1" }),
        }),
      ).toThrow(/STEPDEPLOY_TABLE: is not set/);
      process.env.STEPDEPLOY_TABLE = "from-env";
      expect(
        createDynamoDbRegistry({
          client: new DynamoDBClient({ region: "us-east-1" }),
        }),
      ).toBeDefined();
    } finally {
      if (saved === undefined) delete process.env.STEPDEPLOY_TABLE;
      else process.env.STEPDEPLOY_TABLE = saved;
    }
  });
});

describe("table definition", () => {
  it("is one table, two GSIs keyed for history by group and by status", () => {
    expect(REGISTRY_TABLE_DEFINITION.KeySchema).toEqual([
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ]);
    expect(REGISTRY_TABLE_DEFINITION.GlobalSecondaryIndexes.map((g) => [g.IndexName, g.KeySchema.map((k) => k.AttributeName)])).toEqual([
      ["byGroup", ["groupKey", "historyKey"]],
      ["byStatus", ["statusKey", "historyKey"]],
    ]);
  });

  it("the CloudFormation resource and the CreateTable input are the same definition", () => {
    const { Properties } = registryTableResource("stepdeploy-dev-registry");
    const { TableName, ...input } = registryCreateTableInput("stepdeploy-dev-registry");
    expect(Properties).toEqual({ TableName, ...input });
    expect(input).toEqual(REGISTRY_TABLE_DEFINITION);
  });

  it("CreateTable input is accepted as sent", async () => {
    const client = new DynamoDBClient({ region: "us-east-1" });
    const ddb = mockClient(client);
    ddb.on(CreateTableCommand).resolves({});
    await client.send(new CreateTableCommand(registryCreateTableInput("x")));
    expect(ddb.commandCalls(CreateTableCommand)[0]!.args[0].input).toEqual({
      TableName: "x",
      ...REGISTRY_TABLE_DEFINITION,
    });
    ddb.restore();
  });
});

describe("attribute mapping", () => {
  it("JSON values round-trip through AttributeValues", () => {
    const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.parse(JSON.stringify(v, (_k, x) => (Object.is(x, -0) ? 0 : x))) as JsonValue);
    fc.assert(
      fc.property(json, (v) => {
        expect(fromAttribute(toAttribute(v))).toEqual(v);
      }),
      { numRuns: 1000 },
    );
  });

  it("a record with a nested free-form target survives the table unchanged", async () => {
    const record = newDeploymentRecord(
      lambdaDeployment(freshGroup(), freshId(), {
        target: {
          functionName: "f",
          weights: { "4": 0.1 },
          list: [1, "two", null, true, { deep: [] }],
          empty: "",
        },
        description: "",
      }),
      T,
    );
    await store.putDeployment(record);
    expect(await store.getDeployment(record.deploymentId)).toEqual(record);
  });
});
