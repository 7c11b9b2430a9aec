import { CloudWatchClient, DescribeAlarmsCommand, type DescribeAlarmsCommandOutput } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ErrorNames } from "../../../functions/domain/errors.js";
import { type CheckAlarmsEvent, handler as checkAlarms } from "../../../functions/handlers/checkAlarms.js";
import { type ConcludeFailureEvent, handler as concludeFailure } from "../../../functions/handlers/concludeFailure.js";
import { awsError, errorOf } from "./helpers.js";

/**
 * Step Functions may deliver a task twice (a Lambda retry after a lost response, a Retry on
 * Lambda.ServiceException). Each handler must answer the same input the same way, and do nothing
 * on the second run that the first did not (reads are fine, nothing else).
 */
const cloudwatch = mockClient(CloudWatchClient);
const lambda = mockClient(LambdaClient);
const dynamodb = mockClient(DynamoDBClient);
beforeAll(() => vi.stubEnv("STEPDEPLOY_TABLE", "stepdeploy-test"));
beforeEach(() => {
  cloudwatch.reset();
  lambda.reset();
  dynamodb.reset();
  dynamodb.on(GetItemCommand).resolves({}); // no recorded operator request
});
afterAll(() => {
  cloudwatch.restore();
  lambda.restore();
  dynamodb.restore();
  vi.unstubAllEnvs();
});

/** Only reads: the registry may be consulted, never written. */
function expectOnlyReads(): void {
  for (const call of dynamodb.calls()) expect(call.args[0]).toBeInstanceOf(GetItemCommand);
  expect(lambda.calls()).toHaveLength(0);
}

async function settle<T>(work: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; name: string; message: string }> {
  try {
    return { ok: true, value: await work };
  } catch (e) {
    return { ok: false, name: (e as Error).name, message: (e as Error).message };
  }
}

describe("checkAlarms twice with the same input", () => {
  const input: CheckAlarmsEvent = {
    deployment: { deploymentId: "d-TWICE0001", alarms: ["orders-errors", "orders-health"], alarmPollSeconds: 60, ignorePollAlarmFailure: false },
    step: { bakeSeconds: 300 },
    bake: { remaining: 300, sleep: 60, left: 240 },
  };

  it.each<[string, Partial<DescribeAlarmsCommandOutput>]>([
    ["all OK", { MetricAlarms: [{ AlarmName: "orders-errors", StateValue: "OK" }], CompositeAlarms: [{ AlarmName: "orders-health", StateValue: "OK" }] }],
    ["one in ALARM", { MetricAlarms: [{ AlarmName: "orders-errors", StateValue: "ALARM", StateReason: "5xx" }], CompositeAlarms: [{ AlarmName: "orders-health", StateValue: "OK" }] }],
    ["one missing", { MetricAlarms: [{ AlarmName: "orders-errors", StateValue: "OK" }] }],
  ])("%s: same result, two identical reads, nothing else", async (_label, reading) => {
    cloudwatch.on(DescribeAlarmsCommand).resolves(reading);
    const before = structuredClone(input);
    const first = await settle(checkAlarms(input));
    const second = await settle(checkAlarms(input));
    expect(second).toEqual(first);
    expect(input).toEqual(before);
    const reads = cloudwatch.commandCalls(DescribeAlarmsCommand);
    expect(reads).toHaveLength(2);
    expect(reads[1]!.args[0].input).toEqual(reads[0]!.args[0].input);
    expect(cloudwatch.calls()).toHaveLength(2);
    expectOnlyReads();
    // The second run made exactly the calls the first one did.
    const registryReads = dynamodb.calls().map((c) => c.args[0].input);
    expect(registryReads.length % 2).toBe(0);
    expect(registryReads.slice(registryReads.length / 2)).toEqual(registryReads.slice(0, registryReads.length / 2));
  });

  it("the happy path returns the same next tick both times", async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: "orders-errors", StateValue: "OK" }], CompositeAlarms: [{ AlarmName: "orders-health", StateValue: "OK" }] });
    expect(await checkAlarms(input)).toEqual({ remaining: 240, sleep: 60, left: 180 });
    expect(await checkAlarms(input)).toEqual({ remaining: 240, sleep: 60, left: 180 });
  });

  it("a read failure fails the same way both times", async () => {
    cloudwatch.on(DescribeAlarmsCommand).rejects(awsError("AccessDeniedException", { $fault: "client", httpStatusCode: 403, message: "no" }));
    const first = await errorOf(checkAlarms(input));
    const second = await errorOf(checkAlarms(input));
    expect(first.name).toBe(ErrorNames.AlarmReadFailed);
    expect([second.name, second.message]).toEqual([first.name, first.message]);
  });
});

describe("concludeFailure twice with the same input", () => {
  const events: ConcludeFailureEvent[] = [
    {
      deployment: { deploymentId: "d-TWICE0002", autoRollback: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] } },
      failure: { Error: "Deploy.AlarmTriggered", Cause: JSON.stringify({ errorType: "Deploy.AlarmTriggered", errorMessage: "alarm(s) in ALARM state: orders-errors" }) },
    },
    {
      deployment: { deploymentId: "d-TWICE0003", autoRollback: { enabled: false, events: [] } },
      failure: { Error: "Deploy.HookFailed", Cause: JSON.stringify({ errorType: "Deploy.HookFailed", errorMessage: "BeforeAllowTraffic hook h failed: 500" }) },
    },
    {
      deployment: { deploymentId: "d-TWICE0004", autoRollback: { enabled: true, events: ["DEPLOYMENT_FAILURE"] } },
      failure: { Error: "States.Timeout" },
    },
  ];

  it.each(events.map((e) => [e.failure.Error, e] as const))("%s: same outcome, no AWS call, input untouched", async (_label, event) => {
    const before = structuredClone(event);
    const first = await concludeFailure(event);
    const second = await concludeFailure(event);
    expect(second).toEqual(first);
    expect(event).toEqual(before);
    expect(cloudwatch.calls()).toHaveLength(0);
    expect(dynamodb.calls()).toHaveLength(0);
    expect(lambda.calls()).toHaveLength(0);
  });

  it("the alarm case: STOP, rolls back, reason read from the Lambda cause", async () => {
    const outcome = await concludeFailure(events[0]!);
    expect(outcome).toMatchObject({ error: "Deploy.AlarmTriggered", state: "STOP", rollback: true, reason: "alarm(s) in ALARM state: orders-errors" });
    expect(await concludeFailure(events[0]!)).toEqual(outcome);
  });
});
