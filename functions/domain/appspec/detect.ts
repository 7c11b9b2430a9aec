import type { DocNode, MapNode } from "./document.js";
import type { Platform } from "./types.js";

/**
 * Which compute platform a document is written for, from its shape alone:
 * - `os`, `files`, `permissions` or `file_exists_behavior`, or `hooks` as a map → Server;
 * - a Resources entry of Type AWS::Lambda::Function / AWS::ECS::Service (or their telltale properties) → Lambda / ECS;
 * - a Hooks list naming an ECS-only event (BeforeInstall, AfterInstall, AfterAllowTestTraffic) → ECS,
 *   one naming only Before/AfterAllowTraffic → Lambda.
 * Returns undefined when nothing decides it (the caller then reports that and asks for --platform).
 */
export function detectPlatform(root: DocNode | undefined): Platform | undefined {
  if (root?.kind !== "map") return undefined;
  const get = (m: MapNode, key: string) => m.entries.find((e) => e.key.toLowerCase() === key.toLowerCase())?.value;
  if (["os", "files", "permissions", "file_exists_behavior"].some((k) => root.entries.some((e) => e.key === k))) return "server";

  const resources = get(root, "Resources");
  const resourceItems = resources?.kind === "seq" ? resources.items : resources?.kind === "map" ? [resources] : [];
  for (const item of resourceItems) {
    if (item.kind !== "map") continue;
    const bodies = item.entries.map((e) => e.value);
    if (item.entries.some((e) => /^(type|properties)$/i.test(e.key))) bodies.push(item);
    for (const body of bodies) {
      if (body.kind !== "map") continue;
      const type = get(body, "Type");
      if (type?.kind === "scalar" && type.value === "AWS::Lambda::Function") return "lambda";
      if (type?.kind === "scalar" && type.value === "AWS::ECS::Service") return "ecs";
      const props = get(body, "Properties");
      if (props?.kind === "map") {
        if (["TaskDefinition", "LoadBalancerInfo"].some((k) => get(props, k))) return "ecs";
        if (["TargetVersion", "CurrentVersion", "Alias"].some((k) => get(props, k))) return "lambda";
      }
    }
  }

  const hooks = get(root, "Hooks");
  if (hooks?.kind === "map" && root.entries.some((e) => e.key === "hooks")) return "server";
  if (hooks?.kind === "seq") {
    const events = hooks.items.flatMap((i) => (i.kind === "map" ? i.entries.map((e) => e.key) : []));
    if (events.some((e) => ["BeforeInstall", "AfterInstall", "AfterAllowTestTraffic"].includes(e))) return "ecs";
    if (events.length > 0 && events.every((e) => e === "BeforeAllowTraffic" || e === "AfterAllowTraffic")) return "lambda";
  }
  return undefined;
}
