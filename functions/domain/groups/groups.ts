import { parseDocument } from "yaml";
import { resolveSchedule } from "../configs/index.js";
import { autoRollbackOf, type DeployLambdaInput } from "../deployment/input.js";
import { ErrorNames, ValidationErrors } from "../errors.js";
import { parseMetricGates } from "../gates/gate.js";
import { type Problem, problemsOf } from "../schema/fields.js";
import { groupId } from "./id.js";
import { type ComputePlatform, type DeploymentGroupDocument, GroupsFileSchema, type TriggerConfig } from "./schema.js";

/** CodeDeploy's default for a Lambda deployment group without a config (CreateDeploymentGroup). */
export const DEFAULT_LAMBDA_CONFIG = "CodeDeployDefault.LambdaAllAtOnce";

/** A deployment group as the workflows use it: defaults filled in, alarms as names, the config resolved. */
export interface DeploymentGroup {
  application: string;
  deploymentGroup: string;
  computePlatform: ComputePlatform;
  /** CodeDeploy's deploymentGroupId (`instanceGroupId` in its events): a UUID derived from the two names. */
  id: string;
  description?: string;
  target: { functionName: string; alias: string };
  deploymentConfigName: string;
  hooks: DeployLambdaInput["hooks"];
  alarms: string[];
  ignorePollAlarmFailure: boolean;
  autoRollback: DeployLambdaInput["autoRollback"];
  triggers: TriggerConfig[];
  alarmMonitoring: DeployLambdaInput["alarmMonitoring"];
  alarmPollSeconds?: number;
  metricGates?: unknown[];
  queue: boolean;
  release?: DeploymentGroupDocument["release"];
}

export interface Groups {
  groups: DeploymentGroup[];
  /** Custom deployment configs of the file, by name. */
  deploymentConfigs: Record<string, Record<string, unknown>>;
}

export const EMPTY_GROUPS: Groups = { groups: [], deploymentConfigs: {} };

/** The alarms a group watches: none when its alarm configuration is disabled (CodeDeploy's `enabled: false`). */
export function alarmNamesOf(c: DeploymentGroupDocument["alarmConfiguration"]): string[] {
  if (!c || c.enabled === false) return [];
  return (c.alarms ?? []).map((a) => (typeof a === "string" ? a : a.name));
}

/**
 * Reads a groups document: YAML or JSON text, or the parsed object (DEPLOYMENT_GROUPS carries it as JSON).
 * Every problem is reported at once with its path (`applications.orders.deploymentGroups.live.target.alias: ...`),
 * as `Deploy.InvalidGroupsFile`.
 */
export function parseGroups(raw: unknown, source = "groups file"): Groups {
  let doc = raw;
  if (typeof raw === "string") {
    const parsed = parseDocument(raw);
    const error = parsed.errors[0];
    if (error) throw invalid([{ field: source, reason: `is not YAML or JSON: ${error.message.split("\n")[0]}` }]);
    doc = parsed.toJS();
  }
  const r = GroupsFileSchema.safeParse(doc ?? {});
  if (!r.success) throw invalid(problemsOf(r.error, source));
  const problems: Problem[] = [];
  const configs = r.data.deploymentConfigs ?? {};
  for (const [name, config] of Object.entries(configs)) checkConfig(config, `deploymentConfigs.${name}`, problems);
  const groups: DeploymentGroup[] = [];
  for (const [application, app] of Object.entries(r.data.applications)) {
    if (app.computePlatform !== "Lambda") {
      problems.push({
        field: `applications.${application}.computePlatform`,
        reason: `${app.computePlatform} deployment groups are not supported yet (they come with the ${app.computePlatform === "ECS" ? "ECS" : "EC2/on-premises"} deployments); use Lambda`,
      });
      continue;
    }
    for (const [name, g] of Object.entries(app.deploymentGroups)) {
      const at = `applications.${application}.deploymentGroups.${name}`;
      groups.push(groupOf(application, name, g));
      const configName = g.deploymentConfigName ?? DEFAULT_LAMBDA_CONFIG;
      if (!Object.hasOwn(configs, configName)) checkConfig(configName, `${at}.deploymentConfigName`, problems);
      checkAlarms(alarmNamesOf(g.alarmConfiguration), `${at}.alarmConfiguration.alarms`, problems);
      checkGates(g, at, problems);
    }
  }
  checkOwners(groups, problems);
  if (problems.length) throw invalid(problems);
  return { groups, deploymentConfigs: configs };
}

function groupOf(application: string, deploymentGroup: string, g: DeploymentGroupDocument): DeploymentGroup {
  return {
    application,
    deploymentGroup,
    computePlatform: "Lambda",
    id: groupId(application, deploymentGroup),
    ...(g.description ? { description: g.description } : {}),
    target: g.target,
    deploymentConfigName: g.deploymentConfigName ?? DEFAULT_LAMBDA_CONFIG,
    hooks: { beforeAllowTraffic: g.hooks?.beforeAllowTraffic ?? null, afterAllowTraffic: g.hooks?.afterAllowTraffic ?? null, timeoutSeconds: g.hooks?.timeoutSeconds ?? 3600 },
    alarms: alarmNamesOf(g.alarmConfiguration),
    ignorePollAlarmFailure: g.alarmConfiguration?.ignorePollAlarmFailure === true,
    autoRollback: autoRollbackOf(g.autoRollbackConfiguration),
    triggers: g.triggerConfigurations ?? [],
    alarmMonitoring: g.alarmMonitoring ?? "events",
    ...(g.alarmPollSeconds ? { alarmPollSeconds: g.alarmPollSeconds } : {}),
    ...(g.metricGates ? { metricGates: g.metricGates } : {}),
    queue: g.queue === true,
    ...(g.release ? { release: g.release } : {}),
  };
}

const invalid = (problems: Problem[]) => new ValidationErrors(problems, ErrorNames.InvalidGroupsFile);

function checkConfig(config: unknown, field: string, problems: Problem[]): void {
  try {
    resolveSchedule(config);
  } catch (e) {
    problems.push({ field, reason: (e as Error).message });
  }
}

function checkAlarms(names: string[], field: string, problems: Problem[]): void {
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (n.length === 0 || n.length > 255) problems.push({ field: `${field}[${i}]`, reason: "must be an alarm name of 1 to 255 characters" });
    else if (seen.has(n)) problems.push({ field: `${field}[${i}]`, reason: `duplicate alarm name '${n}' (CodeDeploy InvalidAlarmConfigException)` });
    seen.add(n);
  });
}

function checkGates(g: DeploymentGroupDocument, at: string, problems: Problem[]): void {
  try {
    parseMetricGates(g.metricGates, { ...g.target, targetVersion: "1" });
  } catch (e) {
    const inner = e instanceof ValidationErrors ? e.problems : [{ field: "metricGates", reason: (e as Error).message }];
    problems.push(...inner.map((p) => ({ field: `${at}.${p.field}`, reason: p.reason })));
  }
}

/** One owner per traffic target, and per release source name, in a stage. */
function checkOwners(groups: DeploymentGroup[], problems: Problem[]): void {
  const targets = new Map<string, DeploymentGroup>();
  const releases = new Map<string, DeploymentGroup>();
  for (const g of groups) {
    const at = `applications.${g.application}.deploymentGroups.${g.deploymentGroup}`;
    const key = `${g.target.functionName}:${g.target.alias}`;
    const owner = targets.get(key);
    if (owner) problems.push({ field: `${at}.target`, reason: `${key} is already the target of ${owner.application}/${owner.deploymentGroup}; a function:alias belongs to one group` });
    else targets.set(key, g);
    if (!g.release) continue;
    const other = releases.get(g.release.name);
    if (other) problems.push({ field: `${at}.release.name`, reason: `'${g.release.name}' is already the release of ${other.application}/${other.deploymentGroup}` });
    else releases.set(g.release.name, g);
  }
}

/** The group, or `Deploy.DeploymentGroupNotFound` naming what exists (CodeDeploy's DeploymentGroupDoesNotExistException). */
export function findGroup(groups: Groups, application: string, deploymentGroup: string): DeploymentGroup {
  const found = groups.groups.find((g) => g.application === application && g.deploymentGroup === deploymentGroup);
  if (found) return found;
  const apps = [...new Set(groups.groups.map((g) => g.application))];
  const reason = !apps.includes(application)
    ? `application '${application}' does not exist in this stage's groups (${apps.length ? apps.join(", ") : "none declared"})`
    : `deployment group '${deploymentGroup}' does not exist in application '${application}' (${groups.groups
        .filter((g) => g.application === application)
        .map((g) => g.deploymentGroup)
        .join(", ")})`;
  throw new ValidationErrors([{ field: !apps.includes(application) ? "application" : "deploymentGroup", reason }], ErrorNames.DeploymentGroupNotFound);
}
