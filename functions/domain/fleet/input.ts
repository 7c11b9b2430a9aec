import * as z from "zod";
import { AlarmsSchema, AutoRollbackSchema, autoRollbackOf, CODEDEPLOY_NAME, type RollbackEvent } from "../deployment/input.js";
import { isTargetGroupRef } from "../ecs/arns.js";
import { ErrorNames, ValidationError, ValidationErrors } from "../errors.js";
import { TagFilterSchema, type TagFilter } from "../groups/schema.js";
import { flag, type Problem, parseOrThrow, record, text } from "../schema/fields.js";
import { blueGreenOf, blueGreenSchema, type ServerBlueGreen } from "./blue-green.js";
import { resolveServerConfig, type ServerConfig } from "./minimum-healthy.js";
import { type TrafficRouting, weightedGates, weightedPlan } from "./weighted.js";

/**
 * The deploy-server state machine's input (docs/ec2.md): self-contained, like deploy-lambda's full input. Defined
 * once as a zod schema: the validation, the types and schemas/deploy-server-input.schema.json come from it; every
 * problem is reported at once with its field, as `Deploy.InvalidInput`.
 */
const INSTANCE_ID = /^(i-[0-9a-f]{8,17}|mi-[0-9a-f]{17})$/;

const TagsSchema = z
  .record(z.string(), z.union([z.string(), z.array(z.string()).min(1)]), { error: "must map tag keys to a value or a list of values" })
  .refine((t) => Object.keys(t).length > 0, { error: "must map tag keys to a value or a list of values" })
  .transform((t) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, typeof v === "string" ? [v] : v])))
  .meta({ description: "Managed nodes with every tag: key -> one value or a list of values." });

const TargetSchema = record(
  {
    tags: TagsSchema.optional(),
    instanceIds: z
      .array(text({ pattern: INSTANCE_ID, means: "must be an EC2 instance id (i-...) or an on-premises managed node id (mi-...)" }), { error: "must be a non-empty list" })
      .min(1, { error: "must be a non-empty list" })
      .refine((ids) => new Set(ids).size === ids.length, { error: "lists an instance twice" })
      .optional(),
    tagFilters: z
      .array(TagFilterSchema, { error: "must be a non-empty list of {Key, Value, Type}" })
      .min(1, { error: "must be a non-empty list of {Key, Value, Type}" })
      .transform((fs) => fs.map((f): TagFilter => (f.Type === "KEY_ONLY" ? { Key: f.Key, Type: "KEY_ONLY" } : { Key: f.Key, Value: f.Value, Type: "KEY_AND_VALUE" })))
      .optional()
      .meta({ description: "Nodes matching any of CodeDeploy's tag filters ({Key, Value, Type: KEY_AND_VALUE | KEY_ONLY}); a group's." }),
    autoScalingGroups: z
      .array(text({ pattern: /^[^:]{1,255}$/, means: "must be an Auto Scaling group name (1-255 characters)" }), { error: "must be a list of Auto Scaling group names" })
      .min(1, { error: "must list 1-10 Auto Scaling groups" })
      .max(10, { error: "must list 1-10 Auto Scaling groups (CodeDeploy's limit)" })
      .optional()
      .meta({ description: "The instances of these Auto Scaling groups (their aws:autoscaling:groupName tag); a blue/green COPY_AUTO_SCALING_GROUP copies the one listed." }),
  },
  '{"tags": {"key": ["value", ...]}}, {"instanceIds": [...]}, {"tagFilters": [...]} and/or {"autoScalingGroups": [...]}',
  "unknown field (tags, instanceIds, tagFilters, autoScalingGroups)",
).refine((t) => t.tags !== undefined || t.instanceIds !== undefined || t.tagFilters !== undefined || t.autoScalingGroups !== undefined, { error: "needs tags, instanceIds, tagFilters or autoScalingGroups" });

const RevisionSchema = record(
  {
    bucket: text(),
    key: text(),
    version: text().optional(),
    eTag: text().optional().meta({ description: "The object's ETag: the instances install exactly this content. Left out: pinned to the ETag Start reads." }),
    bundleType: z.enum(["zip", "tar", "tgz"], { error: "must be zip, tar or tgz (an EC2/on-premises revision is an archive)" }),
  },
  '{"bucket", "key", "eTag", "bundleType", "version"?}',
);

export const ServerInputSchema = record(
  {
    $schema: z.string().optional(),
    deploymentId: text({ pattern: /^d-[A-Z0-9]{9}$/, means: "must be d- and 9 uppercase letters or digits" }),
    application: text(CODEDEPLOY_NAME),
    deploymentGroup: text(CODEDEPLOY_NAME),
    deploymentGroupId: text({ pattern: /^[A-Za-z0-9._-]{1,128}$/, means: "1-128 of [A-Za-z0-9._-] (it names a folder on the instance)" })
      .optional()
      .meta({ description: "The agent's deployment-group id (names the deployment root's folder); default <application>.<deploymentGroup>." }),
    target: TargetSchema,
    revision: RevisionSchema,
    targetGroups: z
      .array(z.string({ error: "must be a target group name or ARN" }).refine(isTargetGroupRef, { error: "must be a target group name (1-32 of A-Z a-z 0-9 -) or ARN" }), { error: "must be a list of target group names or ARNs" })
      .min(1, { error: "must list 1-10 target groups (leave it out for no load balancer)" })
      .max(10, { error: "must list 1-10 target groups (CodeDeploy's limit)" })
      .refine((t) => new Set(t).size === t.length, { error: "lists a target group twice" })
      .optional()
      .meta({ description: "ALB/NLB target groups (type instance) the instances serve behind: each batch is deregistered (BlockTraffic) and registered again once installed (AllowTraffic). A group's loadBalancerInfo.targetGroupInfoList." }),
    classicLoadBalancers: z
      .array(z.string({ error: "must be a Classic Load Balancer name" }).regex(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/, { error: "must be a Classic Load Balancer name (1-32 of A-Z a-z 0-9 -, not starting or ending with -)" }), { error: "must be a list of Classic Load Balancer names" })
      .min(1, { error: "must list 1-10 Classic Load Balancers (leave it out for none)" })
      .max(10, { error: "must list 1-10 Classic Load Balancers (CodeDeploy's limit)" })
      .refine((t) => new Set(t).size === t.length, { error: "lists a load balancer twice" })
      .optional()
      .meta({ description: "Classic Load Balancers the instances serve behind, by name: each batch is deregistered (BlockTraffic, waiting for connection draining) and registered again once installed (AllowTraffic, waiting for InService). A group's loadBalancerInfo.elbInfoList; may be given with targetGroups." }),
    deploymentConfig: z.unknown().optional().meta({ description: "CodeDeployDefault.OneAtATime (default), HalfAtATime, AllAtOnce, or {minimumHealthyHosts: {type, value}}." }),
    pollSeconds: z.int({ error: "must be an integer 1-300" }).min(1, { error: "must be an integer 1-300" }).max(300, { error: "must be an integer 1-300" }).default(15),
    deploymentRoot: z.string().regex(/^(\/|[A-Za-z]:\\)/, { error: "must be an absolute path" }).optional(),
    description: z.string().max(256, { error: "at most 256 characters" }).optional(),
    alarms: AlarmsSchema.nullish().meta({ description: "CloudWatch alarms checked before each batch: one in ALARM stops the deployment (STOP)." }),
    ignorePollAlarmFailure: flag(),
    autoRollback: AutoRollbackSchema.nullish().meta({ description: "CodeDeploy's autoRollbackConfiguration: a new deployment of the group's last successful revision (docs/ec2.md)." }),
    rollbackOf: text({ pattern: /^d-[A-Z0-9]{9}$/, means: "must be a deployment id" }).optional().meta({ description: "Set by stepdeploy on a rollback deployment: the deployment it rolls back." }),
    blueGreen: blueGreenSchema(TargetSchema).optional(),
    outdatedInstancesStrategy: z
      .enum(["UPDATE", "IGNORE"], { error: "must be UPDATE or IGNORE" })
      .default("UPDATE")
      .meta({ description: "CodeDeploy's outdatedInstancesStrategy: UPDATE (default) starts a follow-on deployment of this revision to the instances its Auto Scaling groups launched while it ran; IGNORE leaves them on the revision they got." }),
    terminationHookEnabled: flag().meta({ description: "CodeDeploy's terminationHookEnabled: Start also puts the deployment group's termination hook on the target's Auto Scaling groups; an instance they scale in gets a termination deployment (docs/ec2.md#auto-scaling)." }),
    termination: record(
      {
        instanceId: text({ pattern: /^i-[0-9a-f]{8,17}$/, means: "must be an EC2 instance id" }),
        autoScalingGroup: text(),
        during: text({ pattern: /^d-[A-Z0-9]{9}$/, means: "must be a deployment id" }).optional(),
        lifecycleHook: record({ name: text(), token: text() }, '{"name", "token"}'),
      },
      '{"instanceId", "autoScalingGroup", "during"?, "lifecycleHook"}',
    )
      .optional()
      .meta({ description: "Set by stepdeploy on a termination deployment (creator autoscaling) to an instance an Auto Scaling group scales in: ApplicationStop, BeforeBlockTraffic, BlockTraffic, AfterBlockTraffic with the instance's last revision's scripts, then the termination lifecycle action is completed CONTINUE (also on failure: the instance terminates anyway)." }),
    launch: record(
      {
        instanceId: text({ pattern: /^i-[0-9a-f]{8,17}$/, means: "must be an EC2 instance id" }),
        autoScalingGroup: text(),
        during: text({ pattern: /^d-[A-Z0-9]{9}$/, means: "must be a deployment id" }).optional(),
        lifecycleHook: record({ name: text(), token: text() }, '{"name", "token"}').optional(),
      },
      '{"instanceId", "autoScalingGroup", "during"?, "lifecycleHook"?}',
    )
      .optional()
      .meta({ description: "Set by stepdeploy on a deployment to an instance an Auto Scaling group launched (creator autoscaling); `during`: the deployment that held the group's lock then; `lifecycleHook`: the launch lifecycle action its end completes (CONTINUE on success, ABANDON on failure)." }),
    autoUpdateOf: text({ pattern: /^d-[A-Z0-9]{9}$/, means: "must be a deployment id" })
      .optional()
      .meta({ description: "Set by stepdeploy on a follow-on deployment (creator CodeDeployAutoUpdate): the deployment whose revision it brings to the instances launched while it ran." }),
  },
  "with the deployment's fields",
)
  .superRefine((o, ctx) => {
    if (o.termination && o.launch) ctx.addIssue({ code: "custom", path: ["termination"], message: "goes without launch: a termination deployment stops an instance, a launch deployment installs one" });
    const bg = o.blueGreen;
    if (!bg) return;
    // The weighted reroute moves a listener's weights; a Classic Load Balancer has no listener rules or weights.
    if (o.classicLoadBalancers?.length && bg.trafficRouting) ctx.addIssue({ code: "custom", path: ["classicLoadBalancers"], message: "goes with the all-at-once reroute: blueGreen.trafficRouting moves an ALB/NLB listener's weights between two targetGroups" });
    const copy = bg.greenFleetProvisioningOption?.action === "COPY_AUTO_SCALING_GROUP";
    // A blue/green deployment reroutes a load balancer (UG/welcome; UG/integrations-aws-elastic-load-balancing): target groups and/or Classic Load Balancers (elbInfoList).
    if (!o.targetGroups?.length && !o.classicLoadBalancers?.length) ctx.addIssue({ code: "custom", path: ["targetGroups"], message: "is required for blue/green (or classicLoadBalancers): traffic moves from the original to the replacement instances behind these target groups" });
    if (copy && o.target.autoScalingGroups?.length !== 1) ctx.addIssue({ code: "custom", path: ["target", "autoScalingGroups"], message: "must name exactly one Auto Scaling group to copy (COPY_AUTO_SCALING_GROUP)" });
    if (copy && bg.targetInstances) ctx.addIssue({ code: "custom", path: ["blueGreen", "targetInstances"], message: "is for DISCOVER_EXISTING: COPY_AUTO_SCALING_GROUP launches the replacement instances itself" });
    if (o.launch) ctx.addIssue({ code: "custom", path: ["launch"], message: "is for in-place deployments to one launched instance" });
    if (o.termination) ctx.addIssue({ code: "custom", path: ["termination"], message: "is for in-place deployments to one instance Auto Scaling terminates" });
    // The weighted reroute moves a listener between two target groups: blue (the route's now) and green.
    if (bg.trafficRouting && o.targetGroups && o.targetGroups.length !== 2) ctx.addIssue({ code: "custom", path: ["targetGroups"], message: "must list exactly two target groups with blueGreen.trafficRouting: blue (the one the production route forwards to), then green" });
    if (!copy && !bg.targetInstances) ctx.addIssue({ code: "custom", path: ["blueGreen", "targetInstances"], message: "is required with DISCOVER_EXISTING: the replacement (green) instances, by tags, tagFilters or instanceIds" });
  }).meta({ title: "stepdeploy deploy-server input", description: "The deploy-server state machine's input (docs/ec2.md)." });

/** Where instances are found: tags, ids, CodeDeploy's tag filters, Auto Scaling groups (their `aws:autoscaling:groupName` tag). */
export interface FleetTarget {
  tags?: Record<string, string[]>;
  instanceIds?: string[];
  tagFilters?: TagFilter[];
  autoScalingGroups?: string[];
}

/** The input as the workflow uses it: defaults filled in, the deployment config resolved. */
export interface ServerDeploymentInput {
  deploymentId: string;
  application: string;
  deploymentGroup: string;
  /** The agent's deployment-group id (names the deployment root's folder); default `<application>.<deploymentGroup>`. */
  deploymentGroupId: string;
  /**
   * Managed nodes with every tag (key -> one of the values), and/or these ids (EC2 `i-...`, on-premises `mi-...`),
   * and/or nodes matching any of CodeDeploy's tag filters (`{Key, Value, Type: KEY_AND_VALUE | KEY_ONLY}`; a group's).
   */
  target: FleetTarget;
  /** `eTag` left out: the deployment is pinned to the ETag Start reads (a group deployment's S3 location may omit it, as CodeDeploy's does). */
  revision: { bucket: string; key: string; version?: string; eTag?: string; bundleType: "zip" | "tar" | "tgz" };
  /** Target group names or ARNs (resolved and checked at Start); empty: no load balancer, no traffic events. */
  targetGroups: string[];
  /** Classic Load Balancer names (checked at Start); empty: none. */
  classicLoadBalancers: string[];
  config: ServerConfig;
  /** Seconds between reads of a batch's command results (default 15). */
  pollSeconds: number;
  deploymentRoot?: string;
  description?: string;
  /** CloudWatch alarms checked before each batch; `ignorePollAlarmFailure` as CodeDeploy's. */
  alarms: string[];
  ignorePollAlarmFailure: boolean;
  autoRollback: { enabled: boolean; events: RollbackEvent[] };
  /** The config as given (a rollback deployment reuses it). */
  deploymentConfig: unknown;
  rollbackOf?: string;
  /** What happens to instances the target's Auto Scaling groups launch while this deployment runs (CodeDeploy's). */
  outdatedInstancesStrategy: "UPDATE" | "IGNORE";
  /** A deployment to one instance an Auto Scaling group launched; `during`: the deployment that held the group's lock. */
  launch?: { instanceId: string; autoScalingGroup: string; during?: string; lifecycleHook?: { name: string; token: string } };
  /** A follow-on deployment: the deployment whose revision it brings to instances launched while that one ran. */
  autoUpdateOf?: string;
  /** CodeDeploy's terminationHookEnabled: Start puts the termination hook too. */
  terminationHookEnabled: boolean;
  /** A termination deployment: the instance Auto Scaling scales in, and the lifecycle action its end completes CONTINUE. */
  termination?: { instanceId: string; autoScalingGroup: string; during?: string; lifecycleHook: { name: string; token: string } };
  /** Blue/green: the options, and the replacement instances for DISCOVER_EXISTING. */
  blueGreen?: Omit<ServerBlueGreen, "original"> & { targetInstances?: FleetTarget; trafficRouting?: TrafficRouting };
}

/** Checks the input; every bad field is named. */
export function parseServerInput(raw: unknown): ServerDeploymentInput {
  const o = parseOrThrow(ServerInputSchema, raw, { root: "(input)" });
  let config: ServerConfig;
  try {
    config = resolveServerConfig(o.deploymentConfig);
    // A weighted reroute's steps come from a time-based config: refused here, with its field, before anything is read.
    if (o.blueGreen?.trafficRouting) weightedPlan(o.blueGreen.trafficRouting.deploymentConfig);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    throw new ValidationErrors([{ field: e.field, reason: e.reason } satisfies Problem], ErrorNames.InvalidInput);
  }
  // The bakes' metric gates, named under blueGreen.trafficRouting, before anything is read.
  if (o.blueGreen?.trafficRouting) weightedGates(o.blueGreen.trafficRouting);
  return {
    deploymentId: o.deploymentId,
    application: o.application,
    deploymentGroup: o.deploymentGroup,
    deploymentGroupId: o.deploymentGroupId ?? `${o.application}.${o.deploymentGroup}`,
    target: o.target,
    revision: o.revision,
    targetGroups: o.targetGroups ?? [],
    classicLoadBalancers: o.classicLoadBalancers ?? [],
    config,
    pollSeconds: o.pollSeconds,
    ...(o.deploymentRoot ? { deploymentRoot: o.deploymentRoot } : {}),
    ...(o.description ? { description: o.description } : {}),
    alarms: o.alarms ?? [],
    ignorePollAlarmFailure: o.ignorePollAlarmFailure === true,
    autoRollback: autoRollbackOf(o.autoRollback),
    deploymentConfig: o.deploymentConfig,
    ...(o.rollbackOf ? { rollbackOf: o.rollbackOf } : {}),
    outdatedInstancesStrategy: o.outdatedInstancesStrategy,
    ...(o.launch ? { launch: o.launch } : {}),
    ...(o.autoUpdateOf ? { autoUpdateOf: o.autoUpdateOf } : {}),
    terminationHookEnabled: o.terminationHookEnabled === true,
    ...(o.termination ? { termination: o.termination } : {}),
    ...(o.blueGreen ? { blueGreen: { ...blueGreenOf(o.blueGreen), ...(o.blueGreen.targetInstances ? { targetInstances: o.blueGreen.targetInstances } : {}), ...(o.blueGreen.trafficRouting ? { trafficRouting: o.blueGreen.trafficRouting } : {}) } } : {}),
  };
}
