import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { SFNClient } from "@aws-sdk/client-sfn";
import { afterEach, beforeEach, describe } from "vitest";
import { SimAccount } from "../../../local/account/index.js";
import { InProcessNetwork } from "../../../local/account/shared/transport/in-process.js";
import { SimClock } from "../../../local/clock.js";

/**
 * A simulated account plus real SDK v3 clients pointed at it (region us-east-1, dummy credentials),
 * over either transport: `in-process` (the SDK's request-handler seam; the default, as the
 * simulator uses it) or `http` (served on 127.0.0.1, as `run --endpoint` uses it).
 */
export type Transport = "in-process" | "http";
export const TRANSPORTS: Transport[] = ["in-process", "http"];

export interface Harness {
  clock: SimClock;
  account: SimAccount;
  transport: Transport;
  lambda: LambdaClient;
  cloudwatch: CloudWatchClient;
  events: EventBridgeClient;
  sfn: SFNClient;
  /** Client config for building clients with other options (e.g. maxAttempts). */
  config: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string }; requestHandler?: InProcessNetwork };
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

export async function startAccount(setup: unknown = ORDERS_SETUP, timeline?: unknown[], transport: Transport = "in-process"): Promise<Harness> {
  const clock = new SimClock();
  const account = SimAccount.fromSetup(setup, { clock });
  if (timeline) account.applyTimeline(timeline);
  const credentials = { accessKeyId: "test", secretAccessKey: "test" };
  let config: Harness["config"];
  let stop: () => Promise<void>;
  if (transport === "http") {
    const server = await account.serve();
    config = { endpoint: server.endpoint, region: "us-east-1", credentials };
    stop = () => server.close();
  } else {
    const network = new InProcessNetwork();
    config = { endpoint: account.serveInProcess(network), region: "us-east-1", credentials, requestHandler: network };
    stop = async () => network.destroy();
  }
  const lambda = new LambdaClient(config);
  const cloudwatch = new CloudWatchClient(config);
  const events = new EventBridgeClient(config);
  const sfn = new SFNClient(config);
  return {
    clock,
    account,
    transport,
    lambda,
    cloudwatch,
    events,
    sfn,
    config,
    close: async () => {
      for (const c of [lambda, cloudwatch, events, sfn]) c.destroy();
      await stop();
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

/**
 * Runs `tests` once per transport, each test on a fresh account built from `setup`, handed to `use`
 * before the test runs (and closed after it): the account answers the same over both.
 */
export function describeEachTransport(setup: unknown, use: (h: Harness) => void, tests: (transport: Transport) => void): void {
  describe.each(TRANSPORTS)("over the %s transport", (transport) => {
    let harness: Harness | undefined;
    beforeEach(async () => {
      harness = await startAccount(setup, undefined, transport);
      use(harness);
    });
    afterEach(async () => {
      await harness?.close();
    });
    tests(transport);
  });
}

/** The sample event of the event-ruler README ("Ruler by Example"), the library EventBridge matches with. */
export const RULER_SAMPLE_EVENT = {
  version: "0",
  id: "ddddd4-aaaa-7777-4444-345dd43cc333",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "012345679012",
  time: "2017-10-02T16:24:49Z",
  region: "us-east-1",
  resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
  detail: { "c-count": 5, "d-count": 3, "x-limit": 301.8, "source-ip": "10.0.0.33", "instance-id": "i-000000aaaaaa00000", state: "running" },
};
