import * as z from "zod";
import { blueGreenOptionsShape } from "../fleet/blue-green.js";
import { ALARM_MONITORING, AutoRollbackSchema, CODEDEPLOY_NAME, HooksSchema, hookFunction, MAX_ALARMS } from "../deployment/input.js";
import { LISTENER_ARN, TARGET_GROUP_NAME } from "../ecs/arns.js";
import { MAX_READY_WAIT_MINUTES, MAX_TERMINATION_WAIT_MINUTES } from "../ecs/blue-green.js";
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

/** What every platform's group shares: CodeDeploy's config, alarm, rollback and trigger fields, and ours beside them. */
const SHARED_GROUP_FIELDS = {
  description: z.string().max(256, { error: "at most 256 characters" }).optional(),
  alarmConfiguration: AlarmConfigurationSchema.optional(),
  autoRollbackConfiguration: AutoRollbackSchema.optional(),
  triggerConfigurations: z.array(TriggerSchema, { error: "must be a list of triggers" }).max(MAX_TRIGGERS, { error: `at most ${MAX_TRIGGERS} triggers per group (CodeDeploy quota)` }).optional(),
  alarmMonitoring: z.enum(ALARM_MONITORING, { error: 'must be "events" or "polling"' }).optional(),
  alarmPollSeconds: intIn(1, 3600),
  metricGates: z.array(z.unknown(), { error: "must be a list of metric gates" }).optional().meta({ description: "Metric gates (docs/deploy-lambda-input.md)." }),
  queue: flag(),
};

export const DeploymentGroupSchema = record(
  {
    ...SHARED_GROUP_FIELDS,
    target: LambdaTargetSchema,
    deploymentConfigName: text().optional().meta({ description: "A CodeDeployDefault.Lambda* name or one of this file's deploymentConfigs; default CodeDeployDefault.LambdaAllAtOnce." }),
    hooks: HooksSchema.optional().meta({ description: "Hook defaults; an appspec's Hooks replace them per lifecycle event." }),
    release: GroupReleaseSchema.optional(),
  },
  "with the group's settings",
);
export type DeploymentGroupDocument = z.output<typeof DeploymentGroupSchema>;

// ECS names (ECS API reference: clusters and services, 1-255 of letters, digits, hyphens and underscores).
const ECS_NAME = { pattern: /^[a-zA-Z0-9_-]{1,255}$/, means: "must be 1-255 of A-Z a-z 0-9 _ -" };
const LISTENER = { pattern: LISTENER_ARN, means: "must be an ELBv2 listener ARN (arn:aws:elasticloadbalancing:<region>:<account>:listener/app|net/<name>/<id>/<id>)" };
const TrafficRouteSchema = record(
  { listenerArns: z.array(text(LISTENER), { error: "must be a list of listener ARNs" }).length(1, { error: "must list exactly one listener ARN (CodeDeploy: one per route)" }) },
  "{listenerArns}",
);

/** CodeDeploy's TargetGroupPairInfo: the two target groups that alternate, the production route, the optional test route. */
const TargetGroupPairSchema = record(
  {
    targetGroups: z
      .array(record({ name: text({ pattern: TARGET_GROUP_NAME, means: "must be a target group name (1-32 of A-Z a-z 0-9 -)" }) }, "{name}"), { error: "must be a list of {name}" })
      .length(2, { error: "must list exactly two target groups: the one serving now and the one the replacement takes" }),
    prodTrafficRoute: TrafficRouteSchema,
    testTrafficRoute: TrafficRouteSchema.optional().meta({ description: "Without it, AllowTestTraffic and AfterAllowTestTraffic are skipped." }),
  },
  "{targetGroups, prodTrafficRoute, testTrafficRoute}",
).superRefine((p, ctx) => {
  if (p.targetGroups[0]?.name === p.targetGroups[1]?.name) ctx.addIssue({ code: "custom", path: ["targetGroups", 1, "name"], message: "must differ from targetGroups[0]" });
  if (p.testTrafficRoute && p.testTrafficRoute.listenerArns[0] === p.prodTrafficRoute.listenerArns[0]) ctx.addIssue({ code: "custom", path: ["testTrafficRoute", "listenerArns", 0], message: "must differ from the production listener" });
});

export const EcsHooksSchema = record(
  {
    beforeInstall: hookFunction(),
    afterInstall: hookFunction(),
    afterAllowTestTraffic: hookFunction(),
    beforeAllowTraffic: hookFunction(),
    afterAllowTraffic: hookFunction(),
    timeoutSeconds: intIn(1, 3600).meta({ description: "1-3600, default 3600 (a lifecycle event's limit in CodeDeploy)" }),
  },
  "{beforeInstall, afterInstall, afterAllowTestTraffic, beforeAllowTraffic, afterAllowTraffic, timeoutSeconds}",
);

/** CodeDeploy's BlueGreenDeploymentConfiguration as an ECS group takes it. */
export const EcsBlueGreenSchema = record(
  {
    terminateBlueInstancesOnDeploymentSuccess: record(
      {
        action: z
          .enum(["TERMINATE"], { error: (iss) => (iss.input === "KEEP_ALIVE" ? "KEEP_ALIVE is for EC2 fleets; an ECS deployment always removes the original task set after the wait (TERMINATE)" : "must be TERMINATE") })
          .optional(),
        terminationWaitTimeInMinutes: intIn(0, MAX_TERMINATION_WAIT_MINUTES).meta({ description: "0-2880, default 0: how long the original task set is kept after all traffic moved." }),
      },
      "{action, terminationWaitTimeInMinutes}",
    ).optional(),
    deploymentReadyOption: record(
      {
        actionOnTimeout: z.enum(["CONTINUE_DEPLOYMENT", "STOP_DEPLOYMENT"], { error: "must be CONTINUE_DEPLOYMENT or STOP_DEPLOYMENT" }),
        waitTimeInMinutes: intIn(0, MAX_READY_WAIT_MINUTES).meta({ description: "How long to wait for `stepdeploy continue` before rerouting (CONTINUE_DEPLOYMENT) or stopping (STOP_DEPLOYMENT)." }),
      },
      "{actionOnTimeout, waitTimeInMinutes}",
    )
      .superRefine((r, ctx) => {
        if (r.actionOnTimeout === "STOP_DEPLOYMENT" && !r.waitTimeInMinutes) ctx.addIssue({ code: "custom", path: ["waitTimeInMinutes"], message: "must be 1 or more with STOP_DEPLOYMENT: how long to wait for `stepdeploy continue`" });
      })
      .optional(),
  },
  "{terminateBlueInstancesOnDeploymentSuccess, deploymentReadyOption}",
);

/** CodeDeploy's DeploymentStyle where a platform allows one value of each: anything else is refused saying why. */
const deploymentStyle = ([type, typeWhy]: [string, string], [option, optionWhy]: [string, string]) =>
  record(
    {
      deploymentType: z.enum([type], { error: `must be ${type} (${typeWhy})` }),
      deploymentOption: z.enum([option], { error: `must be ${option} (${optionWhy})` }),
    },
    "{deploymentType, deploymentOption}",
  ).optional();

/**
 * An ECS group's release source (docs/ecs.md#ecr-releases): pushes to the repository (and tag) register the service's
 * task definition again with the image pinned by digest and deploy it with the group's settings. With no AppSpec to
 * say so, the release names the container and port the load balancer sends traffic to.
 */
export const EcsGroupReleaseSchema = record(
  {
    name: text({ pattern: /^[A-Za-z0-9_-]{1,32}$/, means: "must be 1-32 of A-Z a-z 0-9 _ - (it starts every release's execution name)" }),
    ecr: record({ repository: text(REPOSITORY), tag: z.string({ error: 'must be an image tag, or "" for any tag' }).optional() }, "{repository, tag}"),
    containerName: text().meta({ description: "The container the load balancer sends traffic to (its image is replaced by the pushed one)." }),
    containerPort: z.int({ error: "must be a port from 1 to 65535" }).min(1, { error: "must be a port from 1 to 65535" }).max(65535, { error: "must be a port from 1 to 65535" }),
  },
  "{name, ecr, containerName, containerPort}",
);

export const EcsDeploymentGroupSchema = record(
  {
    ...SHARED_GROUP_FIELDS,
    ecsServices: z
      .array(record({ clusterName: text(ECS_NAME), serviceName: text(ECS_NAME) }, "{clusterName, serviceName}"), { error: "must be a list of {clusterName, serviceName}" })
      .length(1, { error: "must name exactly one service (CodeDeploy: one ECS service per deployment group)" }),
    loadBalancerInfo: record(
      { targetGroupPairInfoList: z.array(TargetGroupPairSchema, { error: "must be a list of target group pairs" }).length(1, { error: "must hold exactly one target group pair" }) },
      "{targetGroupPairInfoList}",
    ),
    blueGreenDeploymentConfiguration: EcsBlueGreenSchema.optional(),
    deploymentStyle: deploymentStyle(["BLUE_GREEN", "ECS deployments are blue/green"], ["WITH_TRAFFIC_CONTROL", "ECS deployments move traffic"]),
    deploymentConfigName: text().optional().meta({ description: "A CodeDeployDefault.ECS* name or one of this file's deploymentConfigs; default CodeDeployDefault.ECSAllAtOnce." }),
    hooks: EcsHooksSchema.optional().meta({ description: "Hook defaults; an appspec's Hooks replace them per lifecycle event." }),
    release: EcsGroupReleaseSchema.optional(),
  },
  "with the group's settings",
);
export type EcsDeploymentGroupDocument = z.output<typeof EcsDeploymentGroupSchema>;

/** CodeDeploy's EC2TagFilter / TagFilter: instances with any of the filters are the group's. */
export const TagFilterSchema = record(
  {
    Key: text().max(128, { error: "at most 128 characters" }),
    Value: z.string({ error: "must be a string" }).max(256, { error: "at most 256 characters" }).optional(),
    Type: z
      .enum(["KEY_AND_VALUE", "KEY_ONLY"], {
        error: (iss) => (iss.input === "VALUE_ONLY" ? "VALUE_ONLY is not supported: instances are found through SSM's tag filters, which name a key (use KEY_AND_VALUE or KEY_ONLY)" : "must be KEY_AND_VALUE or KEY_ONLY"),
      })
      .optional()
      .meta({ description: "Default KEY_AND_VALUE." }),
  },
  "{Key, Value, Type}",
).superRefine((f, ctx) => {
  if ((f.Type ?? "KEY_AND_VALUE") === "KEY_AND_VALUE" && !f.Value) ctx.addIssue({ code: "custom", path: ["Value"], message: "is required with KEY_AND_VALUE" });
  if (f.Type === "KEY_ONLY" && f.Value) ctx.addIssue({ code: "custom", path: ["Value"], message: "goes with KEY_AND_VALUE; KEY_ONLY matches the key whatever its value" });
});
export type TagFilter = z.output<typeof TagFilterSchema>;
const tagFilters = (what: string) => z.array(TagFilterSchema, { error: "must be a list of {Key, Value, Type}" }).max(100, { error: "at most 100 tag filters" }).optional().meta({ description: what });

/**
 * CodeDeploy's LoadBalancerInfo for an in-place EC2/on-premises group: ALB/NLB target groups (type instance) by name,
 * 1-10 (codedeploy-spec §6.2), and/or Classic Load Balancers by name (`elbInfoList`, 1-10; in place and blue/green), as
 * CodeDeploy takes both lists.
 */
const ServerLoadBalancerInfoSchema = record(
  {
    targetGroupInfoList: z
      .array(record({ name: text({ pattern: TARGET_GROUP_NAME, means: "must be a target group name (1-32 of A-Z a-z 0-9 -)" }) }, "{name}"), { error: "must be a list of {name}" })
      .min(1, { error: "must list 1-10 target groups" })
      .max(10, { error: "must list 1-10 target groups (CodeDeploy's limit)" })
      .refine((l) => new Set(l.map((t) => t.name)).size === l.length, { error: "lists a target group twice" })
      .optional(),
    elbInfoList: z
      .array(record({ name: text({ pattern: /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/, means: "must be a Classic Load Balancer name (1-32 of A-Z a-z 0-9 -)" }) }, "{name}"), { error: "must be a list of {name}" })
      .min(1, { error: "must list 1-10 Classic Load Balancers" })
      .max(10, { error: "must list 1-10 Classic Load Balancers (CodeDeploy's limit)" })
      .refine((l) => new Set(l.map((t) => t.name)).size === l.length, { error: "lists a load balancer twice" })
      .optional(),
    // BLUE_GREEN only (checked with the style): the weighted reroute's pair, ECS's shape (docs/ec2.md#weighted).
    targetGroupPairInfoList: z
      .array(TargetGroupPairSchema, { error: "must be a list of target group pairs" })
      .length(1, { error: "must hold exactly one target group pair (blue, green) and its production listener" })
      .optional(),
  },
  "{targetGroupInfoList, elbInfoList, targetGroupPairInfoList}",
).superRefine((l, ctx) => {
  if (!l.targetGroupInfoList && !l.elbInfoList && !l.targetGroupPairInfoList) ctx.addIssue({ code: "custom", path: ["targetGroupInfoList"], message: "is required (or elbInfoList, or a BLUE_GREEN group's targetGroupPairInfoList): the target groups or Classic Load Balancers traffic leaves and rejoins" });
  const pair = l.targetGroupPairInfoList?.[0];
  if (!pair) return;
  if (l.targetGroupInfoList || l.elbInfoList) ctx.addIssue({ code: "custom", path: ["targetGroupPairInfoList"], message: "goes alone: its two target groups are the ones traffic moves between (remove targetGroupInfoList and elbInfoList)" });
  if (pair.testTrafficRoute) ctx.addIssue({ code: "custom", path: ["targetGroupPairInfoList", 0, "testTrafficRoute"], message: "is not supported for EC2 blue/green: the weighted reroute moves the production route only (docs/ec2.md#weighted)" });
});

export const ServerDeploymentGroupSchema = record(
  {
    description: SHARED_GROUP_FIELDS.description,
    // Alarms read before each batch; rollback as a new deployment of the last successful revision (docs/ec2.md).
    alarmConfiguration: SHARED_GROUP_FIELDS.alarmConfiguration,
    autoRollbackConfiguration: SHARED_GROUP_FIELDS.autoRollbackConfiguration,
    ec2TagFilters: tagFilters("EC2 instances with any of these tags (SSM managed nodes)."),
    onPremisesInstanceTagFilters: tagFilters("On-premises servers (SSM managed nodes mi-...) with any of these tags."),
    autoScalingGroups: z
      .array(text({ pattern: /^[\x20-\x7e]{1,255}$/, means: "must be an Auto Scaling group name (1-255 printable characters)" }), { error: "must be a list of Auto Scaling group names" })
      .optional()
      .meta({ description: "Instances of these Auto Scaling groups (their aws:autoscaling:groupName tag)." }),
    outdatedInstancesStrategy: z
      .enum(["UPDATE", "IGNORE"], { error: "must be UPDATE or IGNORE" })
      .optional()
      .meta({ description: "CodeDeploy's: UPDATE (default) follows a successful deployment with one of its revision to the instances its Auto Scaling groups launched meanwhile; IGNORE leaves them on the revision they got at launch." }),
    terminationHookEnabled: z
      .boolean({ error: "must be true or false" })
      .optional()
      .meta({ description: "CodeDeploy's: true puts a termination lifecycle hook on the Auto Scaling groups, so an instance they scale in first runs ApplicationStop, BeforeBlockTraffic, BlockTraffic and AfterBlockTraffic (a termination deployment). Default false." }),
    loadBalancerInfo: ServerLoadBalancerInfoSchema.optional(),
    deploymentStyle: record(
      {
        deploymentType: z.enum(["IN_PLACE", "BLUE_GREEN"], { error: "must be IN_PLACE or BLUE_GREEN" }),
        deploymentOption: z.enum(["WITH_TRAFFIC_CONTROL", "WITHOUT_TRAFFIC_CONTROL"], { error: "must be WITH_TRAFFIC_CONTROL or WITHOUT_TRAFFIC_CONTROL" }),
      },
      "{deploymentType, deploymentOption}",
    )
      .optional()
      .meta({ description: "Default: WITH_TRAFFIC_CONTROL when loadBalancerInfo is given, else WITHOUT_TRAFFIC_CONTROL. BLUE_GREEN: docs/ec2.md#blue-green." }),
    blueGreenDeploymentConfiguration: record(blueGreenOptionsShape, "{greenFleetProvisioningOption, deploymentReadyOption, terminateBlueInstancesOnDeploymentSuccess}")
      .optional()
      .meta({ description: "A BLUE_GREEN group's options (CodeDeploy's, docs/ec2.md#blue-green); DISCOVER_EXISTING takes the green instances from each deployment's targetInstances." }),
    deploymentConfigName: text().optional().meta({ description: "CodeDeployDefault.OneAtATime (default), HalfAtATime, AllAtOnce or one of this file's deploymentConfigs {minimumHealthyHosts}." }),
    // The weighted reroute's bakes (with targetGroupPairInfoList only): as a Lambda or ECS group's.
    alarmMonitoring: SHARED_GROUP_FIELDS.alarmMonitoring,
    alarmPollSeconds: SHARED_GROUP_FIELDS.alarmPollSeconds,
    metricGates: SHARED_GROUP_FIELDS.metricGates,
    trafficRoutingConfigName: text()
      .optional()
      .meta({ description: "Ours, with targetGroupPairInfoList: the weighted reroute's steps, a CodeDeployDefault.ECS* name or one of this file's traffic-routing deploymentConfigs; default CodeDeployDefault.ECSAllAtOnce (docs/ec2.md#weighted)." }),
  },
  "with the group's settings",
).superRefine((g, ctx) => {
  if (!g.ec2TagFilters?.length && !g.onPremisesInstanceTagFilters?.length && !g.autoScalingGroups?.length) {
    ctx.addIssue({ code: "custom", path: [], message: "names no instances: give ec2TagFilters, onPremisesInstanceTagFilters or autoScalingGroups" });
  }
  // CodeDeploy ignores a load balancer unless the style says WITH_TRAFFIC_CONTROL; here both must agree, not one silently win.
  const option = g.deploymentStyle?.deploymentOption;
  if (option === "WITH_TRAFFIC_CONTROL" && !g.loadBalancerInfo) ctx.addIssue({ code: "custom", path: ["loadBalancerInfo"], message: "is required with WITH_TRAFFIC_CONTROL: the target groups to take each batch out of and put back in" });
  if (option === "WITHOUT_TRAFFIC_CONTROL" && g.loadBalancerInfo) ctx.addIssue({ code: "custom", path: ["deploymentStyle", "deploymentOption"], message: "is WITHOUT_TRAFFIC_CONTROL, yet loadBalancerInfo names target groups: use WITH_TRAFFIC_CONTROL (or leave deploymentStyle out), or remove loadBalancerInfo" });
  // EC2 blue/green reroutes a load balancer (UG/welcome); its options mean nothing in place.
  const blueGreen = g.deploymentStyle?.deploymentType === "BLUE_GREEN";
  if (blueGreen && !g.loadBalancerInfo) ctx.addIssue({ code: "custom", path: ["loadBalancerInfo"], message: "is required with BLUE_GREEN: the target groups traffic moves in from the original to the replacement instances" });
  // The weighted reroute (docs/ec2.md#weighted): a pair of target groups and a production listener, BLUE_GREEN only.
  const pair = g.loadBalancerInfo?.targetGroupPairInfoList;
  if (pair && !blueGreen) ctx.addIssue({ code: "custom", path: ["loadBalancerInfo", "targetGroupPairInfoList"], message: "is for ECS and BLUE_GREEN EC2 groups (a weighted reroute between the pair); an in-place group lists its target groups in targetGroupInfoList" });
  for (const k of ["trafficRoutingConfigName", "alarmMonitoring", "alarmPollSeconds", "metricGates"] as const) {
    if (g[k] !== undefined && !pair) ctx.addIssue({ code: "custom", path: [k], message: "goes with loadBalancerInfo.targetGroupPairInfoList: the weighted reroute's steps and bakes (a Server group's batches read its alarms at every poll)" });
  }
  if (!blueGreen && g.blueGreenDeploymentConfiguration) ctx.addIssue({ code: "custom", path: ["blueGreenDeploymentConfiguration"], message: "goes with deploymentStyle.deploymentType BLUE_GREEN" });
});
export type ServerDeploymentGroupDocument = z.output<typeof ServerDeploymentGroupSchema>;

const application = <P extends ComputePlatform, G extends z.ZodType>(platform: P, group: G) =>
  record({ computePlatform: z.literal(platform), deploymentGroups: map(text(CODEDEPLOY_NAME), group, "group name to group") }, "{computePlatform, deploymentGroups}");

export const ApplicationSchema = z.discriminatedUnion(
  "computePlatform",
  [application("Lambda", DeploymentGroupSchema), application("ECS", EcsDeploymentGroupSchema), application("Server", ServerDeploymentGroupSchema)],
  {
    // Zod names the discriminator's own path when it matches no platform.
    error: (iss) =>
      iss.code === "invalid_union"
        ? (iss.input as { computePlatform?: unknown })?.computePlatform === undefined
          ? "is required"
          : `must be one of ${COMPUTE_PLATFORMS.join(", ")}`
        : iss.input === undefined
          ? "is required"
          : "must be an object {computePlatform, deploymentGroups}",
  },
);

/** The fields a group of each platform takes, to tell the user that a field belongs to another platform. */
export const GROUP_FIELDS: Record<ComputePlatform, readonly string[]> = {
  Lambda: Object.keys(DeploymentGroupSchema.shape),
  ECS: Object.keys(EcsDeploymentGroupSchema.shape),
  Server: Object.keys(ServerDeploymentGroupSchema.shape),
};

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
