import { GetAliasCommand, LambdaClient, UpdateAliasCommand } from "@aws-sdk/client-lambda";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterEach, describe, expect, it } from "vitest";
import { SimAccount } from "../../../local/account/index.js";
import { InProcessNetwork } from "../../../local/account/shared/transport/in-process.js";
import { SimClock } from "../../../local/clock.js";
import { ApiMeter, meterApiCalls } from "../../../local/runtime/api-meter.js";
import { ORDERS_SETUP } from "./helpers.js";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

describe("the in-process network", () => {
  it("reaches an endpoint it does not serve over real HTTP, and its own endpoints without a socket", async () => {
    const network = new InProcessNetwork();
    const inside = SimAccount.fromSetup(ORDERS_SETUP, { clock: new SimClock() });
    const outside = SimAccount.fromSetup({ functions: [{ name: "orders", versions: 2, aliases: { live: "1" } }] }, { clock: new SimClock() });
    const served = await outside.serve();
    closers.push(() => served.close(), () => network.destroy());
    const viaNetwork = (endpoint: string) => new LambdaClient({ endpoint, region: "us-east-1", credentials, requestHandler: network, maxAttempts: 1 });
    expect((await viaNetwork(inside.serveInProcess(network)).send(new GetAliasCommand({ FunctionName: "orders", Name: "live" }))).FunctionVersion).toBe("3");
    expect((await viaNetwork(served.endpoint).send(new GetAliasCommand({ FunctionName: "orders", Name: "live" }))).FunctionVersion).toBe("1");
    expect([inside.calls.length, outside.calls.length]).toEqual([1, 1]);
  });

  it("lets the SDK retry injected throttles, and the API meter counts every attempt, as over HTTP", async () => {
    const network = new InProcessNetwork();
    const account = SimAccount.fromSetup(ORDERS_SETUP, { clock: new SimClock() });
    account.addFault({ operation: "UpdateAlias", kind: "throttle", count: 2, retryAfterSeconds: 0 });
    const meter = new ApiMeter();
    meterApiCalls(meter);
    const client = new LambdaClient({ endpoint: account.serveInProcess(network), region: "us-east-1", credentials, requestHandler: network });
    const out = await client.send(new UpdateAliasCommand({ FunctionName: "orders", Name: "live", FunctionVersion: "3", RoutingConfig: { AdditionalVersionWeights: { "4": 0.1 } } }));
    expect(out.$metadata.attempts).toBe(3);
    expect(meter.snapshot()).toEqual({ "Lambda.UpdateAlias": 3 });
    expect(account.callCounts()).toEqual({ "Lambda.UpdateAlias": 3 });
    expect(account.aliasHistory).toHaveLength(1);
  });

  it("fails a request it was asked to drop like a reset connection, after the hold", async () => {
    const network = new InProcessNetwork();
    const endpoint = network.attach("silent", () => ({ kind: "drop", holdMs: 30 }));
    const started = performance.now();
    const e = await new LambdaClient({ endpoint, region: "us-east-1", credentials, requestHandler: network, maxAttempts: 1 })
      .send(new GetAliasCommand({ FunctionName: "orders", Name: "live" }))
      .catch((x: Error & { code?: string }) => x);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect([(e as Error).name, (e as { code?: string }).code, (e as Error).message]).toEqual(["TimeoutError", "ECONNRESET", "socket hang up"]);
  });

  it("hands a server's answers over as streams when it has streaming outputs (S3 GetObject's Body), as bytes otherwise", async () => {
    const network = new InProcessNetwork();
    const object = () => ({ kind: "response" as const, response: { status: 200, headers: { "content-type": "text/plain", etag: '"1"' }, body: "hello" } });
    const get = (endpoint: string) =>
      new S3Client({ endpoint, region: "us-east-1", credentials, requestHandler: network, forcePathStyle: true, maxAttempts: 1 }).send(new GetObjectCommand({ Bucket: "b", Key: "k" }));
    const streamed = await get(network.attach("streaming-s3", object, { streamingBodies: true }));
    expect(await streamed.Body?.transformToString()).toBe("hello");
    const bytes = await get(network.attach("bytes-s3", object)).catch((e: Error) => e);
    expect((bytes as Error).message).toMatch(/stream/i);
  });
});
