import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SimAccount, type ServedAccount } from "../../../local/account/index.js";
import { SimClock } from "../../../local/clock.js";

/** A served simulated account plus real SDK v3 clients pointed at it (region us-east-1, dummy credentials). */
export interface Harness {
  clock: SimClock;
  account: SimAccount;
  server: ServedAccount;
  lambda: LambdaClient;
  cloudwatch: CloudWatchClient;
  events: EventBridgeClient;
  sfn: SFNClient;
  /** Client config for building clients with other options (e.g. maxAttempts). */
  config: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  close(): Promise<void>;
}

export const ORDERS_SETUP = {
  functions: [{ name: "orders", versions: 4, aliases: { live: "3" } }],
  hooks: [
    { name: "CodeDeployHook_pre", results: [{ status: "Succeeded" }], latencySeconds: 5 },
    { name: "CodeDeployHook_post", results: [{ status: "Failed", reason: "smoke test failed" }] },
  ],
  alarms: [{ name: "orders-errors", state: "OK" }],
  eventBuses: ["stepdeploy-dev"],
};

export async function startAccount(setup: unknown = ORDERS_SETUP, timeline?: unknown[]): Promise<Harness> {
  const clock = new SimClock();
  const account = SimAccount.fromSetup(setup, { clock });
  if (timeline) account.applyTimeline(timeline);
  const server = await account.serve();
  const config = { endpoint: server.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } };
  const lambda = new LambdaClient(config);
  const cloudwatch = new CloudWatchClient(config);
  const events = new EventBridgeClient(config);
  const sfn = new SFNClient(config);
  return {
    clock,
    account,
    server,
    lambda,
    cloudwatch,
    events,
    sfn,
    config,
    close: async () => {
      for (const c of [lambda, cloudwatch, events, sfn]) c.destroy();
      await server.close();
    },
  };
}

/** The rejection of `p`, for asserting on SDK error names and metadata. */
export async function failure(p: Promise<unknown>): Promise<Error & { $metadata: { httpStatusCode?: number; attempts?: number }; $fault?: string; [k: string]: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as never;
  }
  throw new Error("expected the call to fail");
}

export const json = (bytes: Uint8Array | undefined): unknown => JSON.parse(Buffer.from(bytes ?? new Uint8Array()).toString("utf8"));
export const payload = (v: unknown): Uint8Array => Buffer.from(JSON.stringify(v));
