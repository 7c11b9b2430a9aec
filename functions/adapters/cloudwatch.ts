import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import type { AlarmReading } from "../domain/alarms/evaluate.js";
import { cachedClient } from "./clients.js";
import { toStepDeployError } from "./aws-errors.js";

export const cloudWatchClient = (): CloudWatchClient => cachedClient("cloudwatch", () => new CloudWatchClient({}));

/** Reads metric and composite alarms by name. Names CloudWatch does not know are simply absent. */
export async function describeAlarms(names: string[], client = cloudWatchClient()): Promise<AlarmReading[]> {
  if (names.length === 0) return [];
  try {
    const out = await client.send(
      new DescribeAlarmsCommand({ AlarmNames: names, AlarmTypes: ["MetricAlarm", "CompositeAlarm"], MaxRecords: 100 }),
    );
    return [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])].map((a) => ({
      name: a.AlarmName ?? "",
      state: a.StateValue ?? "INSUFFICIENT_DATA",
      reason: a.StateReason,
    }));
  } catch (e) {
    throw toStepDeployError(e, "DescribeAlarms");
  }
}
