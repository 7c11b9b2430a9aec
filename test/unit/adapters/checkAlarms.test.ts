import { CloudWatchClient, DescribeAlarmsCommand, type DescribeAlarmsCommandOutput, type StateValue } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ErrorNames, StepDeployError } from "../../../functions/domain/errors.js";
import { type CheckAlarmsEvent, handler } from "../../../functions/handlers/checkAlarms.js";
import { awsError, errorOf, OTHER_CASES, TRANSIENT_CASES } from "./helpers.js";

const cloudwatch = mockClient(CloudWatchClient);
// On a bake tick the handler also reads the deployment's record in the registry for operator
// requests (polling mode); here the record does not exist, so there is nothing to apply.
const dynamodb = mockClient(DynamoDBClient);
beforeAll(() => vi.stubEnv("STEPDEPLOY_TABLE", "stepdeploy-test"));
beforeEach(() => {
  cloudwatch.reset();
  dynamodb.reset();
  dynamodb.on(GetItemCommand).resolves({});
});
afterAll(() => {
  cloudwatch.restore();
  dynamodb.restore();
  vi.unstubAllEnvs();
});

const ALARMS = ["orders-errors", "orders-health"];

function event(overrides: Partial<CheckAlarmsEvent["deployment"]> = {}, rest: Omit<CheckAlarmsEvent, "deployment"> = { step: { bakeSeconds: 300 } }): CheckAlarmsEvent {
  return {
    deployment: { deploymentId: "d-CHECK0001", alarms: ALARMS, alarmPollSeconds: 60, ignorePollAlarmFailure: false, ...overrides },
    ...rest,
  };
}

/** orders-errors is a metric alarm, orders-health a composite one. */
function states(errors: StateValue, health: StateValue, reason = "Threshold Crossed: 3 datapoints were greater than the threshold (1.0)"): DescribeAlarmsCommandOutput {
  return {
    $metadata: {},
    MetricAlarms: [{ AlarmName: "orders-errors", StateValue: errors, StateReason: errors === "ALARM" ? reason : "ok" }],
    CompositeAlarms: [{ AlarmName: "orders-health", StateValue: health, StateReason: health === "ALARM" ? "orders-db transitioned to ALARM" : "ok" }],
  };
}

describe("checkAlarms: the next bake tick", () => {
  it("start of a step: reads the alarms, returns the first tick of the bake", async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves(states("OK", "OK"));
    expect(await handler(event())).toEqual({ remaining: 300, sleep: 60, left: 240 });
    const input = cloudwatch.commandCalls(DescribeAlarmsCommand)[0]!.args[0].input;
    expect(input.AlarmNames).toEqual(ALARMS);
    expect(input.AlarmTypes).toEqual(["MetricAlarm", "CompositeAlarm"]);
  });

  it("mid-bake: continues from the cursor", async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves(states("OK", "OK"));
    expect(await handler(event({}, { step: { bakeSeconds: 300 }, bake: { remaining: 300, sleep: 60, left: 240 } }))).toEqual({ remaining: 240, sleep: 60, left: 180 });
    expect(await handler(event({}, { bake: { remaining: 60, sleep: 60, left: 0 } }))).toEqual({ remaining: 0, sleep: 0, left: 0 });
    // The registry is only read (a consistent GetItem of the deployment), never written.
    expect(dynamodb.calls().length).toBeGreaterThan(0);
    for (const call of dynamodb.calls()) expect(call.args[0]).toBeInstanceOf(GetItemCommand);
  });

  it("the last tick is shorter than the poll interval", async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves(states("OK", "OK"));
    expect(await handler(event({ alarmPollSeconds: 60 }, { bake: { remaining: 100, sleep: 60, left: 40 } }))).toEqual({ remaining: 40, sleep: 40, left: 0 });
  });

  it("before the first hook (no step, no bake): a zero tick", async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves(states("OK", "OK"));
    expect(await handler(event({}, {}))).toEqual({ remaining: 0, sleep: 0, left: 0 });
    expect(cloudwatch.commandCalls(DescribeAlarmsCommand)).toHaveLength(1);
    expect(dynamodb.calls()).toHaveLength(0);
  });

  it("INSUFFICIENT_DATA does not stop a deployment", async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves(states("INSUFFICIENT_DATA", "INSUFFICIENT_DATA"));
    expect(await handler(event())).toEqual({ remaining: 300, sleep: 60, left: 240 });
  });

  it("no alarms configured: no CloudWatch call at all", async () => {
    expect(await handler(event({ alarms: [] }))).toEqual({ remaining: 300, sleep: 60, left: 240 });
    expect(cloudwatch.calls()).toHaveLength(0);
  });
});

describe("checkAlarms: stops the deployment", () => {
  it("a metric alarm in ALARM -> Deploy.AlarmTriggered naming the alarm and its reason", async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves(states("ALARM", "OK"));
    const e = await errorOf(handler(event()));
    expect(e).toBeInstanceOf(StepDeployError);
    expect(e.name).toBe(ErrorNames.AlarmTriggered);
    expect(e.message).toContain("orders-errors");
    expect(e.message).toContain("Threshold Crossed");
    expect(e.message).not.toContain("orders-health");
  });

  it("a composite alarm in ALARM -> Deploy.AlarmTriggered naming it", async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves(states("OK", "ALARM"));
    const e = await errorOf(handler(event()));
    expect(e.name).toBe(ErrorNames.AlarmTriggered);
    expect(e.message).toContain("orders-health");
  });

  it("an alarm CloudWatch does not return -> Deploy.AlarmNotFound naming it (never read as OK)", async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: "orders-errors", StateValue: "OK" }] });
    const e = await errorOf(handler(event()));
    expect(e.name).toBe(ErrorNames.AlarmNotFound);
    expect(e.message).toContain("orders-health");
    expect(e.message).not.toContain("orders-errors");
  });

  it.each(OTHER_CASES)("a non-transient read error (%s) -> Deploy.AlarmReadFailed carrying the AWS error name", async (label, make) => {
    cloudwatch.on(DescribeAlarmsCommand).rejects(make());
    const e = await errorOf(handler(event()));
    expect(e.name).toBe(ErrorNames.AlarmReadFailed);
    expect(e.message).toContain(label);
  });

  it.each(TRANSIENT_CASES)("a transient read error (%s) stays Deploy.Transient, for the state machine to retry", async (_label, make) => {
    cloudwatch.on(DescribeAlarmsCommand).rejects(make());
    const e = await errorOf(handler(event()));
    expect(e.name).toBe(ErrorNames.Transient);
  });
});

describe("checkAlarms: ignorePollAlarmFailure", () => {
  it.each([...OTHER_CASES, ...TRANSIENT_CASES])("an unreadable alarm state (%s) is ignored and the bake continues", async (_label, make) => {
    cloudwatch.on(DescribeAlarmsCommand).rejects(make());
    expect(await handler(event({ ignorePollAlarmFailure: true }))).toEqual({ remaining: 300, sleep: 60, left: 240 });
    expect(cloudwatch.commandCalls(DescribeAlarmsCommand)).toHaveLength(1);
  });

  it("does not hide an alarm that was read in ALARM", async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves(states("ALARM", "OK"));
    expect((await errorOf(handler(event({ ignorePollAlarmFailure: true })))).name).toBe(ErrorNames.AlarmTriggered);
  });

  it("does not hide a missing alarm (the read succeeded)", async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({});
    expect((await errorOf(handler(event({ ignorePollAlarmFailure: true })))).name).toBe(ErrorNames.AlarmNotFound);
  });
});

describe("checkAlarms: ignoredAlarms (alarms already firing at the start of a hot-fix)", () => {
  it("an ignored alarm in ALARM does not stop the deployment; another one does", async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves(states("ALARM", "OK"));
    expect(await handler(event({ ignoredAlarms: ["orders-errors"] }))).toEqual({ remaining: 300, sleep: 60, left: 240 });
    cloudwatch.on(DescribeAlarmsCommand).resolves(states("ALARM", "ALARM"));
    const e = await errorOf(handler(event({ ignoredAlarms: ["orders-errors"] })));
    expect(e.name).toBe(ErrorNames.AlarmTriggered);
    expect(e.message).toContain("orders-health");
    expect(e.message).not.toContain("orders-errors");
  });

  it("an ignored alarm that no longer exists is still AlarmNotFound", async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ CompositeAlarms: [{ AlarmName: "orders-health", StateValue: "OK" }] });
    expect((await errorOf(handler(event({ ignoredAlarms: ["orders-errors"] })))).name).toBe(ErrorNames.AlarmNotFound);
  });
});

it("a ResourceNotFoundException from CloudWatch is a read failure, not a missing alarm", async () => {
  cloudwatch.on(DescribeAlarmsCommand).rejects(awsError("ResourceNotFoundException", { $fault: "client", httpStatusCode: 404 }));
  expect((await errorOf(handler(event()))).name).toBe(ErrorNames.AlarmReadFailed);
});
