import { afterAll, beforeAll, expect, it } from "vitest";
import { getWaiting } from "../../../functions/adapters/dynamodb-callbacks.js";
import { createDynamoDbRegistry } from "../../../functions/adapters/dynamodb-registry.js";
import { ErrorNames } from "../../../functions/domain/errors.js";
import { type LocalDynamoDb, startDynalite } from "../../../local/emulators/dynalite.js";

/**
 * A missing registry table is stepdeploy's own resource missing, not the user's: it must never read as
 * Deploy.ResourceNotFound (a missing function, alias or hook), and it names the table and who creates it.
 */
let db: LocalDynamoDb;
beforeAll(async () => {
  db = await startDynalite("present");
});
afterAll(() => db.close());

it("the registry and the callbacks name the missing table, under their own error name", async () => {
  const registry = createDynamoDbRegistry({ client: db.client, tableName: "absent-registry" });
  const fromRegistry = await registry.getDeployment("d-ABCDEFGH1").catch((e: Error) => e);
  expect(fromRegistry).toMatchObject({ name: ErrorNames.RegistryTableMissing });
  expect((fromRegistry as Error).message).toMatch(/the registry table 'absent-registry' \(STEPDEPLOY_TABLE\) does not exist at this endpoint; deploy the stack, or use `stepdeploy run`, which creates it$/);

  const saved = process.env.STEPDEPLOY_TABLE;
  process.env.STEPDEPLOY_TABLE = "absent-callbacks";
  try {
    const fromCallbacks = await getWaiting("d-ABCDEFGH1", db.client).catch((e: Error) => e);
    expect(fromCallbacks).toMatchObject({ name: ErrorNames.RegistryTableMissing, message: expect.stringContaining("'absent-callbacks'") });
  } finally {
    if (saved === undefined) delete process.env.STEPDEPLOY_TABLE;
    else process.env.STEPDEPLOY_TABLE = saved;
  }
});

it("other failures keep their names: a present table answers", async () => {
  expect(await createDynamoDbRegistry({ client: db.client, tableName: "present" }).getDeployment("d-ABCDEFGH1")).toBeUndefined();
});
