import type { SimAccount } from "../../local/account/index.js";
import { type LocalDynamoDb, startDynalite } from "../../local/emulators/dynalite.js";

/** The account served on 127.0.0.1 and a DynamoDB (dynalite) holding only someone else's table, for one test of `run --endpoint`. */
export async function withEndpoint<T>(account: SimAccount, fn: (endpoint: string, db: LocalDynamoDb) => Promise<T>): Promise<T> {
  const server = await account.serve();
  const db = await startDynalite("someone-elses-table");
  try {
    return await fn(server.endpoint, db);
  } finally {
    await server.close();
    await db.close();
  }
}
