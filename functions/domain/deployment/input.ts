import { ValidationErrors } from "../errors.js";

/**
 * The deploy-lambda state machine input: one JSON object, pasteable into the Step Functions console.
 * Documented in docs/deploy-lambda-input.md; example in events/deploy-lambda.input.json.
 */
export interface DeployLambdaInput {
  deploymentId?: string;
  application: string;
  deploymentGroup: string;
  functionName: string;
  alias: string;
  currentVersion?: string;
  targetVersion: string;
  deploymentConfig: unknown;
  hooks: { beforeAllowTraffic: string | null; afterAllowTraffic: string | null; timeoutSeconds: number };
  alarms: string[];
  ignorePollAlarmFailure: boolean;
  /** Hot-fix override: alarms already in ALARM when the deployment starts are ignored (and reported). */
  ignoreAlarmsFiringAtStart: boolean;
  autoRollback: { enabled: boolean; events: RollbackEvent[] };
  alarmPollSeconds: number;
  /** `events` (default): alarm state-change events end a bake at once; `polling`: read alarms every alarmPollSeconds. */
  alarmMonitoring: "events" | "polling";
  /** Raw metric gates; validated by parseMetricGates once the target is known (functions/domain/gates). */
  metricGates?: unknown;
  description?: string;
  /**
   * When the group already has an active deployment: false (default) fails fast with
   * Deploy.ConflictingDeployment; true waits in the group's FIFO queue and starts when the lock is handed over.
   */
  queue: boolean;
}

export const ROLLBACK_EVENTS = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"] as const;
export type RollbackEvent = (typeof ROLLBACK_EVENTS)[number];

/** Our default when `autoRollback` is omitted: roll back on failure and on alarm (the CDK's defaults, spec §5.1). */
export const DEFAULT_AUTO_ROLLBACK = { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] as RollbackEvent[] };
export const DEFAULT_HOOK_TIMEOUT_SECONDS = 3600;
export const DEFAULT_ALARM_POLL_SECONDS = 60;
/** API limit on alarms per deployment group (codedeploy-spec §5.1: 10 in the API model). */
export const MAX_ALARMS = 10;

const KNOWN_KEYS = new Set([
  "deploymentId",
  "application",
  "deploymentGroup",
  "functionName",
  "alias",
  "currentVersion",
  "targetVersion",
  "deploymentConfig",
  "hooks",
  "alarms",
  "ignorePollAlarmFailure",
  "ignoreAlarmsFiringAtStart",
  "autoRollback",
  "alarmPollSeconds",
  "alarmMonitoring",
  "metricGates",
  "description",
  "queue",
]);

// Lambda's own name rules (Lambda API: FunctionName, Alias Name, Version patterns): a name, a partial ARN
// (`123456789012:function:name`) or a full ARN, unqualified.
const FUNCTION_NAME = /^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?[a-zA-Z0-9-_]{1,64}$/;
const ALIAS_NAME = /^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/;
const VERSION = /^[0-9]{1,10}$/;
// CodeDeploy names: 1-100 chars (codedeploy-spec §1.1, §8).
const CODEDEPLOY_NAME = /^[A-Za-z0-9._+=,@-]{1,100}$/;

export type Problems = { field: string; reason: string }[];

function str(v: unknown, field: string, problems: Problems, pattern?: RegExp, rule?: string): string | undefined {
  if (v === undefined || v === null || v === "") {
    problems.push({ field, reason: "is required" });
    return undefined;
  }
  if (typeof v !== "string") {
    problems.push({ field, reason: `must be a string, got ${typeof v}` });
    return undefined;
  }
  if (pattern && !pattern.test(v)) problems.push({ field, reason: rule ?? `does not match ${pattern}` });
  return v;
}

function version(v: unknown, field: string, problems: Problems): string | undefined {
  const s = typeof v === "number" && Number.isInteger(v) ? String(v) : v;
  if (s === "$LATEST") {
    problems.push({ field, reason: "must be a published version number; $LATEST cannot take weighted traffic" });
    return undefined;
  }
  return str(s, field, problems, VERSION, "must be a published version number such as \"4\"");
}

export function intIn(v: unknown, field: string, min: number, max: number, fallback: number, problems: Problems): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    problems.push({ field, reason: `must be an integer from ${min} to ${max}` });
    return fallback;
  }
  return v;
}

export function hookName(v: unknown, field: string, problems: Problems): string | null {
  if (v === undefined || v === null) return null;
  return str(v, field, problems, FUNCTION_NAME, "must be a Lambda function name, partial ARN or ARN") ?? null;
}

function parseHooks(v: unknown, problems: Problems): DeployLambdaInput["hooks"] {
  const hooks = { beforeAllowTraffic: null, afterAllowTraffic: null, timeoutSeconds: DEFAULT_HOOK_TIMEOUT_SECONDS } as DeployLambdaInput["hooks"];
  if (v === undefined || v === null) return hooks;
  if (typeof v !== "object" || Array.isArray(v)) {
    problems.push({ field: "hooks", reason: "must be an object {beforeAllowTraffic, afterAllowTraffic, timeoutSeconds}" });
    return hooks;
  }
  const h = v as Record<string, unknown>;
  for (const k of Object.keys(h)) {
    if (!["beforeAllowTraffic", "afterAllowTraffic", "timeoutSeconds"].includes(k)) {
      problems.push({ field: `hooks.${k}`, reason: "unknown hook; Lambda deployments have beforeAllowTraffic and afterAllowTraffic" });
    }
  }
  hooks.beforeAllowTraffic = hookName(h.beforeAllowTraffic, "hooks.beforeAllowTraffic", problems);
  hooks.afterAllowTraffic = hookName(h.afterAllowTraffic, "hooks.afterAllowTraffic", problems);
  // A lifecycle event may last at most 3600 s (codedeploy-spec §3.6).
  hooks.timeoutSeconds = intIn(h.timeoutSeconds, "hooks.timeoutSeconds", 1, 3600, DEFAULT_HOOK_TIMEOUT_SECONDS, problems);
  return hooks;
}

function parseAlarms(v: unknown, problems: Problems): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    problems.push({ field: "alarms", reason: "must be a list of CloudWatch alarm names" });
    return [];
  }
  if (v.length > MAX_ALARMS) problems.push({ field: "alarms", reason: `at most ${MAX_ALARMS} alarms (CodeDeploy AlarmsLimitExceededException)` });
  const seen = new Set<string>();
  v.forEach((a, i) => {
    const field = `alarms[${i}]`;
    if (typeof a !== "string" || a.length === 0 || a.length > 255) {
      problems.push({ field, reason: "must be an alarm name of 1 to 255 characters" });
    } else if (seen.has(a)) {
      problems.push({ field, reason: `duplicate alarm name '${a}' (CodeDeploy InvalidAlarmConfigException)` });
    } else seen.add(a);
  });
  return [...seen];
}

function parseAutoRollback(v: unknown, problems: Problems): DeployLambdaInput["autoRollback"] {
  if (v === undefined || v === null) return { ...DEFAULT_AUTO_ROLLBACK, events: [...DEFAULT_AUTO_ROLLBACK.events] };
  if (typeof v !== "object" || Array.isArray(v)) {
    problems.push({ field: "autoRollback", reason: "must be an object {enabled, events}" });
    return { enabled: false, events: [] };
  }
  const r = v as Record<string, unknown>;
  if (typeof r.enabled !== "boolean") problems.push({ field: "autoRollback.enabled", reason: "must be true or false" });
  const enabled = r.enabled === true;
  const events: RollbackEvent[] = [];
  if (r.events !== undefined) {
    if (!Array.isArray(r.events)) problems.push({ field: "autoRollback.events", reason: "must be a list" });
    else
      r.events.forEach((e, i) => {
        if (!ROLLBACK_EVENTS.includes(e as RollbackEvent)) {
          problems.push({ field: `autoRollback.events[${i}]`, reason: `must be one of ${ROLLBACK_EVENTS.join(", ")}` });
        } else events.push(e as RollbackEvent);
      });
  }
  // InvalidAutoRollbackConfigException: enabled with no event types (codedeploy-spec §5.1).
  if (enabled && events.length === 0 && Array.isArray(r.events)) {
    problems.push({ field: "autoRollback.events", reason: "rollback is enabled but no event types are listed (CodeDeploy InvalidAutoRollbackConfigException)" });
  }
  return { enabled, events: r.events === undefined && enabled ? [...DEFAULT_AUTO_ROLLBACK.events] : events };
}

/** The fields every deployment input shares (Lambda and ECS): names, alarms, rollback, control, description, queue. */
export type CommonInputFields = Pick<
  DeployLambdaInput,
  | "deploymentId"
  | "application"
  | "deploymentGroup"
  | "alarms"
  | "ignorePollAlarmFailure"
  | "ignoreAlarmsFiringAtStart"
  | "autoRollback"
  | "alarmPollSeconds"
  | "alarmMonitoring"
  | "metricGates"
  | "description"
  | "queue"
>;

export const COMMON_INPUT_KEYS = ["deploymentId", "application", "deploymentGroup", "alarms", "ignorePollAlarmFailure", "ignoreAlarmsFiringAtStart", "autoRollback", "alarmPollSeconds", "alarmMonitoring", "metricGates", "description", "queue"];

/** Validates the shared fields of a deployment input; each problem is added to `problems`, naming its field. */
export function parseCommonFields(r: Record<string, unknown>, problems: Problems): CommonInputFields {
  const fields: CommonInputFields = {
    deploymentId: r.deploymentId === undefined ? undefined : str(r.deploymentId, "deploymentId", problems, /^d-[A-Z0-9]{9}$/, "must be d- followed by 9 uppercase letters or digits"),
    application: str(r.application, "application", problems, CODEDEPLOY_NAME, "must be 1-100 characters of [A-Za-z0-9._+=,@-]") ?? "",
    deploymentGroup: str(r.deploymentGroup, "deploymentGroup", problems, CODEDEPLOY_NAME, "must be 1-100 characters of [A-Za-z0-9._+=,@-]") ?? "",
    alarms: parseAlarms(r.alarms, problems),
    ignorePollAlarmFailure: r.ignorePollAlarmFailure === true,
    ignoreAlarmsFiringAtStart: r.ignoreAlarmsFiringAtStart === true,
    autoRollback: parseAutoRollback(r.autoRollback, problems),
    alarmPollSeconds: intIn(r.alarmPollSeconds, "alarmPollSeconds", 1, 3600, DEFAULT_ALARM_POLL_SECONDS, problems),
    alarmMonitoring: r.alarmMonitoring === "polling" ? "polling" : "events",
    metricGates: r.metricGates,
    description: r.description === undefined || r.description === null || r.description === "" ? undefined : str(r.description, "description", problems),
    queue: r.queue === true,
  };
  if (r.queue !== undefined && typeof r.queue !== "boolean") problems.push({ field: "queue", reason: "must be true or false" });
  if (r.ignorePollAlarmFailure !== undefined && typeof r.ignorePollAlarmFailure !== "boolean") {
    problems.push({ field: "ignorePollAlarmFailure", reason: "must be true or false" });
  }
  if (r.alarmMonitoring !== undefined && r.alarmMonitoring !== "events" && r.alarmMonitoring !== "polling") {
    problems.push({ field: "alarmMonitoring", reason: "must be \"events\" or \"polling\"" });
  }
  if (r.ignoreAlarmsFiringAtStart !== undefined && typeof r.ignoreAlarmsFiringAtStart !== "boolean") {
    problems.push({ field: "ignoreAlarmsFiringAtStart", reason: "must be true or false" });
  }
  if (fields.description && fields.description.length > 256) problems.push({ field: "description", reason: "at most 256 characters" });
  return fields;
}

/** Validates the raw state-machine input; every problem names its field. Throws `Deploy.InvalidInput`. */
export function parseDeployLambdaInput(raw: unknown): DeployLambdaInput {
  const problems: Problems = [];
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ValidationErrors([{ field: "(input)", reason: "must be a JSON object" }]);
  }
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!KNOWN_KEYS.has(k)) problems.push({ field: k, reason: "unknown field" });
  const input: DeployLambdaInput = {
    ...parseCommonFields(r, problems),
    functionName: str(r.functionName, "functionName", problems, FUNCTION_NAME, "must be a Lambda function name, partial ARN or ARN") ?? "",
    alias: str(r.alias, "alias", problems, ALIAS_NAME, "must be a Lambda alias name (letters, digits, - and _, not only digits)") ?? "",
    currentVersion: r.currentVersion === undefined || r.currentVersion === null ? undefined : version(r.currentVersion, "currentVersion", problems),
    targetVersion: version(r.targetVersion, "targetVersion", problems) ?? "",
    deploymentConfig: r.deploymentConfig ?? "CodeDeployDefault.LambdaAllAtOnce",
    hooks: parseHooks(r.hooks, problems),
  };
  if (input.currentVersion && input.currentVersion === input.targetVersion) {
    problems.push({ field: "targetVersion", reason: `equals currentVersion ${input.currentVersion}; CodeDeploy rejects a deployment to the version already live` });
  }
  if (problems.length) throw new ValidationErrors(problems);
  return input;
}
