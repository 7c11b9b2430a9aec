import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { clearWaiting, getWaiting, putWaiting, watchersOf } from "../../../functions/adapters/dynamodb-callbacks.js";
import { type LocalDynamoDb, startDynalite } from "../../support/dynalite.js";

/** The task-token store at the SDK edge, on dynalite: what the bake, pause and queue store, what the alarm listener finds. */
let db: LocalDynamoDb;
beforeAll(async () => {
  db = await startDynalite("stepdeploy-callbacks-test");
  vi.stubEnv("STEPDEPLOY_TABLE", db.tableName);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await db?.close();
});

const bake = { deploymentId: "d-CALLBACK1", token: "token-1", kind: "bake" as const, stepIndex: 0, weight: 10, bakeEndsAtMs: 300_000, alarms: ["orders-errors", "orders-p99"], account: "123456789012", region: "us-east-1" };

describe("callbacks on DynamoDB", () => {
  it("a wait round-trips, and every watched alarm points at its token with the deployment's account and region", async () => {
    await putWaiting(bake, db.client);
    expect(await getWaiting("d-CALLBACK1", db.client)).toEqual(bake);
    for (const alarm of bake.alarms) expect(await watchersOf(alarm, db.client)).toEqual([{ deploymentId: "d-CALLBACK1", token: "token-1", account: "123456789012", region: "us-east-1" }]);
  });

  it("clearing removes the wait and its watches, and is idempotent", async () => {
    await clearWaiting("d-CALLBACK1", bake.alarms, db.client);
    await clearWaiting("d-CALLBACK1", bake.alarms, db.client);
    expect(await getWaiting("d-CALLBACK1", db.client)).toBeUndefined();
    expect(await watchersOf("orders-errors", db.client)).toEqual([]);
  });

  it("a queue wait watches no alarm", async () => {
    await putWaiting({ deploymentId: "d-CALLBACK2", token: "q", kind: "queue", stepIndex: -1, weight: 0, alarms: [] }, db.client);
    expect(await getWaiting("d-CALLBACK2", db.client)).toMatchObject({ kind: "queue", token: "q" });
  });
});
