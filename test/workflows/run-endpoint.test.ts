import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { CreateTableCommand, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDynamoDbRegistry } from "../../functions/adapters/dynamodb-registry.js";
import { SimAccount } from "../../local/account/index.js";
import { SimClock } from "../../local/clock.js";
import { type LocalDynamoDb, startDynalite } from "../../local/emulators/dynalite.js";
import { runInput } from "../../local/run/run-input.js";
import { RunRefused } from "../../local/run/run-modes.js";
import { PROJECT_ROOT } from "../../local/simulate/run-scenario.js";
import { withEndpoint } from "../support/endpoint.js";

/**
 * `stepdeploy run --endpoint`: the workflow runs locally and talks only HTTP, with the real AWS wire protocols, to
 * an endpoint where only the user's resources exist (function, versions, alias, alarms, hooks). Here the endpoint
 * is the simulated account served on 127.0.0.1, as LocalStack or moto would be, with DynamoDB in dynalite (holding
 * an unrelated table only): run creates stepdeploy's own registry table and event bus, or refuses before anything.
 */
const inputFile = join(PROJECT_ROOT, "events", "deploy-lambda.input.json");
const STACK_TABLE = "stepdeploy-local-registry";
const STACK_BUS = "stepdeploy-local";
const baseInput = (): Record<string, unknown> => JSON.parse(readFileSync(inputFile, "utf8"));

function userResources(alarmState: "OK" | "ALARM" = "OK"): SimAccount {
  return SimAccount.fromSetup(
    {
      functions: [{ name: "orders", versions: 4, aliases: { live: "3" } }],
      hooks: [
        { name: "CodeDeployHook_orders_preTraffic", results: [{ status: "Succeeded" }] },
        { name: "CodeDeployHook_orders_postTraffic", results: [{ status: "Succeeded" }] },
      ],
      alarms: [
        { name: "orders-errors", state: alarmState },
        { name: "orders-latency-p99", state: "OK" },
      ],
    },
    { clock: new SimClock() },
  );
}

async function tableExists(db: LocalDynamoDb, name: string): Promise<boolean> {
  return db.client.send(new DescribeTableCommand({ TableName: name })).then(
    () => true,
    () => false,
  );
}


describe("stepdeploy run --endpoint, nothing of stepdeploy's pre-created", () => {
  let account: SimAccount;
  let server: { endpoint: string; close(): Promise<void> };
  let dynamo: LocalDynamoDb;
  beforeAll(async () => {
    account = userResources();
    server = await account.serve();
    dynamo = await startDynalite("someone-elses-table");
  });
  afterAll(async () => {
    await server.close();
    await dynamo.close();
  });

  // The spawned CLI may rebuild its bundle first; on a loaded machine that alone can take most of a minute.
  it("the CLI creates the registry table and the event bus, runs the canary and reports it as JSON", { timeout: 150_000 }, async () => {
    // Async spawn: the endpoint lives in this process and must keep serving while the CLI runs.
    const out = await promisify(execFile)(process.execPath, ["bin/stepdeploy.mjs", "run", inputFile, "--endpoint", server.endpoint, "--json"], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      env: { ...process.env, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "k", AWS_SECRET_ACCESS_KEY: "s", AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, POWERTOOLS_LOG_LEVEL: "SILENT", STEPDEPLOY_TABLE: "" },
      timeout: 140_000,
    });
    const report = JSON.parse(out.stdout);
    expect(report.owned).toEqual([
      { kind: "registry table", name: STACK_TABLE, source: "stack default", action: "created" },
      { kind: "event bus", name: STACK_BUS, source: "stack default", action: "created" },
    ]);
    expect(report.notices).toEqual([expect.stringMatching(/^alarmMonitoring: polling every 60 s/)]);
    expect(report.status).toBe("SUCCEEDED");
    expect(report.clock).toBe("compressed");
    expect(report.deploymentId).toMatch(/^d-[A-Z0-9]{9}$/);
    expect(report.finalAlias).toEqual({ functionVersion: "4", additionalVersionWeights: {} });
    expect(report.timeline.map((t: { atSeconds: number; weight: number }) => [t.atSeconds, t.weight])).toEqual([
      [0, 10],
      [300, 100],
    ]);
    expect(Date.parse(report.endedAt) - Date.parse(report.startedAt)).toBe(300_000);
    expect(report.events.map((e: { detail: { state: string } }) => e.detail.state)).toEqual(["START", "SUCCESS"]);
    // The account saw real protocol traffic: the bus was created, the alias changed and both events arrived over HTTP.
    expect(account.callCounts()["EventBridge.CreateEventBus"]).toBe(1);
    expect(account.getAlias("orders", "live")).toMatchObject({ functionVersion: "4", additionalVersionWeights: {} });
    expect(account.events.map((e) => e.detail.state)).toEqual(["START", "SUCCESS"]);
    expect(account.callCounts()["Lambda.UpdateAlias"]).toBe(2);
    // The deployment is in the table run created, with the stack's definition (its indexes answer history queries).
    const registry = createDynamoDbRegistry({ client: dynamo.client, tableName: STACK_TABLE });
    expect(await registry.getDeployment(report.deploymentId)).toMatchObject({ status: "Succeeded" });
  });

  it("a second run uses what the first created; a failing hook rolls back with a readable cause", async () => {
    account.setHook("CodeDeployHook_orders_postTraffic", { results: [{ status: "Failed", reason: "checkout smoke test failed" }] });
    // The first run left the alias on 4.
    const input = { ...baseInput(), currentVersion: "4", targetVersion: "2" };
    const report = await runInput(input, { endpoint: server.endpoint, dynamoDbEndpoint: dynamo.endpoint, env: {} });
    expect(report.owned.map((o) => o.action)).toEqual(["used", "used"]);
    expect(report.status).toBe("FAILED");
    expect(report.error).toBe("Deploy.HookFailed");
    expect(report.cause).toContain("checkout smoke test failed");
    expect(() => JSON.parse(report.cause ?? "")).toThrow();
    expect(report.finalAlias).toEqual({ functionVersion: "4", additionalVersionWeights: {} });
    expect(report.timeline.map((t) => t.weight)).toEqual([10, 100, 0]);
  });
});

describe("stepdeploy run: outcomes and refusals", () => {
  it("an alarm already firing ends FAILED with Deploy.AlarmTriggered and the alias fully back", async () => {
    await withEndpoint(userResources("ALARM"), async (endpoint, db) => {
      const report = await runInput(baseInput(), { endpoint, dynamoDbEndpoint: db.endpoint, env: {} });
      expect(report.status).toBe("FAILED");
      expect(report.error).toBe("Deploy.AlarmTriggered");
      expect(report.cause).toContain("orders-errors");
      expect(report.finalAlias).toEqual({ functionVersion: "3", additionalVersionWeights: {} });
      expect(report.timeline.filter((t) => t.weight > 0)).toEqual([]);
    });
  });

  it("a user's STEPDEPLOY_TABLE is used, not overwritten by the stack's name; a missing one is refused", async () => {
    const account = userResources();
    await withEndpoint(account, async (endpoint, db) => {
      const refused = await runInput(baseInput(), { endpoint, dynamoDbEndpoint: db.endpoint, env: { STEPDEPLOY_TABLE: "team-registry" } }).catch((e) => e);
      expect(refused).toBeInstanceOf(RunRefused);
      expect(refused.problems).toEqual([{ field: "STEPDEPLOY_TABLE", reason: expect.stringContaining("table 'team-registry' does not exist at the endpoint") }]);
      // Refused before anything: neither the stack's table nor the bus was created.
      expect(await tableExists(db, STACK_TABLE)).toBe(false);
      expect(account.callCounts()["EventBridge.CreateEventBus"]).toBeUndefined();

      const { ensureTable } = await import("../../local/emulators/dynalite.js");
      await ensureTable({ ...db, tableName: "team-registry" }, "team-registry");
      const report = await runInput({ ...baseInput(), deploymentConfig: "CodeDeployDefault.LambdaAllAtOnce" }, { endpoint, dynamoDbEndpoint: db.endpoint, env: { STEPDEPLOY_TABLE: "team-registry" } });
      expect(report.status).toBe("SUCCEEDED");
      expect(report.owned[0]).toEqual({ kind: "registry table", name: "team-registry", source: "environment", action: "used" });
      expect(await tableExists(db, STACK_TABLE)).toBe(false);
      expect(await createDynamoDbRegistry({ client: db.client, tableName: "team-registry" }).getDeployment(report.deploymentId)).toMatchObject({ status: "Succeeded" });
    });
  });

  it("--event-bus names the bus the notifications go to; a table that is not a registry is refused", async () => {
    const account = SimAccount.fromSetup({ functions: [{ name: "orders", versions: 4, aliases: { live: "3" } }], eventBuses: ["team-bus"] }, { clock: new SimClock() });
    await withEndpoint(account, async (endpoint, db) => {
      const input = { application: "orders-app", deploymentGroup: "orders-prod", functionName: "orders", alias: "live", targetVersion: "4" };
      await db.client.send(
        new CreateTableCommand({ TableName: "orders-data", AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }], KeySchema: [{ AttributeName: "id", KeyType: "HASH" }], BillingMode: "PAY_PER_REQUEST" }),
      );
      const notRegistry = await runInput(input, { endpoint, dynamoDbEndpoint: db.endpoint, table: "orders-data", env: {} }).catch((e) => e);
      expect(notRegistry).toBeInstanceOf(RunRefused);
      expect(notRegistry.message).toBe("--table: table 'orders-data' is not a stepdeploy registry: its key is id:HASH, the registry's is pk:HASH,sk:RANGE; it has no index byGroup; it has no index byStatus; name another table");
      const report = await runInput(input, { endpoint, dynamoDbEndpoint: db.endpoint, eventBus: "team-bus", env: {} });
      expect(report.status).toBe("SUCCEEDED");
      expect(report.owned[1]).toEqual({ kind: "event bus", name: "team-bus", source: "flag", action: "used" });
      expect(account.events.map((e) => [e.eventBusName, e.detail.state])).toEqual([
        ["team-bus", "START"],
        ["team-bus", "SUCCESS"],
      ]);
    });
  });
});
