import { parseTaskDefinitionRef } from "../ecs/task-definition-ref.js";
import { type At, asMap, type Checker, child, isNull, isPlaceholder, items, required, str, stringList, unknownKeys } from "./check.js";
import type { MapNode } from "./document.js";
import { formatPath } from "./path.js";
import { checkFunctionHooks, checkType, singleResource } from "./function-hooks.js";
import type { AppSpecHook, AppSpecResource } from "./types.js";
import { checkVersion } from "./version.js";

/**
 * ECS AppSpec (codedeploy-spec §4.3; UG reference-appspec-file-structure-resources, ECS part). Keys are
 * matched case-insensitively like Lambda's.
 */
const TOP_KEYS = ["version", "Resources", "Hooks"];
const PROPERTY_KEYS = ["TaskDefinition", "LoadBalancerInfo", "PlatformVersion", "NetworkConfiguration", "CapacityProviderStrategy"];
// ECS API CapacityProviderStrategyItem: base 0-100000, weight 0-1000.
const MAX_BASE = 100_000;
const MAX_WEIGHT = 1000;

type EcsResource = Extract<AppSpecResource, { kind: "ecs-service" }>;

export function checkEcs(root: At<MapNode>, c: Checker): { resources: AppSpecResource[]; hooks: AppSpecHook[] } {
  unknownKeys(root, TOP_KEYS, c, true, "is not part of an ECS AppSpec and is ignored");
  checkVersion(root, "ecs", c);
  const resources: AppSpecResource[] = [];
  const res = singleResource(root, "AWS::ECS::Service", "TargetService", c);
  if (res) {
    checkType(res.body, "AWS::ECS::Service", c);
    const propsAt = required(res.body, "Properties", c, true, "give TaskDefinition and LoadBalancerInfo");
    const props = propsAt ? asMap(propsAt, c, "Properties") : undefined;
    if (props) {
      unknownKeys(props, PROPERTY_KEYS, c, true, "is not an ECS AppSpec property and is ignored");
      const tdAt = required(props, "TaskDefinition", c, true, "the task definition ARN, family:revision or family (or a <TASK_DEFINITION> placeholder)");
      const taskDefinition = taskDefinitionOf(tdAt, c);
      const lb = loadBalancerInfo(props, c);
      const pvAt = child(props, "PlatformVersion", c, true);
      const platformVersion = pvAt && !isNull(pvAt.node) ? str(pvAt, c, "PlatformVersion") : undefined;
      const networkConfiguration = network(props, c);
      const capacityProviderStrategy = capacity(props, c);
      if (taskDefinition !== undefined && lb) {
        const r: EcsResource = { kind: "ecs-service", logicalName: res.logicalName, taskDefinition, containerName: lb.name, containerPort: lb.port, path: res.itemPath, line: res.line };
        if (platformVersion !== undefined) r.platformVersion = platformVersion;
        if (networkConfiguration) r.networkConfiguration = networkConfiguration;
        if (capacityProviderStrategy) r.capacityProviderStrategy = capacityProviderStrategy;
        resources.push(r);
      }
    }
  }
  return { resources, hooks: checkFunctionHooks(root, "ecs", c) };
}

/**
 * The UG shows an ARN; ECS itself takes an ARN, `family:revision` or a bare family (its latest ACTIVE revision;
 * ECS API DescribeTaskDefinition/CreateTaskSet `taskDefinition`), and so does the deployment, which resolves it and
 * records the ARN it used. A placeholder stays as written (a template's).
 */
function taskDefinitionOf(at: At | undefined, c: Checker): string | undefined {
  const text = str(at, c, "TaskDefinition");
  if (at === undefined || text === undefined || isPlaceholder(text)) return text;
  try {
    parseTaskDefinitionRef(text, "TaskDefinition");
    return text;
  } catch (e) {
    c.error(at, (e as Error).message.replace(/^TaskDefinition: /, "TaskDefinition "));
    return undefined;
  }
}

function loadBalancerInfo(props: At<MapNode>, c: Checker): { name: string; port: number } | undefined {
  const at = required(props, "LoadBalancerInfo", c, true, "give ContainerName and ContainerPort");
  const map = at ? asMap(at, c, "LoadBalancerInfo") : undefined;
  if (!map) return undefined;
  unknownKeys(map, ["ContainerName", "ContainerPort"], c, true, "is not part of LoadBalancerInfo and is ignored");
  const name = str(required(map, "ContainerName", c, true, "a container of the task definition"), c, "ContainerName");
  const portAt = required(map, "ContainerPort", c, true, "the container port traffic is routed to");
  const port = portAt ? integer(portAt, "ContainerPort", 1, 65535, c) : undefined;
  return name !== undefined && port !== undefined ? { name, port } : undefined;
}

/** "Each property is specified with a string except for ContainerPort, which is a number" (UG). */
function integer(at: At, what: string, min: number, max: number, c: Checker): number | undefined {
  const n = at.node;
  const raw = n.kind === "scalar" ? n.value : undefined;
  let value = typeof raw === "number" ? raw : Number.NaN;
  if (typeof raw === "string" && /^\s*\d+\s*$/.test(raw)) {
    value = Number(raw);
    c.warn(at, `${what} is a quoted string; the AppSpec reference specifies a number (write ${value} without quotes)`);
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    c.error(at, `${what} must be a whole number from ${min} to ${max}, got ${raw === undefined ? "no number" : JSON.stringify(raw)}`);
    return undefined;
  }
  return value;
}

/** "All or none of the settings under NetworkConfiguration must be specified" (UG). */
function network(props: At<MapNode>, c: Checker): EcsResource["networkConfiguration"] {
  const at = child(props, "NetworkConfiguration", c, true);
  if (!at || isNull(at.node)) return undefined;
  const map = asMap(at, c, "NetworkConfiguration");
  if (!map) return undefined;
  unknownKeys(map, ["AwsvpcConfiguration"], c, true, "is not part of NetworkConfiguration and is ignored");
  const vpcAt = required(map, "AwsvpcConfiguration", c, true, "give Subnets, SecurityGroups and AssignPublicIp");
  const vpc = vpcAt ? asMap(vpcAt, c, "AwsvpcConfiguration") : undefined;
  if (!vpc) return undefined;
  unknownKeys(vpc, ["Subnets", "SecurityGroups", "AssignPublicIp"], c, true, "is not part of AwsvpcConfiguration and is ignored");
  const subnetsAt = child(vpc, "Subnets", c, true);
  const groupsAt = child(vpc, "SecurityGroups", c, true);
  const ipAt = child(vpc, "AssignPublicIp", c, true);
  const given = [subnetsAt, groupsAt, ipAt].filter((a) => a && !isNull(a.node)).length;
  if (given === 0) return undefined;
  if (given < 3) {
    const missing = [
      [subnetsAt, "Subnets"],
      [groupsAt, "SecurityGroups"],
      [ipAt, "AssignPublicIp"],
    ]
      .filter(([a]) => !a || isNull((a as At).node))
      .map(([, k]) => k as string);
    c.error(vpc, `AwsvpcConfiguration must give all of Subnets, SecurityGroups and AssignPublicIp or none; missing ${missing.join(", ")}`);
    return undefined;
  }
  const subnets = nonEmptyList(subnetsAt!, "Subnets", c);
  const securityGroups = nonEmptyList(groupsAt!, "SecurityGroups", c);
  const ip = str(ipAt, c, "AssignPublicIp");
  if (ip !== undefined && ip !== "ENABLED" && ip !== "DISABLED" && !isPlaceholder(ip)) c.error(ipAt!, `AssignPublicIp must be ENABLED or DISABLED, got '${ip}'`);
  if (!subnets || !securityGroups || (ip !== "ENABLED" && ip !== "DISABLED")) return undefined;
  return { subnets, securityGroups, assignPublicIp: ip };
}

function nonEmptyList(at: At, what: string, c: Checker): string[] | undefined {
  const list = stringList(at, c, what);
  if (list && list.length === 0) {
    c.error(at, `${what} must list at least one entry`);
    return undefined;
  }
  return list;
}

/** ECS: "Only one capacity provider in a capacity provider strategy can have a base defined" (a base above 0; UG's example sets Base: 0 on the second). */
function capacity(props: At<MapNode>, c: Checker): EcsResource["capacityProviderStrategy"] {
  const at = child(props, "CapacityProviderStrategy", c, true);
  if (!at || isNull(at.node)) return undefined;
  if (at.node.kind !== "seq") {
    c.error(at, "CapacityProviderStrategy must be a list of {CapacityProvider, Base, Weight}");
    return undefined;
  }
  const out: NonNullable<EcsResource["capacityProviderStrategy"]> = [];
  let withBase: At | undefined;
  for (const item of items(at as At<typeof at.node>)) {
    const map = asMap(item, c, "each CapacityProviderStrategy entry");
    if (!map) continue;
    unknownKeys(map, ["CapacityProvider", "Base", "Weight"], c, true, "is not part of a capacity provider strategy and is ignored");
    const provider = str(required(map, "CapacityProvider", c, true), c, "CapacityProvider");
    const baseAt = child(map, "Base", c, true);
    const weightAt = child(map, "Weight", c, true);
    const base = baseAt && !isNull(baseAt.node) ? integer(baseAt, "Base", 0, MAX_BASE, c) : undefined;
    const weight = weightAt && !isNull(weightAt.node) ? integer(weightAt, "Weight", 0, MAX_WEIGHT, c) : undefined;
    if (base !== undefined && base > 0) {
      if (withBase) c.error(baseAt!, `only one capacity provider may have a Base above 0 (already set at ${formatPath(withBase.path)})`);
      else withBase = map;
    }
    if (provider !== undefined) out.push({ capacityProvider: provider, ...(base !== undefined ? { base } : {}), ...(weight !== undefined ? { weight } : {}) });
  }
  return out;
}
