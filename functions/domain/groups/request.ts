import * as z from "zod";
import { parseAppSpec } from "../appspec/index.js";
import { AutoRollbackSchema, autoRollbackOf, CODEDEPLOY_NAME, type DeployLambdaInputDocument, versionField } from "../deployment/input.js";
import { ErrorNames, ValidationErrors } from "../errors.js";
import { flag, parseOrThrow, record, text } from "../schema/fields.js";
import { alarmNamesOf, type DeploymentGroup, type Groups, type LambdaDeploymentGroup } from "./groups.js";
import { platformMismatch, targetInstancesProblems } from "./platforms.js";
import { AlarmConfigurationSchema, TagFilterSchema } from "./schema.js";

/**
 * A deployment as `aws deploy create-deployment` states it: a group plus a revision, with the overrides
 * CreateDeployment allows (deploymentConfigName, overrideAlarmConfiguration, autoRollbackConfiguration,
 * description; codedeploy-spec §10 "CreateDeployment inputs"). The Start task expands it into the full
 * deploy-lambda input (docs/deploy-lambda-input.md), which keeps working as it is. docs/groups.md.
 */

// CodeDeploy's S3Location.bundleType values (API reference, S3Location); YAML/JSON are appspec files (Lambda, ECS).
export const BUNDLE_TYPES = ["zip", "tar", "tgz", "YAML", "JSON"] as const;

export const S3RevisionSchema = record(
  {
    bucket: text(),
    key: text(),
    bundleType: z.enum(BUNDLE_TYPES, { error: `must be one of ${BUNDLE_TYPES.join(", ")}` }),
    version: text().optional().meta({ description: "The object's version id: the deployment reads exactly this version." }),
    eTag: text().optional().meta({ description: "The object's ETag: the deployment refuses any other content." }),
  },
  "{bucket, key, bundleType, version, eTag}",
);

export const RevisionSchema = record(
  {
    s3: S3RevisionSchema.optional().meta({ description: "An S3 bundle (zip/tar/tgz holding appspec.yml) or appspec file (YAML/JSON)." }),
    appSpecContent: z
      .union([z.string(), z.record(z.string(), z.unknown())], { error: "must be an appspec: YAML/JSON text, an object, or {content}" })
      .optional()
      .meta({ description: "An inline appspec: text, an object, or CodeDeploy's AppSpecContent {content, sha256}." }),
    targetVersion: versionField().optional().meta({ description: "Lambda: deploy this published version of the group's function." }),
    currentVersion: versionField().optional().meta({ description: "With targetVersion: the version the alias must serve now." }),
  },
  "{s3 | appSpecContent | targetVersion}",
).superRefine((r, ctx) => {
  const given = [r.s3, r.appSpecContent, r.targetVersion].filter((x) => x !== undefined).length;
  if (given !== 1) ctx.addIssue({ code: "custom", path: [], message: "give exactly one of s3 {bucket, key, bundleType}, appSpecContent, or targetVersion" });
  if (r.currentVersion !== undefined && r.targetVersion === undefined) ctx.addIssue({ code: "custom", path: ["currentVersion"], message: "goes with targetVersion; an appspec states its own CurrentVersion" });
});
export type Revision = z.output<typeof RevisionSchema>;

export const GroupDeploymentSchema = record(
  {
    $schema: z.string().optional(),
    deploymentId: text({ pattern: /^d-[A-Z0-9]{9}$/, means: "must be d- followed by 9 uppercase letters or digits" }).optional(),
    application: text(CODEDEPLOY_NAME),
    deploymentGroup: text(CODEDEPLOY_NAME),
    revision: RevisionSchema,
    deploymentConfigName: text().optional(),
    description: z.string({ error: "must be a string" }).max(256, { error: "at most 256 characters" }).optional(),
    overrideAlarmConfiguration: AlarmConfigurationSchema.optional().meta({ description: "Replaces the group's alarm configuration for this deployment." }),
    autoRollbackConfiguration: AutoRollbackSchema.optional().meta({ description: "Replaces the group's automatic rollback for this deployment." }),
    ignoreAlarmsFiringAtStart: flag(),
    queue: flag(),
    targetInstances: record(
      {
        tagFilters: z.array(TagFilterSchema, { error: "must be a list of {Key, Value, Type}" }).min(1, { error: "must be a non-empty list of {Key, Value, Type}" }).optional(),
        autoScalingGroups: z.array(text(), { error: "must be a list of Auto Scaling group names" }).min(1, { error: "must list 1-10 Auto Scaling groups" }).max(10, { error: "must list 1-10 Auto Scaling groups" }).optional(),
      },
      "{tagFilters, autoScalingGroups}",
    )
      .optional()
      .meta({ description: "A BLUE_GREEN Server group with DISCOVER_EXISTING: the replacement instances (CreateDeployment's targetInstances)." }),
  },
  "{application, deploymentGroup, revision}",
).meta({ title: "stepdeploy group deployment", description: "A deployment of a group's revision (docs/groups.md); the deploy-lambda input's other form." });
export type GroupDeployment = z.output<typeof GroupDeploymentSchema>;

/** A group deployment is told apart from the full input by its `revision`. */
export function isGroupDeployment(raw: unknown): boolean {
  return typeof raw === "object" && raw !== null && !Array.isArray(raw) && "revision" in raw;
}

export function parseGroupDeployment(raw: unknown): GroupDeployment {
  return parseOrThrow(GroupDeploymentSchema, raw, { root: "(input)" });
}

/** The appspec text of an inline revision: the string itself, CodeDeploy's `{content}`, or the object as JSON. */
export function inlineAppSpecText(content: NonNullable<Revision["appSpecContent"]>): string {
  if (typeof content === "string") return content;
  if (typeof content.content === "string") return content.content;
  return JSON.stringify(content);
}

/**
 * The full deploy-lambda input for `request` on `group`, given the revision's appspec text when it has one.
 * The appspec must name the group's own function and alias (a group owns its target); its Hooks replace the
 * group's hook defaults for the events it lists.
 */
export function deployInputOf(groups: Groups, group: DeploymentGroup, request: GroupDeployment, appSpecText: string | null): DeployLambdaInputDocument {
  if (group.computePlatform !== "Lambda") throw platformMismatch(group, "Lambda");
  const misplaced = targetInstancesProblems(group, request);
  if (misplaced.length) throw new ValidationErrors(misplaced, ErrorNames.InvalidRevision);
  const versions: AppSpecVersions =
    appSpecText === null ? { currentVersion: request.revision.currentVersion, targetVersion: request.revision.targetVersion ?? "", hooks: {} } : versionsFromAppSpec(group, appSpecText);
  return {
    ...(request.deploymentId ? { deploymentId: request.deploymentId } : {}),
    application: group.application,
    deploymentGroup: group.deploymentGroup,
    functionName: group.target.functionName,
    alias: group.target.alias,
    ...(versions.currentVersion ? { currentVersion: versions.currentVersion } : {}),
    targetVersion: versions.targetVersion,
    deploymentConfig: configOf(groups, group, request),
    hooks: { ...group.hooks, ...versions.hooks },
    ...watchFieldsOf(group, request),
  };
}

/**
 * The input fields every platform's deployment shares, from the group with CreateDeployment's overrides: alarms
 * (overrideAlarmConfiguration), rollback (autoRollbackConfiguration), alarm watching, gates, description, queue.
 */
/** The deployment config the request or the group names: a custom one of the file as its object, else the name. */
export function configOf(groups: Groups, group: DeploymentGroup, request: Pick<GroupDeployment, "deploymentConfigName"> = {}): unknown {
  const name = request.deploymentConfigName ?? group.deploymentConfigName;
  return Object.hasOwn(groups.deploymentConfigs, name) ? groups.deploymentConfigs[name] : name;
}

export function watchFieldsOf(group: DeploymentGroup, request: Pick<GroupDeployment, "overrideAlarmConfiguration" | "ignoreAlarmsFiringAtStart" | "autoRollbackConfiguration" | "description" | "queue">) {
  const alarms = request.overrideAlarmConfiguration;
  return {
    alarms: alarms ? alarmNamesOf(alarms) : group.alarms,
    ignorePollAlarmFailure: alarms ? alarms.ignorePollAlarmFailure === true : group.ignorePollAlarmFailure,
    ignoreAlarmsFiringAtStart: request.ignoreAlarmsFiringAtStart === true,
    autoRollback: request.autoRollbackConfiguration ? autoRollbackOf(request.autoRollbackConfiguration) : group.autoRollback,
    ...(group.alarmPollSeconds ? { alarmPollSeconds: group.alarmPollSeconds } : {}),
    alarmMonitoring: group.alarmMonitoring,
    ...(group.metricGates ? { metricGates: group.metricGates } : {}),
    ...(request.description ? { description: request.description } : {}),
    queue: request.queue ?? group.queue,
  };
}

type AppSpecVersions = { currentVersion?: string; targetVersion: string; hooks: Partial<Record<"beforeAllowTraffic" | "afterAllowTraffic", string>> };

function versionsFromAppSpec(group: LambdaDeploymentGroup, text: string): AppSpecVersions {
  const refuse = (problems: { field: string; reason: string }[]) => new ValidationErrors(problems, ErrorNames.InvalidRevision);
  // A deployment's appspec states both versions, as CodeDeploy requires (versions are optional only for releases).
  const appspec = parseAppSpec(text, { platform: "lambda" });
  if (!appspec.valid) throw refuse(appspec.errors.map((e) => ({ field: `revision appspec ${e.path}${e.line ? ` (line ${e.line})` : ""}`, reason: e.message })));
  const fn = appspec.resources.find((r) => r.kind === "lambda-function");
  if (fn?.kind !== "lambda-function") throw refuse([{ field: "revision appspec Resources", reason: "names no AWS::Lambda::Function" }]);
  const at = (p: string) => `revision appspec ${fn.path}.Properties.${p}`;
  const named = fn.name.split(":function:").pop() ?? fn.name;
  const problems: { field: string; reason: string }[] = [];
  if (named !== group.target.functionName) problems.push({ field: at("Name"), reason: `is '${fn.name}'; group ${group.application}/${group.deploymentGroup} deploys ${group.target.functionName}` });
  if (fn.alias !== group.target.alias) problems.push({ field: at("Alias"), reason: `is '${fn.alias}'; group ${group.application}/${group.deploymentGroup} deploys alias ${group.target.alias}` });
  if (problems.length) throw refuse(problems);
  const hooks: AppSpecVersions["hooks"] = {};
  for (const h of appspec.hooks) {
    if (h.kind !== "function") continue;
    if (h.event === "BeforeAllowTraffic") hooks.beforeAllowTraffic = h.functionName;
    if (h.event === "AfterAllowTraffic") hooks.afterAllowTraffic = h.functionName;
  }
  return { currentVersion: fn.currentVersion, targetVersion: fn.targetVersion ?? "", hooks };
}
