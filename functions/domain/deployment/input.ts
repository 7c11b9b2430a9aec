import * as z from "zod";
import { ValidationErrors } from "../errors.js";
import { flag, intIn, kind, type Problem, parseOrThrow, problemsOf, record, text } from "../schema/fields.js";

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

// Lambda's own name rules (Lambda API: FunctionName, Alias Name, Version patterns): a name, a partial ARN
// (`123456789012:function:name`) or a full ARN, unqualified.
export const FUNCTION_NAME = { pattern: /^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?[a-zA-Z0-9-_]{1,64}$/, means: "must be a Lambda function name, partial ARN or ARN" };
export const ALIAS_NAME = { pattern: /^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/, means: "must be a Lambda alias name (letters, digits, - and _, not only digits)" };
const VERSION = /^[0-9]{1,10}$/;
// CodeDeploy names: 1-100 chars (codedeploy-spec §1.1, §8).
export const CODEDEPLOY_NAME = { pattern: /^[A-Za-z0-9._+=,@-]{1,100}$/, means: "must be 1-100 characters of [A-Za-z0-9._+=,@-]" };

/** A published version, given as "4" or 4; `$LATEST` is refused (aliases cannot weight it). */
export const versionField = () =>
  z
    .union([z.string(), z.int()], { error: (iss) => (iss.input === undefined || iss.input === null ? "is required" : 'must be a published version number such as "4"') })
    .transform(String)
    .pipe(
      z
        .string()
        .refine((s) => s !== "$LATEST", { error: "must be a published version number; $LATEST cannot take weighted traffic", abort: true })
        .regex(VERSION, { error: 'must be a published version number such as "4"' }),
    );

export const hookFunction = () => text(FUNCTION_NAME).nullish().meta({ description: "A hook function name or ARN (matching the stack's hookFunctionPattern)" });

export const HooksSchema = record(
  {
    beforeAllowTraffic: hookFunction(),
    afterAllowTraffic: hookFunction(),
    // A lifecycle event may last at most 3600 s (codedeploy-spec §3.6).
    timeoutSeconds: intIn(1, 3600).meta({ description: "1-3600, default 3600 (a lifecycle event's limit in CodeDeploy)" }),
  },
  "{beforeAllowTraffic, afterAllowTraffic, timeoutSeconds}",
  "unknown hook; Lambda deployments have beforeAllowTraffic and afterAllowTraffic",
);

export const AlarmsSchema = z
  .array(z.string({ error: "must be an alarm name of 1 to 255 characters" }).min(1, { error: "must be an alarm name of 1 to 255 characters" }).max(255, { error: "must be an alarm name of 1 to 255 characters" }), {
    error: "must be a list of CloudWatch alarm names",
  })
  .max(MAX_ALARMS, { error: `at most ${MAX_ALARMS} alarms (CodeDeploy AlarmsLimitExceededException)` })
  .superRefine((alarms, ctx) => {
    const seen = new Set<string>();
    alarms.forEach((a, i) => {
      if (seen.has(a)) ctx.addIssue({ code: "custom", path: [i], message: `duplicate alarm name '${a}' (CodeDeploy InvalidAlarmConfigException)` });
      seen.add(a);
    });
  });

export const AutoRollbackSchema = record(
  {
    enabled: z.boolean({ error: "must be true or false" }),
    events: z.array(z.enum(ROLLBACK_EVENTS, { error: `must be one of ${ROLLBACK_EVENTS.join(", ")}` }), { error: "must be a list" }).optional(),
  },
  "{enabled, events}",
).superRefine((r, ctx) => {
  // InvalidAutoRollbackConfigException: enabled with no event types (codedeploy-spec §5.1).
  if (r.enabled && r.events?.length === 0) {
    ctx.addIssue({ code: "custom", path: ["events"], message: "rollback is enabled but no event types are listed (CodeDeploy InvalidAutoRollbackConfigException)" });
  }
});

/** `{enabled, events}` with CodeDeploy's meaning; events left out of an enabled rollback are our defaults. */
export function autoRollbackOf(r: z.output<typeof AutoRollbackSchema> | null | undefined): DeployLambdaInput["autoRollback"] {
  if (!r) return { ...DEFAULT_AUTO_ROLLBACK, events: [...DEFAULT_AUTO_ROLLBACK.events] };
  return { enabled: r.enabled, events: r.events === undefined ? (r.enabled ? [...DEFAULT_AUTO_ROLLBACK.events] : []) : [...r.events] };
}

export const ALARM_MONITORING = ["events", "polling"] as const;

/** The fields every deployment input shares (Lambda, ECS): names, alarms, rollback, control, description, queue. */
const COMMON_SHAPE = {
    deploymentId: text({ pattern: /^d-[A-Z0-9]{9}$/, means: "must be d- followed by 9 uppercase letters or digits" }).nullish(),
    application: text(CODEDEPLOY_NAME),
    deploymentGroup: text(CODEDEPLOY_NAME),
    alarms: AlarmsSchema.nullish(),
    ignorePollAlarmFailure: flag(),
    ignoreAlarmsFiringAtStart: flag(),
    autoRollback: AutoRollbackSchema.nullish(),
    alarmPollSeconds: intIn(1, 3600),
    alarmMonitoring: z.enum(ALARM_MONITORING, { error: 'must be "events" or "polling"' }).nullish(),
    metricGates: z.unknown().optional().meta({ description: "Metric gates (docs/deploy-lambda-input.md); checked once the target is known" }),
    description: z
      .string({ error: (iss) => `must be a string, got ${kind(iss.input)}` })
      .max(256, { error: "at most 256 characters" })
      .nullish(),
    queue: flag(),
};
export const COMMON_INPUT_KEYS = Object.keys(COMMON_SHAPE);

/** The raw input as written (what the JSON Schema describes); `parseDeployLambdaInput` fills the defaults. */
export const DeployLambdaInputSchema = record(
  {
    $schema: z.string().optional().meta({ description: "The JSON Schema of this file, for editors; ignored." }),
    ...COMMON_SHAPE,
    functionName: text(FUNCTION_NAME),
    alias: text(ALIAS_NAME),
    currentVersion: versionField().nullish(),
    targetVersion: versionField(),
    deploymentConfig: z
      .unknown()
      .optional()
      .meta({ description: "A predefined name, a custom config {trafficRoutingConfig} or a step list {steps}; default CodeDeployDefault.LambdaAllAtOnce" }),
    hooks: HooksSchema.nullish(),
  },
  "with the deployment's fields",
)
  .superRefine((r, ctx) => {
    if (r.currentVersion && r.currentVersion === r.targetVersion) {
      ctx.addIssue({ code: "custom", path: ["targetVersion"], message: `equals currentVersion ${r.currentVersion}; CodeDeploy rejects a deployment to the version already live` });
    }
  })
  .meta({ title: "stepdeploy deploy-lambda input", description: "The deploy-lambda state machine input (docs/deploy-lambda-input.md)." });

export type DeployLambdaInputDocument = z.input<typeof DeployLambdaInputSchema>;

/** The raw document with the documented defaults filled in. */
function withDefaults(r: z.output<typeof DeployLambdaInputSchema>): DeployLambdaInput {
  return {
    ...commonDefaults(r),
    functionName: r.functionName,
    alias: r.alias,
    currentVersion: r.currentVersion ?? undefined,
    targetVersion: r.targetVersion,
    deploymentConfig: r.deploymentConfig ?? "CodeDeployDefault.LambdaAllAtOnce",
    hooks: {
      beforeAllowTraffic: r.hooks?.beforeAllowTraffic ?? null,
      afterAllowTraffic: r.hooks?.afterAllowTraffic ?? null,
      timeoutSeconds: r.hooks?.timeoutSeconds ?? DEFAULT_HOOK_TIMEOUT_SECONDS,
    },
  };
}

/** Validates the raw state-machine input; every problem names its field. Throws `Deploy.InvalidInput`. */
export function parseDeployLambdaInput(raw: unknown): DeployLambdaInput {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ValidationErrors([{ field: "(input)", reason: "must be a JSON object" }]);
  }
  return withDefaults(parseOrThrow(DeployLambdaInputSchema, raw, { root: "(input)" }));
}

/** The fields every deployment input shares, as Lambda and ECS inputs both read them. */
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
export type Problems = Problem[];

const CommonFieldsSchema = z.object(COMMON_SHAPE);

function commonDefaults(r: z.output<typeof CommonFieldsSchema>): CommonInputFields {
  return {
    deploymentId: r.deploymentId ?? undefined,
    application: r.application,
    deploymentGroup: r.deploymentGroup,
    alarms: r.alarms ?? [],
    ignorePollAlarmFailure: r.ignorePollAlarmFailure === true,
    ignoreAlarmsFiringAtStart: r.ignoreAlarmsFiringAtStart === true,
    autoRollback: autoRollbackOf(r.autoRollback),
    alarmPollSeconds: r.alarmPollSeconds ?? DEFAULT_ALARM_POLL_SECONDS,
    alarmMonitoring: r.alarmMonitoring ?? "events",
    metricGates: r.metricGates,
    description: r.description || undefined,
    queue: r.queue === true,
  };
}

/**
 * The shared fields of another platform's input (ECS), with the same schema and messages as the Lambda input's;
 * each problem is added to `problems` naming its field (the caller checks its own keys).
 */
export function parseCommonFields(r: Record<string, unknown>, problems: Problems): CommonInputFields {
  const parsed = CommonFieldsSchema.safeParse(r);
  if (parsed.success) return commonDefaults(parsed.data);
  problems.push(...problemsOf(parsed.error, "(input)"));
  return commonDefaults({ application: "", deploymentGroup: "" } as z.output<typeof CommonFieldsSchema>);
}

/** A hook function name (optional); a bad one is added to `problems` under `field`. */
export function hookName(v: unknown, field: string, problems: Problems): string | null {
  if (v === undefined || v === null) return null;
  const parsed = text(FUNCTION_NAME).safeParse(v);
  if (parsed.success) return parsed.data;
  problems.push(...problemsOf(parsed.error, field));
  return null;
}

/** An optional integer in [min, max] (default `fallback`); a bad one is added to `problems` under `field`. */
export function intInRange(v: unknown, field: string, min: number, max: number, fallback: number, problems: Problems): number {
  const parsed = intIn(min, max).safeParse(v);
  if (parsed.success) return parsed.data ?? fallback;
  problems.push(...problemsOf(parsed.error, field));
  return fallback;
}
