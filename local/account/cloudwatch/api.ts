import type { SimClock } from "../../clock.js";
import { type AlarmRecord, type CloudWatchWorld, type Dimension, ALARM_STATES } from "./world.js";
import { AwsError, constraintMessage } from "../shared/protocol/errors.js";
import type { FaultSpec } from "../shared/transport/faults.js";
import type { Handled } from "../shared/protocol/wire.js";
import { paginate } from "../shared/protocol/paging.js";
import { JsonRpcApi, type JsonRpcProtocol } from "../shared/protocol/json-rpc.js";

/**
 * CloudWatch over AWS JSON 1.0 as @aws-sdk/client-cloudwatch 3.1164.0 speaks it
 * (`AwsJson1_0Protocol`, X-Amz-Target `GraniteServiceVersion20100801.<Op>`, `awsQueryCompatible`).
 * Timestamps are epoch seconds (the JSON protocols' default timestamp format).
 */
export const CLOUDWATCH_PROTOCOL: JsonRpcProtocol = {
  version: "1.0",
  target: "GraniteServiceVersion20100801",
  namespace: "com.amazonaws.cloudwatch",
  queryCompatible: true,
};

type Body = Record<string, unknown>;

const validation = (message: string) => new AwsError("ValidationException", message, { status: 400, queryCode: "ValidationError" });
const missing = (name: string) => new AwsError("MissingRequiredParameterException", `The parameter ${name} is required.`, { status: 400, queryCode: "MissingParameter" });

export class CloudWatchApi extends JsonRpcApi {
  readonly service = "CloudWatch";
  protected readonly protocol = CLOUDWATCH_PROTOCOL;
  protected readonly ops: Record<string, (b: Body) => Handled> = {
    DescribeAlarms: (b) => this.describeAlarms(b),
    SetAlarmState: (b) => this.setAlarmState(b),
    GetMetricData: (b) => this.getMetricData(b),
  };

  constructor(
    private readonly world: CloudWatchWorld,
    private readonly clock: SimClock,
  ) {
    super();
  }

  /**
   * CloudWatch throttling: query code `Throttling`, HTTP 400, "Rate exceeded" (e.g. "Rate exceeded
   * (Service: AmazonCloudWatch; Status Code: 400; Error Code: Throttling)", GH wellcomecollection/platform#644).
   * It has no modelled shape, so the SDK raises CloudWatchServiceException named `Throttling`,
   * which @smithy retry classifies as throttling (THROTTLING_ERROR_CODES).
   */
  faultError(kind: "throttle" | "5xx", _operation: string, fault: FaultSpec): AwsError {
    if (kind === "throttle") return new AwsError("Throttling", "Rate exceeded", { status: 400, queryCode: "Throttling" });
    return new AwsError("InternalServiceFault", "Internal service error (simulated)", { status: fault.status ?? 500, queryCode: "InternalServiceError" });
  }

  // ---- operations ----------------------------------------------------------------------------

  private describeAlarms(b: Body): Handled {
    const names = optStrings(b.AlarmNames, "AlarmNames");
    if (names && names.length > 100) throw validation(constraintMessage(names, "alarmNames", "Member must have length less than or equal to 100"));
    const types = optStrings(b.AlarmTypes, "AlarmTypes");
    for (const t of types ?? []) {
      if (t !== "MetricAlarm" && t !== "CompositeAlarm") throw validation(constraintMessage(t, "alarmTypes", "Member must satisfy enum value set: [CompositeAlarm, MetricAlarm]"));
    }
    const state = b.StateValue;
    if (state !== undefined && !ALARM_STATES.includes(state as never)) {
      throw validation(constraintMessage(state, "stateValue", `Member must satisfy enum value set: [${ALARM_STATES.join(", ")}]`));
    }
    const max = b.MaxRecords === undefined ? 50 : Number(b.MaxRecords);
    if (!Number.isInteger(max) || max < 1 || max > 100) throw validation(constraintMessage(b.MaxRecords, "maxRecords", "Member must have value between 1 and 100"));
    const found = this.world.describe({
      names,
      prefix: typeof b.AlarmNamePrefix === "string" ? b.AlarmNamePrefix : undefined,
      types: types as ("MetricAlarm" | "CompositeAlarm")[] | undefined,
      state: state as AlarmRecord["state"] | undefined,
    });
    const { page, next } = paginate(found, typeof b.NextToken === "string" ? b.NextToken : undefined, max, () =>
      new AwsError("InvalidNextToken", "The service couldn't process your request because the next token is invalid.", { status: 400, queryCode: "InvalidNextToken" }),
    );
    const out: Body = {
      MetricAlarms: page.filter((a) => a.type === "metric").map((a) => this.metricAlarm(a)),
      CompositeAlarms: page.filter((a) => a.type === "composite").map((a) => this.compositeAlarm(a)),
    };
    if (next) out.NextToken = next;
    const absent = (names ?? []).filter((n) => !page.some((a) => a.name === n)).map((n) => `${n}=(absent)`);
    return this.ok(out, [...page.map((a) => `${a.name}=${a.state}`), ...absent].join(", ") || "(none)");
  }

  private setAlarmState(b: Body): Handled {
    if (typeof b.AlarmName !== "string") throw missing("AlarmName");
    if (typeof b.StateValue !== "string") throw missing("StateValue");
    if (typeof b.StateReason !== "string") throw missing("StateReason");
    const a = this.world.setState(b.AlarmName, b.StateValue, b.StateReason, {
      reasonData: typeof b.StateReasonData === "string" ? b.StateReasonData : undefined,
      source: "SetAlarmState",
    });
    return this.ok({}, `${a.name}=${a.state}`);
  }

  private getMetricData(b: Body): Handled {
    const queries = b.MetricDataQueries;
    if (!Array.isArray(queries) || queries.length === 0) throw missing("MetricDataQueries");
    if (queries.length > 500) throw validation("The collection MetricDataQueries must not have a size greater than 500.");
    const start = epochMs(b.StartTime, "StartTime");
    const end = epochMs(b.EndTime, "EndTime");
    if (start >= end) throw validation("The parameter StartTime must be less than the parameter EndTime.");
    const scanBy = b.ScanBy ?? "TimestampDescending";
    if (scanBy !== "TimestampDescending" && scanBy !== "TimestampAscending") throw validation(constraintMessage(scanBy, "scanBy", "Member must satisfy enum value set: [TimestampDescending, TimestampAscending]"));
    const ids = new Set<string>();
    const results: Body[] = [];
    queries.forEach((raw, i) => {
      const field = `MetricDataQueries.member.${i + 1}`;
      const q = (raw ?? {}) as Body;
      const id = String(q.Id ?? "");
      if (!/^[a-z][a-zA-Z0-9_]*$/.test(id)) throw validation(`The value ${id} for parameter ${field}.Id is not valid: it must start with a lowercase letter and contain only letters, numbers and underscores.`);
      if (ids.has(id)) throw validation("The values for parameter id in MetricDataQueries are not unique.");
      ids.add(id);
      if ((q.MetricStat === undefined) === (q.Expression === undefined)) throw validation(`Exactly one of MetricStat and Expression must be specified in ${field}.`);
      if (q.ReturnData === false) return;
      if (q.Expression !== undefined) {
        // Metric math is not modelled; say so in the result instead of inventing numbers.
        results.push({ Id: id, Label: q.Label ?? id, Timestamps: [], Values: [], StatusCode: "InternalError", Messages: [{ Code: "InternalError", Value: "Metric math expressions are not supported by the simulated account." }] });
        return;
      }
      const ms = q.MetricStat as Body;
      const metric = (ms.Metric ?? {}) as Body;
      if (typeof metric.Namespace !== "string" || typeof metric.MetricName !== "string") throw validation(`${field}.MetricStat.Metric must name a Namespace and a MetricName.`);
      if (typeof ms.Stat !== "string") throw missing(`${field}.MetricStat.Stat`);
      const series = this.world.metrics.query(
        {
          namespace: metric.Namespace,
          metricName: metric.MetricName,
          dimensions: (Array.isArray(metric.Dimensions) ? metric.Dimensions : []) as Dimension[],
          period: Number(ms.Period),
          stat: ms.Stat,
          unit: typeof ms.Unit === "string" ? ms.Unit : undefined,
        },
        start,
        end,
        this.clock.now(),
        field,
      );
      const order = series.timestamps.map((_, k) => k);
      if (scanBy === "TimestampDescending") order.reverse();
      results.push({
        Id: id,
        Label: q.Label ?? metric.MetricName,
        Timestamps: order.map((k) => (series.timestamps[k] as number) / 1000),
        Values: order.map((k) => series.values[k] as number),
        StatusCode: "Complete",
      });
    });
    return this.ok({ MetricDataResults: results, Messages: [] }, results.map((r) => `${r.Id}:${(r.Values as number[]).length}`).join(", "));
  }

  // ---- shapes --------------------------------------------------------------------------------

  private common(a: AlarmRecord): Body {
    const out: Body = {
      AlarmName: a.name,
      AlarmArn: this.world.alarmArn(a.name),
      AlarmDescription: a.description,
      AlarmConfigurationUpdatedTimestamp: a.configuredMs / 1000,
      ActionsEnabled: true,
      OKActions: [],
      AlarmActions: [],
      InsufficientDataActions: [],
      StateValue: a.state,
      StateReason: a.reason,
      StateUpdatedTimestamp: a.updatedMs / 1000,
      StateTransitionedTimestamp: a.transitionedMs / 1000,
    };
    if (a.reasonData !== undefined) out.StateReasonData = a.reasonData;
    return out;
  }

  private metricAlarm(a: AlarmRecord): Body {
    const m = a.metric;
    return {
      ...this.common(a),
      MetricName: m?.metricName,
      Namespace: m?.namespace,
      Statistic: m?.statistic,
      Dimensions: m?.dimensions ?? [],
      Period: m?.period,
      EvaluationPeriods: m?.evaluationPeriods,
      Threshold: m?.threshold,
      ComparisonOperator: m?.comparisonOperator,
      TreatMissingData: "missing",
    };
  }

  private compositeAlarm(a: AlarmRecord): Body {
    return { ...this.common(a), AlarmRule: a.alarmRule };
  }
}

function optStrings(v: unknown, name: string): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw validation(`The parameter ${name} must be a list of strings.`);
  return v as string[];
}

/** JSON-protocol timestamps are epoch seconds (numbers); ISO strings are accepted too. */
function epochMs(v: unknown, name: string): number {
  if (v === undefined || v === null) throw missing(name);
  const ms = typeof v === "number" ? v * 1000 : Date.parse(String(v));
  if (!Number.isFinite(ms)) throw validation(`The parameter ${name} is not a valid timestamp.`);
  return ms;
}
