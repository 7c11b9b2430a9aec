import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { cloudWatchClient, describeAlarms } from "../../../functions/adapters/cloudwatch.js";
import { ErrorNames, StepDeployError } from "../../../functions/domain/errors.js";
import { awsError, errorOf, OTHER_CASES, TRANSIENT_CASES } from "./helpers.js";

const cloudwatch = mockClient(CloudWatchClient);
beforeEach(() => cloudwatch.reset());
afterAll(() => cloudwatch.restore());

describe("describeAlarms", () => {
  it("sends DescribeAlarms for the names, asking for metric AND composite alarms", async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({});
    await describeAlarms(["orders-errors", "orders-health"]);
    const calls = cloudwatch.commandCalls(DescribeAlarmsCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toStrictEqual({
      AlarmNames: ["orders-errors", "orders-health"],
      AlarmTypes: ["MetricAlarm", "CompositeAlarm"],
      MaxRecords: 100,
    });
  });

  it("merges metric and composite alarms into one list of {name, state, reason}", async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        { AlarmName: "orders-errors", StateValue: "OK", StateReason: "Threshold Crossed: no datapoints were greater than the threshold" },
        { AlarmName: "orders-latency-p99", StateValue: "INSUFFICIENT_DATA", StateReason: "Unchecked: Initial alarm creation" },
      ],
      CompositeAlarms: [{ AlarmName: "orders-health", StateValue: "ALARM", StateReason: "orders-errors-2 transitioned to ALARM" }],
    });
    expect(await describeAlarms(["orders-errors", "orders-latency-p99", "orders-health"])).toEqual([
      { name: "orders-errors", state: "OK", reason: "Threshold Crossed: no datapoints were greater than the threshold" },
      { name: "orders-latency-p99", state: "INSUFFICIENT_DATA", reason: "Unchecked: Initial alarm creation" },
      { name: "orders-health", state: "ALARM", reason: "orders-errors-2 transitioned to ALARM" },
    ]);
  });

  it("only composite alarms in the answer", async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ CompositeAlarms: [{ AlarmName: "c", StateValue: "OK" }] });
    expect(await describeAlarms(["c"])).toEqual([{ name: "c", state: "OK", reason: undefined }]);
  });

  it("an alarm without StateValue reads as INSUFFICIENT_DATA, never as OK", async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: "m" }] });
    expect(await describeAlarms(["m"])).toEqual([{ name: "m", state: "INSUFFICIENT_DATA", reason: undefined }]);
  });

  it("names CloudWatch does not know are simply absent", async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: "known", StateValue: "OK" }], CompositeAlarms: [] });
    expect((await describeAlarms(["known", "unknown"])).map((r) => r.name)).toEqual(["known"]);
  });

  it("no names: no request at all", async () => {
    expect(await describeAlarms([])).toEqual([]);
    expect(cloudwatch.calls()).toHaveLength(0);
  });

  it.each(TRANSIENT_CASES)("%s -> Deploy.Transient", async (_label, make) => {
    const cause = make();
    cloudwatch.on(DescribeAlarmsCommand).rejects(cause);
    const e = await errorOf(describeAlarms(["a"]));
    expect(e).toBeInstanceOf(StepDeployError);
    expect(e.name).toBe(ErrorNames.Transient);
    expect(e.message).toBe(`DescribeAlarms: ${cause.name}: ${cause.message}`);
    expect(e.cause).toBe(cause);
  });

  it.each(OTHER_CASES)("%s -> Deploy.AwsError with the AWS error name in the message", async (label, make) => {
    cloudwatch.on(DescribeAlarmsCommand).rejects(make());
    const e = await errorOf(describeAlarms(["a"]));
    expect(e.name).toBe(ErrorNames.AwsError);
    expect(e.message).toContain(`DescribeAlarms: ${label}`);
  });

  it("ResourceNotFoundException -> Deploy.ResourceNotFound", async () => {
    cloudwatch.on(DescribeAlarmsCommand).rejects(awsError("ResourceNotFoundException", { $fault: "client", httpStatusCode: 404 }));
    expect((await errorOf(describeAlarms(["a"]))).name).toBe(ErrorNames.ResourceNotFound);
  });

  it("a StepDeployError passes through unchanged", async () => {
    const original = new StepDeployError(ErrorNames.AlarmReadFailed, "already named");
    cloudwatch.on(DescribeAlarmsCommand).rejects(original);
    expect(await errorOf(describeAlarms(["a"]))).toBe(original);
  });

  it("the client is cached per endpoint and region", () => {
    expect(cloudWatchClient()).toBe(cloudWatchClient());
  });
});
