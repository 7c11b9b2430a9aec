import { createRequire } from "node:module";
import type { RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { registryCreateTableInput } from "../../functions/adapters/dynamodb-registry.js";
import { InProcessNetwork, type InProcessServer } from "../account/shared/transport/in-process.js";
import { inMemoryListener } from "./in-memory-listener.js";

/** The slice of dynalite's API used here (the package ships no types): it returns a Node http.Server. */
interface DynaliteServer {
  listen(port: number, host: string, callback: (err?: Error) => void): void;
  address(): AddressInfo | string | null;
  listeners(event: "request"): RequestListener[];
  close(callback: (err?: Error) => void): void;
}
type DynaliteFactory = (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => DynaliteServer;

const dynalite = createRequire(import.meta.url)("dynalite") as DynaliteFactory;

export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** The same dynalite served in-process (attach it to an InProcessNetwork): its own request listener, no socket. */
  inProcess: InProcessServer;
  /** A client of this dynalite, in-process (the real SDK and wire protocol, no socket). */
  client: DynamoDBClient;
  tableName: string;
  close(): Promise<void>;
}

/**
 * dynalite on 127.0.0.1 and an ephemeral port, in memory: the real DynamoDB wire protocol, conditional writes and
 * GSIs; no TransactWriteItems. Creates the registry table from the exported definition (the same one the stack
 * deploys) and waits until it is ACTIVE. `close()` stops the server and drops the data.
 */
/** Creates the registry table in a running dynalite if it is not there yet. */
export async function ensureTable(db: LocalDynamoDb, tableName: string): Promise<void> {
  try {
    await db.client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch {
    await db.client.send(new CreateTableCommand(registryCreateTableInput(tableName)));
  }
}

export async function startDynalite(tableName = "stepdeploy-test"): Promise<LocalDynamoDb> {
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => server.listen(0, "127.0.0.1", (err) => (err ? reject(err) : resolve())));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const inProcess = inMemoryListener(server.listeners("request")[0] as RequestListener);
  // The returned client talks to this dynalite in-process (the same wire protocol, no socket): the
  // tests that drive the registry through it made thousands of loopback HTTP round trips. The
  // endpoint stays open for what needs a socket (`run --endpoint`, the CLI against an endpoint).
  const network = new InProcessNetwork();
  const client = new DynamoDBClient({
    endpoint: network.attach("dynamodb", inProcess),
    requestHandler: network,
    region: "us-east-1",
    credentials: { accessKeyId: "DYNALITE", secretAccessKey: "DYNALITE" },
  });
  const close = async () => {
    client.destroy();
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  };
  try {
    await client.send(new CreateTableCommand(registryCreateTableInput(tableName)));
    for (let i = 0; i < 100; i++) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === "ACTIVE");
      if (Table?.TableStatus === "ACTIVE" && indexesActive) return { endpoint, inProcess, client, tableName, close };
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`dynalite: table ${tableName} did not become ACTIVE`);
  } catch (e) {
    await close();
    throw e;
  }
}
