import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InProcessNetwork } from "../../../local/account/shared/transport/in-process.js";
import { type LocalDynamoDb, startDynalite } from "../../../local/emulators/dynalite.js";

/** dynalite served in-process through its own request listener keeps its wire protocol and its state. */
let dynamo: LocalDynamoDb;
let network: InProcessNetwork;
let client: DynamoDBClient;
beforeAll(async () => {
  dynamo = await startDynalite("in-process-registry");
  network = new InProcessNetwork();
  client = new DynamoDBClient({ endpoint: network.attach("dynamodb", dynamo.inProcess), region: "us-east-1", credentials: { accessKeyId: "k", secretAccessKey: "s" }, requestHandler: network, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await dynamo.close();
});

const put = (sk: string, condition?: string) =>
  client.send(new PutItemCommand({ TableName: "in-process-registry", Item: { pk: { S: "p" }, sk: { S: sk }, n: { N: "1" } }, ConditionExpression: condition }));

describe("dynalite in-process", () => {
  it("shares one store with its HTTP endpoint", async () => {
    await put("a");
    const overHttp = new DynamoDBClient({ endpoint: dynamo.endpoint, region: "us-east-1", credentials: { accessKeyId: "k", secretAccessKey: "s" } });
    const item = await overHttp.send(new GetItemCommand({ TableName: "in-process-registry", Key: { pk: { S: "p" }, sk: { S: "a" } } }));
    overHttp.destroy();
    expect(item.Item?.n).toEqual({ N: "1" });
  });

  it("refuses a conditional write as DynamoDB does, and the SDK parses its error", async () => {
    await put("b", "attribute_not_exists(pk)");
    const e = await put("b", "attribute_not_exists(pk)").catch((x: Error & { $metadata: { httpStatusCode?: number } }) => x);
    expect([(e as Error).name, (e as { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode]).toEqual(["ConditionalCheckFailedException", 400]);
  });

  it("answers a validation error for a malformed request in its own words", async () => {
    const e = await client.send(new CreateTableCommand({ TableName: "x", KeySchema: [], AttributeDefinitions: [], BillingMode: "PAY_PER_REQUEST" })).catch((x: Error) => x);
    expect((e as Error).name).toBe("ValidationException");
    expect((e as Error).message).toMatch(/TableName must be at least 3 characters long/);
  });
});
