import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimAccount } from "../../local/account/index.js";
import { SimClock } from "../../local/clock.js";
import { type LocalDynamoDb, startDynalite } from "../../local/emulators/dynalite.js";
import { runInput } from "../../local/run/run-input.js";
import { PROJECT_ROOT } from "../../local/simulate/run-scenario.js";

/**
 * `stepdeploy run --endpoint`: the workflow runs locally and talks only HTTP, with the real AWS
 * wire protocols, to an endpoint where the resources already exist. Here the endpoint is the
 * simulated account served on 127.0.0.1, as LocalStack or moto would be.
 */
const inputFile = join(PROJECT_ROOT, "events", "deploy-lambda.input.json");
let account: SimAccount;
let server: { endpoint: string; close(): Promise<void> };
// The stack's registry table exists at the endpoint too (DynamoDB through dynalite).
let dynamo: LocalDynamoDb;

function freshAccount(): SimAccount {
  const a = SimAccount.fromSetup(
    {
      functions: [{ name: "orders", versions: 4, aliases: { live: "3" } }],
      hooks: [
        { name: "CodeDeployHook_orders_preTraffic", results: [{ status: "Succeeded" }] },
        { name: "CodeDeployHook_orders_postTraffic", results: [{ status: "Succeeded" }] },
      ],
      alarms: [
        { name: "orders-errors", state: "OK" },
        { name: "orders-latency-p99", state: "OK" },
      ],
      eventBuses: ["stepdeploy-local"],
    },
    { clock: new SimClock() },
  );
  return a;
}

describe("stepdeploy run --endpoint", () => {
  beforeAll(async () => {
    account = freshAccount();
    server = await account.serve();
    dynamo = await startDynalite("stepdeploy-local-registry");
  });
  afterAll(async () => {
    await server.close();
    await dynamo.close();
  });

  it("the CLI binary runs the canary against the endpoint and reports it as JSON", async () => {
    // Async spawn: the endpoint lives in this process and must keep serving while the CLI runs.
    const out = await promisify(execFile)(process.execPath, ["bin/stepdeploy.mjs", "run", inputFile, "--endpoint", server.endpoint, "--json"], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      env: { ...process.env, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "k", AWS_SECRET_ACCESS_KEY: "s", AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, POWERTOOLS_LOG_LEVEL: "SILENT" },
      timeout: 60_000,
    });
    const report = JSON.parse(out.stdout);
    expect(report.status).toBe("SUCCEEDED");
    expect(report.deploymentId).toMatch(/^d-[A-Z0-9]{9}$/);
    expect(report.finalAlias).toEqual({ functionVersion: "4", additionalVersionWeights: {} });
    expect(report.timeline.map((t: { atSeconds: number; weight: number }) => [t.atSeconds, t.weight])).toEqual([
      [0, 10],
      [300, 100],
    ]);
    expect(report.events.map((e: { detail: { state: string } }) => e.detail.state)).toEqual(["START", "SUCCESS"]);
    // The account saw real protocol traffic: the alias changes and both events arrived over HTTP.
    expect(account.getAlias("orders", "live")).toMatchObject({ functionVersion: "4", additionalVersionWeights: {} });
    expect(account.events.map((e) => e.detail.state)).toEqual(["START", "SUCCESS"]);
    expect(account.callCounts()["Lambda.UpdateAlias"]).toBe(2);
  });

  it("a failing hook at the endpoint rolls back, in process too", async () => {
    const a = freshAccount();
    a.setHook("CodeDeployHook_orders_postTraffic", { results: [{ status: "Failed", reason: "checkout smoke test failed" }] });
    const s = await a.serve();
    try {
      const input = JSON.parse(readFileSync(inputFile, "utf8"));
      const report = await runInput(input, { endpoint: s.endpoint, dynamoDbEndpoint: dynamo.endpoint });
      expect(report.status).toBe("FAILED");
      expect(report.error).toBe("Deploy.HookFailed");
      expect(report.cause).toContain("checkout smoke test failed");
      expect(report.finalAlias).toEqual({ functionVersion: "3", additionalVersionWeights: {} });
      expect(report.timeline.map((t) => t.weight)).toEqual([10, 100, 0]);
    } finally {
      await s.close();
    }
  });
});
