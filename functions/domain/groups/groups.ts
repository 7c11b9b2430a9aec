import { parseDocument } from "yaml";
import { resolveConfig, resolveSchedule } from "../configs/index.js";
import { DEFAULT_ECS_CONFIG, resolveEcsConfig } from "../ecs/configs.js";
import { DEFAULT_SERVER_CONFIG, resolveServerConfig } from "../fleet/minimum-healthy.js";
import { weightedGates } from "../fleet/weighted.js";
import { autoRollbackOf, type DeployLambdaInput } from "../deployment/input.js";
import { ErrorNames, ValidationErrors } from "../errors.js";
import { parseMetricGates } from "../gates/gate.js";
import { type Problem, problemsOf } from "../schema/fields.js";
import { groupId } from "./id.js";
import {
  COMPUTE_PLATFORMS,
  type ComputePlatform,
  type DeploymentGroupDocument,
  type EcsDeploymentGroupDocument,
  GROUP_FIELDS,
  GroupsFileSchema,
  type ServerDeploymentGroupDocument,
  type TagFilter,
  type TriggerConfig,
} from "./schema.js";

/** CodeDeploy's default for a Lambda deployment group without a config (CreateDeploymentGroup). */
export const DEFAULT_LAMBDA_CONFIG = "CodeDeployDefault.LambdaAllAtOnce";

/** What a deployment group of any platform holds, defaults filled in, alarms as names. */
interface GroupBase {
  application: string;
  deploymentGroup: string;
  /** CodeDeploy's deploymentGroupId (`instanceGroupId` in its events): a UUID derived from the two names. */
  id: string;
  description?: string;
  deploymentConfigName: string;
  alarms: string[];
  ignorePollAlarmFailure: boolean;
  autoRollback: DeployLambdaInput["autoRollback"];
  triggers: TriggerConfig[];
  alarmMonitoring: DeployLambdaInput["alarmMonitoring"];
  alarmPollSeconds?: number;
  metricGates?: unknown[];
  queue: boolean;
}

/** A Lambda deployment group: a function's alias. */
export interface LambdaDeploymentGroup extends GroupBase {
  computePlatform: "Lambda";
  target: { functionName: string; alias: string };
  hooks: DeployLambdaInput["hooks"];
  release?: DeploymentGroupDocument["release"];
}

/** An ECS deployment group: one service, its target group pair and routes, blue/green options, hook defaults. */
export interface EcsDeploymentGroup extends GroupBase {
  computePlatform: "ECS";
  ecs: { cluster: string; service: string; targetGroups: [string, string]; prodTrafficRoute: { listenerArn: string }; testTrafficRoute?: { listenerArn: string } };
  blueGreen: { terminationWaitMinutes: number; readyWait?: { waitMinutes: number; actionOnTimeout: "CONTINUE_DEPLOYMENT" | "STOP_DEPLOYMENT" } };
  hooks: Record<string, string | number>;
  release?: EcsDeploymentGroupDocument["release"];
}

/** An EC2/on-premises group: instances by tag filters (any of them) and Auto Scaling group names. */
export interface ServerDeploymentGroup extends GroupBase {
  computePlatform: "Server";
  ec2TagFilters: TagFilter[];
  onPremisesInstanceTagFilters: TagFilter[];
  autoScalingGroups: string[];
  /** CodeDeploy's outdatedInstancesStrategy (default UPDATE). */
  outdatedInstancesStrategy: "UPDATE" | "IGNORE";
  /** CodeDeploy's terminationHookEnabled (default false): scale-ins of its Auto Scaling groups get termination deployments. */
  terminationHookEnabled: boolean;
  /** The ALB/NLB target groups BlockTraffic/AllowTraffic move each batch in (loadBalancerInfo.targetGroupInfoList); empty: none. */
  targetGroups: string[];
  /** The Classic Load Balancers the same way (loadBalancerInfo.elbInfoList); empty: none. */
  classicLoadBalancers: string[];
  /** BLUE_GREEN: CodeDeploy's blueGreenDeploymentConfiguration (docs/ec2.md#blue-green). */
  blueGreen?: NonNullable<ServerDeploymentGroupDocument["blueGreenDeploymentConfiguration"]>;
  /** BLUE_GREEN with targetGroupPairInfoList: the weighted reroute (`targetGroups` is then [blue, green]; docs/ec2.md#weighted). */
  trafficRouting?: { listenerArn: string; configName: string };
}

/** A deployment group as the workflows use it. */
export type DeploymentGroup = LambdaDeploymentGroup | EcsDeploymentGroup | ServerDeploymentGroup;

/** CodeDeploy's default config of a group that names none (CreateDeploymentGroup), per platform. */
export const DEFAULT_CONFIGS: Record<ComputePlatform, string> = { Lambda: DEFAULT_LAMBDA_CONFIG, ECS: DEFAULT_ECS_CONFIG, Server: DEFAULT_SERVER_CONFIG };

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
  if (!r.success) throw invalid(problemsOf(r.error, source).map((p) => withPlatformHint(p, doc)));
  const problems: Problem[] = [];
  const configs = r.data.deploymentConfigs ?? {};
  for (const [name, config] of Object.entries(configs)) checkConfig(config, `deploymentConfigs.${name}`, platformOfConfig(config), problems);
  const groups: DeploymentGroup[] = [];
  for (const [application, app] of Object.entries(r.data.applications)) {
    for (const [name, g] of Object.entries(app.deploymentGroups)) {
      const at = `applications.${application}.deploymentGroups.${name}`;
      const group = groupOf(application, name, app.computePlatform, g);
      groups.push(group);
      const configName = group.deploymentConfigName;
      if (Object.hasOwn(configs, configName)) checkConfig(configs[configName], `${at}.deploymentConfigName`, app.computePlatform, problems, configName);
      else checkConfig(configName, `${at}.deploymentConfigName`, app.computePlatform, problems);
      checkAlarms(group.alarms, `${at}.alarmConfiguration.alarms`, problems);
      // A weighted reroute's steps are traffic routing, as an ECS group's config (a Server or Lambda config is refused).
      if (group.computePlatform === "Server" && group.trafficRouting) checkWeightedGates(g, at, problems);
      if (group.computePlatform === "Server" && group.trafficRouting) checkConfig(configs[group.trafficRouting.configName] ?? group.trafficRouting.configName, `${at}.trafficRoutingConfigName`, "ECS", problems, group.trafficRouting.configName);
      if (group.computePlatform === "Lambda") checkGates(g as DeploymentGroupDocument, at, problems);
    }
  }
  checkOwners(groups, problems);
  if (problems.length) throw invalid(problems);
  return { groups, deploymentConfigs: configs };
}

function groupOf(application: string, deploymentGroup: string, platform: ComputePlatform, doc: AnyGroupDocument): DeploymentGroup {
  const g = doc as Partial<DeploymentGroupDocument & EcsDeploymentGroupDocument & ServerDeploymentGroupDocument>;
  const base: GroupBase = {
    application,
    deploymentGroup,
    id: groupId(application, deploymentGroup),
    ...(g.description ? { description: g.description } : {}),
    deploymentConfigName: g.deploymentConfigName ?? DEFAULT_CONFIGS[platform],
    alarms: alarmNamesOf(g.alarmConfiguration),
    ignorePollAlarmFailure: g.alarmConfiguration?.ignorePollAlarmFailure === true,
    autoRollback: autoRollbackOf(g.autoRollbackConfiguration),
    triggers: g.triggerConfigurations ?? [],
    alarmMonitoring: g.alarmMonitoring ?? "events",
    ...(g.alarmPollSeconds ? { alarmPollSeconds: g.alarmPollSeconds } : {}),
    ...(g.metricGates ? { metricGates: g.metricGates } : {}),
    queue: g.queue === true,
  };
  if (platform === "ECS") return ecsGroupOf(base, doc as EcsDeploymentGroupDocument);
  if (platform === "Server") {
    const s = doc as ServerDeploymentGroupDocument;
    const pair = s.loadBalancerInfo?.targetGroupPairInfoList?.[0];
    const targetGroups = (pair?.targetGroups ?? s.loadBalancerInfo?.targetGroupInfoList ?? []).map((t) => t.name);
    const classicLoadBalancers = (s.loadBalancerInfo?.elbInfoList ?? []).map((t) => t.name);
    const blueGreen = s.deploymentStyle?.deploymentType === "BLUE_GREEN" ? { blueGreen: s.blueGreenDeploymentConfiguration ?? {} } : {};
    const trafficRouting = pair ? { trafficRouting: { listenerArn: pair.prodTrafficRoute.listenerArns[0] ?? "", configName: s.trafficRoutingConfigName ?? DEFAULT_ECS_CONFIG } } : {};
    return { ...base, computePlatform: "Server", ec2TagFilters: s.ec2TagFilters ?? [], onPremisesInstanceTagFilters: s.onPremisesInstanceTagFilters ?? [], autoScalingGroups: s.autoScalingGroups ?? [], outdatedInstancesStrategy: s.outdatedInstancesStrategy ?? "UPDATE", terminationHookEnabled: s.terminationHookEnabled === true, targetGroups, classicLoadBalancers, ...blueGreen, ...trafficRouting };
  }
  const l = doc as DeploymentGroupDocument;
  return {
    ...base,
    computePlatform: "Lambda",
    target: l.target,
    hooks: { beforeAllowTraffic: l.hooks?.beforeAllowTraffic ?? null, afterAllowTraffic: l.hooks?.afterAllowTraffic ?? null, timeoutSeconds: l.hooks?.timeoutSeconds ?? 3600 },
    ...(l.release ? { release: l.release } : {}),
  };
}

type AnyGroupDocument = DeploymentGroupDocument | EcsDeploymentGroupDocument | ServerDeploymentGroupDocument;

/** CodeDeploy's ECS group fields in the shape the deploy-ecs input takes them (docs/ecs.md). */
function ecsGroupOf(base: GroupBase, e: EcsDeploymentGroupDocument): EcsDeploymentGroup {
  const svc = e.ecsServices[0] as { clusterName: string; serviceName: string };
  const pair = e.loadBalancerInfo.targetGroupPairInfoList[0] as EcsDeploymentGroupDocument["loadBalancerInfo"]["targetGroupPairInfoList"][number];
  const test = pair.testTrafficRoute?.listenerArns[0];
  const bg = e.blueGreenDeploymentConfiguration;
  const ready = bg?.deploymentReadyOption;
  const hooks = Object.fromEntries(Object.entries(e.hooks ?? {}).filter(([, v]) => v !== null && v !== undefined)) as Record<string, string | number>;
  return {
    ...base,
    computePlatform: "ECS",
    ecs: {
      cluster: svc.clusterName,
      service: svc.serviceName,
      targetGroups: [pair.targetGroups[0]?.name ?? "", pair.targetGroups[1]?.name ?? ""],
      prodTrafficRoute: { listenerArn: pair.prodTrafficRoute.listenerArns[0] ?? "" },
      ...(test ? { testTrafficRoute: { listenerArn: test } } : {}),
    },
    blueGreen: {
      terminationWaitMinutes: bg?.terminateBlueInstancesOnDeploymentSuccess?.terminationWaitTimeInMinutes ?? 0,
      ...(ready ? { readyWait: { waitMinutes: ready.waitTimeInMinutes ?? 0, actionOnTimeout: ready.actionOnTimeout } } : {}),
    },
    hooks,
    ...(e.release ? { release: e.release } : {}),
  };
}

/** A field of another platform's group is named as such ("is a field of ECS deployment groups"), not just as unknown. */
function withPlatformHint(p: Problem, doc: unknown): Problem {
  const m = /^applications\.([^.]+)\.deploymentGroups\.([^.]+)\.([^.[]+)$/.exec(p.field);
  if (!m || p.reason !== "unknown field") return p;
  const [, app, , key] = m as unknown as [string, string, string, string];
  const platform = (doc as { applications?: Record<string, { computePlatform?: string }> })?.applications?.[app]?.computePlatform as ComputePlatform | undefined;
  if (!platform || !GROUP_FIELDS[platform]) return p;
  const owners = COMPUTE_PLATFORMS.filter((c) => c !== platform && GROUP_FIELDS[c].includes(key));
  if (!owners.length) return p;
  return { field: p.field, reason: `is a field of ${owners.join(" and ")} deployment groups, not of ${platform} ones (a ${platform} group takes ${GROUP_FIELDS[platform].join(", ")})` };
}

/** What platform a custom config is for: `{minimumHealthyHosts}` is a Server config, anything else traffic routing. */
function platformOfConfig(config: unknown): ComputePlatform | undefined {
  return typeof config === "object" && config !== null && "minimumHealthyHosts" in config ? "Server" : undefined;
}

const invalid = (problems: Problem[]) => new ValidationErrors(problems, ErrorNames.InvalidGroupsFile);

/**
 * A config as the group's platform takes it: Lambda and ECS traffic routing (an ECS group refuses a Lambda config and
 * the other way round), Server minimumHealthyHosts. `platform` undefined: a custom traffic routing config of the file.
 */
function checkConfig(config: unknown, field: string, platform: ComputePlatform | undefined, problems: Problem[], name?: string): void {
  try {
    if (platform === "Server") {
      resolveServerConfig(config, field);
      return;
    }
    if (typeof config === "object" && config !== null && "minimumHealthyHosts" in config) throw new Error(`${name ?? "the config"} is a Server config (minimumHealthyHosts); a ${platform} group takes traffic routing`);
    if (platform === "ECS") resolveEcsConfig(config);
    else if (platform === "Lambda" && resolveConfig(config).computePlatform === "ECS") throw new Error(`${name ?? String(config)} is an ECS config; a Lambda group takes CodeDeployDefault.Lambda* or a custom config`);
    else resolveSchedule(config);
  } catch (e) {
    problems.push({ field, reason: (e as Error).message.replace(/^deploymentConfig: /, "") });
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

/** A pair group's bake gates, as the deploy-server input checks them (metric, ratio, expression; no Lambda version). */
function checkWeightedGates(g: { metricGates?: unknown[] }, at: string, problems: Problem[]): void {
  try {
    weightedGates(g, "");
  } catch (e) {
    if (e instanceof ValidationErrors) problems.push(...e.problems.map((p) => ({ field: `${at}.${p.field}`, reason: p.reason })));
    else throw e;
  }
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
  const releases = new Map<string, LambdaDeploymentGroup>();
  for (const g of groups) {
    const at = `applications.${g.application}.deploymentGroups.${g.deploymentGroup}`;
    if (g.computePlatform !== "Lambda") {
      // An ECS service, like an alias, belongs to one group of the stage.
      if (g.computePlatform === "ECS") {
        const svc = `ecs:${g.ecs.cluster}/${g.ecs.service}`;
        const owner = targets.get(svc);
        if (owner) problems.push({ field: `${at}.ecsServices`, reason: `${svc} is already the service of ${owner.application}/${owner.deploymentGroup}; a service belongs to one group` });
        else targets.set(svc, g);
      }
      continue;
    }
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
