import { type At, asMap, type Checker, child, isNull, isPlaceholder, items, str } from "./check.js";
import type { MapNode } from "./document.js";
import { eventOrder, explainUnknownEvent, LIFECYCLE } from "./lifecycle.js";
import { formatPath } from "./path.js";
import type { AppSpecHook } from "./types.js";

/**
 * Lambda/ECS `Hooks`: a list of single-key maps `- BeforeAllowTraffic: FunctionName`
 * (UG reference-appspec-file-structure-hooks, "Structure of 'hooks' section" for Lambda and ECS). Each hook
 * runs once per deployment, so an event may appear once. CodeDeploy runs them in lifecycle order whatever the
 * list order; we return them in that order.
 */
const FUNCTION_NAME = /^(arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?[a-zA-Z0-9-_]{1,64}(:[a-zA-Z0-9-_$]+)?$/;

export function checkFunctionHooks(root: At<MapNode>, platform: "lambda" | "ecs", c: Checker): AppSpecHook[] {
  const at = child(root, "Hooks", c, true);
  if (!at || isNull(at.node)) return [];
  if (at.node.kind === "map") {
    c.error(at, `${String(at.path.at(-1))} must be a list of single-key maps ('- BeforeAllowTraffic: MyHookFunction'), not a map; put a '-' before each event`);
    return [];
  }
  if (at.node.kind !== "seq") {
    c.error(at, `${String(at.path.at(-1))} must be a list of '- Event: FunctionName' entries`);
    return [];
  }
  const seen = new Map<string, string>();
  const out: AppSpecHook[] = [];
  for (const item of items(at as At<typeof at.node>)) {
    if (item.node.kind === "seq" || item.node.kind === "scalar") {
      c.error(item, "each Hooks entry must be a map with one lifecycle event, e.g. '- BeforeAllowTraffic: MyHookFunction'");
      continue;
    }
    const map = asMap(item, c, "each Hooks entry");
    if (!map) continue;
    if (map.node.entries.length !== 1) {
      c.error(map, `each Hooks entry must name exactly one lifecycle event, got ${map.node.entries.length} (${map.node.entries.map((e) => e.key).join(", ")}); start each on its own '- ' line`);
      continue;
    }
    const entry = map.node.entries[0]!;
    const path = [...map.path, entry.key];
    const eventAt = { node: entry.value, path, keyLine: entry.line };
    const order = eventOrder(platform, entry.key);
    if (order < 0 || !LIFECYCLE[platform][order]!.scriptable) {
      c.error({ path, line: entry.line }, explainUnknownEvent(platform, entry.key));
      continue;
    }
    if (entry.value.kind === "seq" || entry.value.kind === "map") {
      c.error({ path, line: entry.line }, `${entry.key} takes one Lambda function name, not ${entry.value.kind === "seq" ? "a list (scripts are for EC2/on-premises)" : "a map"}`);
      continue;
    }
    const fn = str(eventAt, c, `${entry.key} (the hook's Lambda function name)`);
    if (fn === undefined) continue;
    if (!isPlaceholder(fn) && !FUNCTION_NAME.test(fn)) c.error(eventAt, `'${fn}' is not a valid Lambda function name or ARN`);
    const first = seen.get(entry.key);
    if (first !== undefined) {
      c.error({ path, line: entry.line }, `${entry.key} is already given at ${first}; each hook runs once per deployment, so an event may appear once`);
      continue;
    }
    seen.set(entry.key, formatPath(path));
    out.push({ kind: "function", event: entry.key, order, functionName: fn, path: formatPath(path), line: entry.line });
  }
  return out.sort((a, b) => a.order - b.order);
}

/**
 * `Resources`: exactly one `- LogicalName: {Type, Properties}` entry (Lambda and ECS deployments have one
 * target, codedeploy-spec §7.1; the AWS appspec assistant rejects more than one).
 */
export function singleResource(root: At<MapNode>, typeName: string, example: string, c: Checker): { logicalName: string; body: At<MapNode>; itemPath: string; line?: number } | undefined {
  const at = child(root, "Resources", c, true);
  if (!at) {
    c.error({ path: ["Resources"], line: root.node.line }, `Resources is required: one '- ${example}:' entry with Type ${typeName}`);
    return undefined;
  }
  if (isNull(at.node) || (at.node.kind === "seq" && at.node.items.length === 0)) {
    c.error(at, `Resources has no entry: add one '- ${example}:' entry with Type ${typeName}`);
    return undefined;
  }
  if (at.node.kind === "map") {
    c.error(at, `Resources must be a list: write '- ${example}:' (with a dash) above Type and Properties`);
    return undefined;
  }
  if (at.node.kind !== "seq") {
    c.error(at, "Resources must be a list with one entry");
    return undefined;
  }
  const list = items(at as At<typeof at.node>);
  if (list.length > 1) c.error(list[1]!, `Resources has ${list.length} entries; a deployment targets exactly one ${typeName}`);
  const first = list[0]!;
  const map = asMap(first, c, "the Resources entry");
  if (!map) return undefined;
  const keys = map.node.entries.map((e) => e.key.toLowerCase());
  if (keys.includes("type") || keys.includes("properties")) {
    c.error(map, `the Resources entry needs a logical name above Type and Properties, e.g. '- ${example}:'`);
    return undefined;
  }
  if (map.node.entries.length !== 1) {
    c.error(map, `the Resources entry must be a map with one key (the logical name, e.g. '${example}'), got ${map.node.entries.length}`);
    return undefined;
  }
  const e = map.node.entries[0]!;
  const body = asMap({ node: e.value, path: [...map.path, e.key], keyLine: e.line }, c, e.key);
  if (!body) return undefined;
  return { logicalName: e.key, body, itemPath: formatPath(body.path), line: e.line };
}

/** `Type` must be exactly the platform's resource type. */
export function checkType(body: At<MapNode>, expected: string, c: Checker): void {
  const at = child(body, "Type", c, true);
  if (!at) {
    c.error({ path: [...body.path, "Type"], line: body.keyLine }, `Type is required and must be ${expected}`);
    return;
  }
  const t = str(at, c, "Type");
  if (t === undefined || t === expected) return;
  const other = t === "AWS::Lambda::Function" ? " (that is the Lambda resource type)" : t === "AWS::ECS::Service" ? " (that is the ECS resource type)" : "";
  c.error(at, `Type must be ${expected}, got '${t}'${other}`);
}
