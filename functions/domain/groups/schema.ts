import * as z from "zod";
import { ALARM_MONITORING, AutoRollbackSchema, CODEDEPLOY_NAME, HooksSchema, MAX_ALARMS } from "../deployment/input.js";
import { flag, intIn, map, record, text } from "../schema/fields.js";

/**
 * The stage's applications and deployment groups (config/groups.<stage>.yml), as CodeDeploy's CreateApplication
 * and CreateDeploymentGroup hold them for Lambda, with CodeDeploy's field names where one exists
 * (`deploymentConfigName`, `alarmConfiguration`, `autoRollbackConfiguration`, `triggerConfigurations`) and
 * stepdeploy's extras beside them. docs/groups.md explains every field; schemas/groups.schema.json is generated
 * from this file.
 */

export const COMPUTE_PLATFORMS = ["Lambda", "ECS", "Server"] as const;
export type ComputePlatform = (typeof COMPUTE_PLATFORMS)[number];

/** CodeDeploy's TriggerEventType values (API reference, TriggerConfig); Instance* ones do not exist for Lambda. */
export const DEPLOYMENT_TRIGGER_EVENTS = ["DeploymentStart", "DeploymentSuccess", "DeploymentFailure", "DeploymentStop", "DeploymentRollback", "DeploymentReady"] as const;
export const INSTANCE_TRIGGER_EVENTS = ["InstanceStart", "InstanceSuccess", "InstanceFailure", "InstanceReady"] as const;
export type TriggerEvent = (typeof DEPLOYMENT_TRIGGER_EVENTS)[number];
/** Triggers per deployment group (CodeDeploy quotas: 10). */
export const MAX_TRIGGERS = 10;

// Lambda names in a group are plain names: the IAM grants and the release sources are derived from them.
const PLAIN_FUNCTION = { pattern: /^[a-zA-Z0-9_-]{1,64}$/, means: "must be a Lambda function name (1-64 of A-Z a-z 0-9 _ -; not an ARN)" };
const PLAIN_ALIAS = { pattern: /^(?![0-9]+$)[a-zA-Z0-9_-]{1,128}$/, means: "must be a Lambda alias name (1-128 of A-Z a-z 0-9 _ -, not only digits)" };
// SNS topic ARN (SNS API reference, CreateTopic: names of 1-256 of A-Z a-z 0-9 _ -, `.fifo` for FIFO topics).
const TOPIC_ARN = { pattern: /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/, means: "must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)" };
const BUCKET = { pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, means: "is not a valid S3 bucket name" };
const REPOSITORY = { pattern: /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/, means: "is not a valid ECR repository name" };

export const LambdaTargetSchema = record({ functionName: text(PLAIN_FUNCTION), alias: text(PLAIN_ALIAS) }, "{functionName, alias}").meta({
  description: "The function and alias this group deploys to (one owner per function:alias in a stage).",
});

/** CodeDeploy's AlarmConfiguration; alarms may be written as names or as `{name}` (the API's shape). */
export const AlarmConfigurationSchema = record(
  {
    enabled: z.boolean({ error: "must be true or false" }).optional().meta({ description: "Default true when alarms are listed." }),
    ignorePollAlarmFailure: flag(),
    alarms: z
      .array(z.union([z.string(), record({ name: z.string({ error: "must be an alarm name" }) }, "{name}")], { error: "must be an alarm name or {name}" }), {
        error: "must be a list of CloudWatch alarm names",
      })
      .max(MAX_ALARMS, { error: `at most ${MAX_ALARMS} alarms (CodeDeploy AlarmsLimitExceededException)` })
      .optional(),
  },
  "{enabled, alarms, ignorePollAlarmFailure}",
);
export type AlarmConfiguration = z.output<typeof AlarmConfigurationSchema>;

export const TriggerSchema = record(
  {
    triggerName: text({ pattern: /^[A-Za-z0-9_.-]{1,100}$/, means: "must be 1-100 of A-Z a-z 0-9 _ . -" }),
    triggerTargetArn: text(TOPIC_ARN),
    triggerEvents: z
      .array(
        z.enum(DEPLOYMENT_TRIGGER_EVENTS, {
          error: (iss) =>
            (INSTANCE_TRIGGER_EVENTS as readonly string[]).includes(String(iss.input))
              ? `${String(iss.input)} is an instance event; Lambda deployments have no instances (use ${DEPLOYMENT_TRIGGER_EVENTS.join(", ")})`
              : `must be one of ${DEPLOYMENT_TRIGGER_EVENTS.join(", ")}`,
        }),
        { error: "must be a list of trigger event types" },
      )
      .min(1, { error: "must list at least one event type" })
      .meta({ description: "CodeDeploy's TriggerEventType values for deployments." }),
  },
  "{triggerName, triggerTargetArn, triggerEvents}",
);
export type TriggerConfig = z.output<typeof TriggerSchema>;

/** The release source of a group (docs/releases.md): its target and deployment settings are the group's. */
export const GroupReleaseSchema = record(
  {
    name: text({ pattern: /^[A-Za-z0-9_-]{1,32}$/, means: "must be 1-32 of A-Z a-z 0-9 _ - (it starts every release's execution name)" }),
    s3: record({ bucket: text(BUCKET), prefix: z.string({ error: "must be a string (may be empty)" }).optional() }, "{bucket, prefix}").optional(),
    codePackage: z.string().optional().meta({ description: "The code package inside an S3 bundle (default function.zip)." }),
    ecr: record({ repository: text(REPOSITORY), tag: z.string({ error: "must be an image tag, or \"\" for any tag" }).optional() }, "{repository, tag}").optional(),
  },
  "{name, s3 | ecr, codePackage}",
).superRefine((r, ctx) => {
  if (Boolean(r.s3) === Boolean(r.ecr)) ctx.addIssue({ code: "custom", path: [], message: "give exactly one of s3 {bucket, prefix} or ecr {repository, tag}" });
  if (r.ecr && r.codePackage !== undefined) ctx.addIssue({ code: "custom", path: ["codePackage"], message: "is for S3 bundles; an ECR release publishes the pushed image" });
});

export const DeploymentGroupSchema = record(
  {
    description: z.string().max(256, { error: "at most 256 characters" }).optional(),
    target: LambdaTargetSchema,
    deploymentConfigName: text().optional().meta({ description: "A CodeDeployDefault.Lambda* name or one of this file's deploymentConfigs; default CodeDeployDefault.LambdaAllAtOnce." }),
    hooks: HooksSchema.optional().meta({ description: "Hook defaults; an appspec's Hooks replace them per lifecycle event." }),
    alarmConfiguration: AlarmConfigurationSchema.optional(),
    autoRollbackConfiguration: AutoRollbackSchema.optional(),
    triggerConfigurations: z.array(TriggerSchema, { error: "must be a list of triggers" }).max(MAX_TRIGGERS, { error: `at most ${MAX_TRIGGERS} triggers per group (CodeDeploy quota)` }).optional(),
    alarmMonitoring: z.enum(ALARM_MONITORING, { error: 'must be "events" or "polling"' }).optional(),
    alarmPollSeconds: intIn(1, 3600),
    metricGates: z.array(z.unknown(), { error: "must be a list of metric gates" }).optional().meta({ description: "Metric gates (docs/deploy-lambda-input.md)." }),
    queue: flag(),
    release: GroupReleaseSchema.optional(),
  },
  "with the group's settings",
);
export type DeploymentGroupDocument = z.output<typeof DeploymentGroupSchema>;

export const ApplicationSchema = record(
  {
    computePlatform: z.enum(COMPUTE_PLATFORMS, { error: `must be one of ${COMPUTE_PLATFORMS.join(", ")}` }),
    deploymentGroups: map(text(CODEDEPLOY_NAME), DeploymentGroupSchema, "group name to group"),
  },
  "{computePlatform, deploymentGroups}",
);

export const GroupsFileSchema = record(
  {
    $schema: z.string().optional(),
    deploymentConfigs: map(
      text({ pattern: /^(?!CodeDeployDefault\.)[A-Za-z0-9._+=,@-]{1,100}$/, means: "must be 1-100 of [A-Za-z0-9._+=,@-] and not start with CodeDeployDefault." }),
      z.record(z.string(), z.unknown(), { error: "must be a config {trafficRoutingConfig} or {steps}" }),
      "config name to config",
    )
      .optional()
      .meta({ description: "Custom deployment configs by name: {trafficRoutingConfig: ...} as in CreateDeploymentConfig, or {steps: [...]}." }),
    revisionBuckets: z
      .array(text(BUCKET), { error: "must be a list of S3 bucket names" })
      .optional()
      .meta({ description: "Buckets that hold revisions (S3 bundles, appspec files) of group deployments: the stack may read only these." }),
    applications: map(text(CODEDEPLOY_NAME), ApplicationSchema, "application name to application"),
  },
  "{applications, deploymentConfigs}",
).meta({ title: "stepdeploy deployment groups", description: "Applications and deployment groups of one stage (docs/groups.md)." });
export type GroupsFileDocument = z.output<typeof GroupsFileSchema>;
