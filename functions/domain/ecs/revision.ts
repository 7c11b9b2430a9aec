import { parseAppSpec } from "../appspec/index.js";
import { ValidationErrors } from "../errors.js";
import { ECS_HOOK_EVENTS, type EcsHookEvent, type EcsHooks } from "./lifecycle.js";
import { parseTaskDefinitionRef, taskDefinitionRefText } from "./task-definition-ref.js";
import type { CapacityProviderItem, EcsRevision } from "./task-set-plan.js";

/**
 * The revision of an ECS deployment, in one of two forms:
 *  - `{"appSpecContent": <object or YAML/JSON text>}`: an ECS AppSpec, as CodeDeploy's `AppSpecContent`
 *    revision (codedeploy-spec §4.3). Its Hooks name the hook functions per event (they replace the
 *    group's for those events); unrendered placeholders are refused.
 *  - the same properties directly, in CreateTaskSet's spelling: `{"taskDefinition": "web:7",
 *    "containerName": "web", "containerPort": 80, "platformVersion"?, "networkConfiguration"?
 *    ({awsvpcConfiguration: {...}}), "capacityProviderStrategy"?}`.
 * TaskDefinition may be an ARN, `family:revision` or a family, as ECS accepts it.
 */
export interface ParsedEcsRevision {
  revision: EcsRevision;
  hooks: EcsHooks;
}

const FIELDS = ["taskDefinition", "containerName", "containerPort", "platformVersion", "networkConfiguration", "capacityProviderStrategy"];

export function parseEcsRevision(raw: unknown, field = "revision"): ParsedEcsRevision {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ValidationErrors([{ field, reason: 'must be {"appSpecContent": ...} or {"taskDefinition": ..., ...}' }]);
  const o = raw as Record<string, unknown>;
  if ("appSpecContent" in o) {
    const extra = Object.keys(o).filter((k) => k !== "appSpecContent");
    if (extra.length) throw new ValidationErrors(extra.map((k) => ({ field: `${field}.${k}`, reason: "cannot be given beside appSpecContent (the AppSpec holds the whole revision)" })));
    return fromAppSpec(o.appSpecContent, `${field}.appSpecContent`);
  }
  const problems: { field: string; reason: string }[] = [];
  for (const k of Object.keys(o)) if (!FIELDS.includes(k)) problems.push({ field: `${field}.${k}`, reason: `unknown field; expected appSpecContent or ${FIELDS.join(", ")}` });
  let taskDefinition: string | undefined;
  try {
    taskDefinition = taskDefinitionRefText(parseTaskDefinitionRef(o.taskDefinition, `${field}.taskDefinition`));
  } catch (e) {
    problems.push({ field: `${field}.taskDefinition`, reason: (e as Error).message.replace(/^[^:]+: /, "") });
  }
  if (o.containerName !== undefined && (typeof o.containerName !== "string" || !o.containerName)) problems.push({ field: `${field}.containerName`, reason: "must be a container name" });
  if (o.containerPort !== undefined && !(Number.isInteger(o.containerPort) && (o.containerPort as number) >= 1 && (o.containerPort as number) <= 65535)) problems.push({ field: `${field}.containerPort`, reason: "must be a whole number from 1 to 65535" });
  if (o.platformVersion !== undefined && typeof o.platformVersion !== "string") problems.push({ field: `${field}.platformVersion`, reason: "must be a string such as LATEST or 1.4.0" });
  const network = o.networkConfiguration as { awsvpcConfiguration?: { subnets?: unknown } } | undefined;
  if (network !== undefined && !Array.isArray(network?.awsvpcConfiguration?.subnets)) problems.push({ field: `${field}.networkConfiguration`, reason: 'must be {"awsvpcConfiguration": {"subnets": [...], "securityGroups"?: [...], "assignPublicIp"?: "ENABLED"|"DISABLED"}}' });
  if (o.capacityProviderStrategy !== undefined && !Array.isArray(o.capacityProviderStrategy)) problems.push({ field: `${field}.capacityProviderStrategy`, reason: "must be a list of {capacityProvider, base?, weight?}" });
  if (problems.length || !taskDefinition) throw new ValidationErrors(problems);
  const revision: EcsRevision = { taskDefinition };
  if (typeof o.containerName === "string") revision.containerName = o.containerName;
  if (typeof o.containerPort === "number") revision.containerPort = o.containerPort;
  if (typeof o.platformVersion === "string") revision.platformVersion = o.platformVersion;
  if (network?.awsvpcConfiguration) revision.networkConfiguration = network.awsvpcConfiguration as EcsRevision["networkConfiguration"];
  if (Array.isArray(o.capacityProviderStrategy)) revision.capacityProviderStrategy = o.capacityProviderStrategy as CapacityProviderItem[];
  return { revision, hooks: {} };
}

function fromAppSpec(content: unknown, field: string): ParsedEcsRevision {
  const text = typeof content === "string" ? content : JSON.stringify(content);
  if (content === undefined || content === null || text === undefined) throw new ValidationErrors([{ field, reason: "must be an ECS AppSpec (object, YAML or JSON text)" }]);
  const result = parseAppSpec(text, { platform: "ecs", rejectPlaceholders: true });
  const resource = result.resources.find((r) => r.kind === "ecs-service");
  if (!result.valid) throw new ValidationErrors(result.errors.map((e) => ({ field: `${field}.${e.path}`, reason: `${e.message}${e.line ? ` (line ${e.line})` : ""}` })));
  if (resource?.kind !== "ecs-service") throw new ValidationErrors([{ field, reason: "has no AWS::ECS::Service resource" }]);
  const revision: EcsRevision = { taskDefinition: resource.taskDefinition, containerName: resource.containerName, containerPort: resource.containerPort };
  if (resource.platformVersion) revision.platformVersion = resource.platformVersion;
  if (resource.networkConfiguration) revision.networkConfiguration = resource.networkConfiguration;
  if (resource.capacityProviderStrategy) revision.capacityProviderStrategy = resource.capacityProviderStrategy;
  const hooks: EcsHooks = {};
  for (const h of result.hooks) if (h.kind === "function" && (ECS_HOOK_EVENTS as readonly string[]).includes(h.event)) hooks[h.event as EcsHookEvent] = h.functionName;
  return { revision, hooks };
}
