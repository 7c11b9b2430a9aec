import type { Platform } from "./types.js";

/**
 * Lifecycle events per platform, in execution order, and whether an AppSpec may attach hooks.
 * Server: codedeploy-spec §3.1 (agent `DEFAULT_ORDERED_LIFECYCLE_EVENTS`; UG reference-appspec-file-structure-hooks,
 * "Lifecycle event hook availability": DownloadBundle, Install, BlockTraffic, AllowTraffic are reserved).
 * Lambda: §3.4. ECS: §3.5 (UG deployment-steps-ecs). Start/End are never scriptable and are left out.
 */
export interface LifecycleEvent {
  name: string;
  scriptable: boolean;
}

const ev = (name: string, scriptable = true): LifecycleEvent => ({ name, scriptable });

export const LIFECYCLE: Record<Platform, readonly LifecycleEvent[]> = {
  server: [
    ev("BeforeBlockTraffic"),
    ev("BlockTraffic", false),
    ev("AfterBlockTraffic"),
    ev("ApplicationStop"),
    ev("DownloadBundle", false),
    ev("BeforeInstall"),
    ev("Install", false),
    ev("AfterInstall"),
    ev("ApplicationStart"),
    ev("ValidateService"),
    ev("BeforeAllowTraffic"),
    ev("AllowTraffic", false),
    ev("AfterAllowTraffic"),
  ],
  lambda: [ev("BeforeAllowTraffic"), ev("AllowTraffic", false), ev("AfterAllowTraffic")],
  ecs: [
    ev("BeforeInstall"),
    ev("Install", false),
    ev("AfterInstall"),
    ev("AllowTestTraffic", false),
    ev("AfterAllowTestTraffic"),
    ev("BeforeAllowTraffic"),
    ev("AllowTraffic", false),
    ev("AfterAllowTraffic"),
  ],
};

/** Server events that only run when the deployment group has a load balancer (UG ...-hooks, run order note). */
export const SERVER_LOAD_BALANCER_EVENTS = new Set(["BeforeBlockTraffic", "AfterBlockTraffic", "BeforeAllowTraffic", "AfterAllowTraffic"]);

/** Position of an event in its platform's order (0-based), or -1. */
export function eventOrder(platform: Platform, name: string): number {
  return LIFECYCLE[platform].findIndex((e) => e.name === name);
}

export function scriptableEvents(platform: Platform): string[] {
  return LIFECYCLE[platform].filter((e) => e.scriptable).map((e) => e.name);
}

/** Why `name` is not a hook for `platform`: reserved, another platform's event, a casing slip, or unknown. */
export function explainUnknownEvent(platform: Platform, name: string): string {
  const own = LIFECYCLE[platform].find((e) => e.name === name);
  if (own && !own.scriptable) return `${name} is reserved for CodeDeploy and cannot run hooks`;
  const sameCase = LIFECYCLE[platform].find((e) => e.scriptable && e.name.toLowerCase() === name.toLowerCase());
  if (sameCase) return `unknown lifecycle event '${name}'; event names are case-sensitive: did you mean ${sameCase.name}?`;
  const others = (Object.keys(LIFECYCLE) as Platform[]).filter((p) => p !== platform && LIFECYCLE[p].some((e) => e.name === name && e.scriptable));
  const allowed = scriptableEvents(platform).join(", ");
  if (others.length > 0) {
    const list = others.map(platformWord).join("/");
    return `${name} is ${withArticle(list)} lifecycle event, not ${withArticle(platformWord(platform))} one; ${platformWord(platform)} hooks: ${allowed}`;
  }
  return `unknown lifecycle event '${name}'; ${platformWord(platform)} hooks: ${allowed}`;
}

function withArticle(word: string): string {
  return `${/^[AEIOU]/.test(word) ? "an" : "a"} ${word}`;
}

function platformWord(p: Platform): string {
  return p === "server" ? "Server" : p === "lambda" ? "Lambda" : "ECS";
}
