import type { SimClock } from "../../clock.js";
import { AwsError, constraintMessage } from "../shared/protocol/errors.js";
import { MetricStore } from "./metrics.js";

/**
 * CloudWatch alarms of the simulated account. States are scripted (setup, timeline,
 * SetAlarmState), not evaluated from metrics. DescribeAlarms semantics follow the API reference:
 * names that do not exist are simply absent; without AlarmTypes only metric alarms are returned
 * ("If you omit this parameter, only metric alarms are returned, even if composite alarms exist").
 */
export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";
export const ALARM_STATES: readonly AlarmState[] = ["OK", "ALARM", "INSUFFICIENT_DATA"];

export interface Dimension {
  Name: string;
  Value: string;
}

export interface MetricAlarmConfig {
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  statistic: string;
  period: number;
  evaluationPeriods: number;
  threshold: number;
  comparisonOperator: string;
}

export interface AlarmDefinition {
  name: string;
  type?: "metric" | "composite";
  state?: AlarmState;
  reason?: string;
  description?: string;
  metric?: Partial<MetricAlarmConfig>;
  alarmRule?: string;
}

export interface AlarmRecord {
  name: string;
  type: "metric" | "composite";
  state: AlarmState;
  reason: string;
  reasonData?: string;
  description: string;
  updatedMs: number;
  transitionedMs: number;
  configuredMs: number;
  metric?: MetricAlarmConfig;
  alarmRule?: string;
}

/** One alarm state write, for reports (`source` says who made it). */
export interface AlarmChange {
  atSeconds: number;
  alarm: string;
  from: AlarmState;
  to: AlarmState;
  reason: string;
  source: "SetAlarmState" | "timeline" | "api";
}

/** An alarm state as it was just before a change (for the "CloudWatch Alarm State Change" event's previousState). */
export interface AlarmStateSnapshot {
  value: AlarmState;
  reason: string;
  reasonData?: string;
  /** Epoch ms of the state update. */
  timestampMs: number;
}

/** Called after an alarm's state value changed (not on writes that keep the same value). */
export type AlarmStateListener = (alarm: Readonly<AlarmRecord>, previous: AlarmStateSnapshot, atMs: number) => void;

export interface DescribeFilter {
  names?: string[];
  prefix?: string;
  types?: ("MetricAlarm" | "CompositeAlarm")[];
  state?: AlarmState;
}

const validation = (message: string) => new AwsError("ValidationException", message, { status: 400, queryCode: "ValidationError" });

export class CloudWatchWorld {
  private readonly alarms = new Map<string, AlarmRecord>();
  private readonly listeners: AlarmStateListener[] = [];
  readonly alarmHistory: AlarmChange[] = [];
  /** Metric series GetMetricData reads (scripted datapoints). */
  readonly metrics = new MetricStore();

  constructor(
    private readonly clock: SimClock,
    readonly region: string,
    readonly accountId: string,
  ) {}

  alarmArn(name: string): string {
    return `arn:aws:cloudwatch:${this.region}:${this.accountId}:alarm:${name}`;
  }

  defineAlarm(def: AlarmDefinition): AlarmRecord {
    if (this.alarms.has(def.name)) throw new Error(`alarm ${def.name} is defined twice`);
    const now = this.clock.now();
    const type = def.type ?? (def.alarmRule ? "composite" : "metric");
    const state = def.state ?? "OK";
    const record: AlarmRecord = {
      name: def.name,
      type,
      state,
      reason: def.reason ?? `Simulated account setup: alarm starts in ${state}`,
      description: def.description ?? "",
      updatedMs: now,
      transitionedMs: now,
      configuredMs: now,
    };
    if (type === "metric") {
      const m = def.metric ?? {};
      record.metric = {
        namespace: m.namespace ?? "AWS/Lambda",
        metricName: m.metricName ?? "Errors",
        dimensions: m.dimensions ?? [],
        statistic: m.statistic ?? "Sum",
        period: m.period ?? 60,
        evaluationPeriods: m.evaluationPeriods ?? 1,
        threshold: m.threshold ?? 1,
        comparisonOperator: m.comparisonOperator ?? "GreaterThanOrEqualToThreshold",
      };
    } else {
      record.alarmRule = def.alarmRule ?? "FALSE";
    }
    this.alarms.set(def.name, record);
    return record;
  }

  /** Listens for state value changes (SetAlarmState, the timeline, direct changes alike). */
  onStateChange(listener: AlarmStateListener): void {
    this.listeners.push(listener);
  }

  has(name: string): boolean {
    return this.alarms.has(name);
  }

  get(name: string): AlarmRecord | undefined {
    return this.alarms.get(name);
  }

  /** SetAlarmState semantics: the state changes until the next evaluation (here: until the next write). */
  setState(name: string, state: string, reason: string, opts: { reasonData?: string; source?: AlarmChange["source"]; atMs?: number } = {}): AlarmRecord {
    if (!ALARM_STATES.includes(state as AlarmState)) {
      throw validation(constraintMessage(state, "stateValue", `Member must satisfy enum value set: [${ALARM_STATES.join(", ")}]`));
    }
    if (reason.length > 1023) throw validation(constraintMessage(reason, "stateReason", "Member must have length less than or equal to 1023"));
    if (opts.reasonData !== undefined) {
      try {
        JSON.parse(opts.reasonData);
      } catch {
        throw new AwsError("InvalidFormatFault", "Data was not syntactically valid JSON", { status: 400, queryCode: "InvalidFormat" });
      }
    }
    const alarm = this.alarms.get(name);
    if (!alarm) throw new AwsError("ResourceNotFound", `Alarm ${name} not found`, { status: 404, queryCode: "ResourceNotFound" });
    const at = opts.atMs ?? this.clock.now();
    const from = alarm.state;
    const previous: AlarmStateSnapshot = { value: alarm.state, reason: alarm.reason, timestampMs: alarm.updatedMs };
    if (alarm.reasonData !== undefined) previous.reasonData = alarm.reasonData;
    alarm.state = state as AlarmState;
    alarm.reason = reason;
    alarm.reasonData = opts.reasonData;
    alarm.updatedMs = at;
    if (from !== alarm.state) alarm.transitionedMs = at;
    this.alarmHistory.push({ atSeconds: (at - this.clock.now()) / 1000 + this.clock.elapsedSeconds(), alarm: name, from, to: alarm.state, reason, source: opts.source ?? "SetAlarmState" });
    if (from !== alarm.state) for (const l of this.listeners) l(alarm, previous, at);
    return alarm;
  }

  describe(filter: DescribeFilter): AlarmRecord[] {
    if (filter.names && filter.prefix !== undefined) {
      throw new AwsError("InvalidParameterCombinationException", "AlarmNames and AlarmNamePrefix cannot be specified together.", { status: 400, queryCode: "InvalidParameterCombination" });
    }
    const types = filter.types?.length ? filter.types : ["MetricAlarm"];
    return [...this.alarms.values()]
      .filter((a) => !filter.names || filter.names.includes(a.name))
      .filter((a) => filter.prefix === undefined || a.name.startsWith(filter.prefix))
      .filter((a) => types.includes(a.type === "metric" ? "MetricAlarm" : "CompositeAlarm"))
      .filter((a) => !filter.state || a.state === filter.state)
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}
