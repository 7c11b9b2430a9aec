// @long-running: started early from a fresh clone (vitest.config.ts, LongestFirst).
import { expect, it } from "vitest";
import { createDynamoDbRegistry } from "../../functions/adapters/dynamodb-registry.js";
import { SimAccount } from "../../local/account/index.js";
import { SimClock } from "../../local/clock.js";
import { startDynalite } from "../../local/emulators/dynalite.js";
import { runInput } from "../../local/run/run-input.js";

/**
 * `stepdeploy run --real-time` against the simulated account served over HTTP: the shortest bake CodeDeploy's
 * shapes allow (one minute, a step list) is waited out on the wall clock (the bake watcher polling the alarm every
 * 20 s), and the report's timeline and the registry's times are real times. The only slow test of `run` (a minute).
 */
const BAKE_SECONDS = 60;

it("a one-minute canary takes a minute of wall time, and every time reported is a wall-clock time", { timeout: 150_000 }, async () => {
  const account = SimAccount.fromSetup(
    { functions: [{ name: "orders", versions: 2, aliases: { live: "1" } }], alarms: [{ name: "orders-errors", state: "OK" }] },
    { clock: new SimClock() },
  );
  const server = await account.serve();
  const db = await startDynalite("unrelated");
  try {
    const input = {
      application: "orders-app",
      deploymentGroup: "orders-prod",
      functionName: "orders",
      alias: "live",
      targetVersion: "2",
      deploymentConfig: { steps: [{ weight: 25, bakeMinutes: 1 }] },
      alarms: ["orders-errors"],
      alarmPollSeconds: 20,
    };
    const wallStart = Date.now();
    const report = await runInput(input, { endpoint: server.endpoint, dynamoDbEndpoint: db.endpoint, realTime: true, env: {} });
    const wallEnd = Date.now();
    expect(report.status).toBe("SUCCEEDED");
    expect(report.clock).toBe("real");
    const started = Date.parse(report.startedAt);
    const ended = Date.parse(report.endedAt);
    expect(started).toBeGreaterThanOrEqual(wallStart);
    expect(ended).toBeLessThanOrEqual(wallEnd);
    expect(ended - started).toBeGreaterThanOrEqual(BAKE_SECONDS * 1000);
    const [canary, full] = report.timeline;
    expect(canary?.weight).toBe(25);
    expect(full?.weight).toBe(100);
    expect(full!.atSeconds - canary!.atSeconds).toBeGreaterThanOrEqual(BAKE_SECONDS);
    expect(full!.atSeconds - canary!.atSeconds).toBeLessThan(BAKE_SECONDS + 15);
    expect(Date.parse(full!.at)).toBeLessThanOrEqual(wallEnd);
    // The registry's times are the handlers' clock: real.
    const record = await createDynamoDbRegistry({ client: db.client, tableName: "stepdeploy-local-registry" }).getDeployment(report.deploymentId);
    expect(record?.status).toBe("Succeeded");
    expect(Date.parse(String(record?.createTime))).toBeGreaterThanOrEqual(wallStart);
    expect(Date.parse(String(record?.endTime)) - Date.parse(String(record?.createTime))).toBeGreaterThanOrEqual(BAKE_SECONDS * 1000);
    expect(Date.parse(String(record?.endTime))).toBeLessThanOrEqual(wallEnd);
  } finally {
    await server.close();
    await db.close();
  }
});
