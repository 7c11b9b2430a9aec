import { type At, asMap, asSeq, type Checker, child, entries, isNull, isPlaceholder, items, required, str, unknownKeys } from "./check.js";
import type { MapNode } from "./document.js";
import { formatPath } from "./path.js";
import { eventOrder, explainUnknownEvent, LIFECYCLE } from "./lifecycle.js";
import { checkPermission } from "./server-permissions.js";
import type { AppSpecHook, AppSpecResource, FileExistsBehavior, ServerOs, ServerPermission, ServerScript } from "./types.js";
import { checkVersion } from "./version.js";

/**
 * EC2/on-premises AppSpec (codedeploy-spec §4.1). Keys are case-sensitive: the agent reads `yaml_hash['hooks']`
 * etc. from a Ruby hash, so `Hooks:` is silently ignored there (we warn).
 */
const TOP_KEYS = ["version", "os", "files", "file_exists_behavior", "permissions", "hooks"];
const SCRIPT_KEYS = ["location", "timeout", "runas", "sudo"];
const FILE_EXISTS: readonly FileExistsBehavior[] = ["DISALLOW", "OVERWRITE", "RETAIN"];
/** Per lifecycle event (UG reference-appspec-file-structure-hooks; UG limits). */
export const MAX_EVENT_TIMEOUT_SECONDS = 3600;

export interface ServerModel {
  resources: AppSpecResource[];
  hooks: AppSpecHook[];
  server: { os?: ServerOs; fileExistsBehavior: FileExistsBehavior; fileExistsBehaviorGiven: boolean; permissions: ServerPermission[] };
}

export function checkServer(root: At<MapNode>, c: Checker): ServerModel {
  unknownKeys(root, TOP_KEYS, c, false, "is ignored by the CodeDeploy agent");
  checkVersion(root, "server", c);
  const os = checkOs(root, c);
  const resources = checkFiles(root, os, c);
  const { behavior, given } = checkFileExists(root, c);
  const permissions = checkPermissions(root, os, c);
  const hooks = checkHooks(root, os, c);
  return { resources, hooks, server: { os, fileExistsBehavior: behavior, fileExistsBehaviorGiven: given, permissions } };
}

function checkOs(root: At<MapNode>, c: Checker): ServerOs | undefined {
  const at = required(root, "os", c, false, "specify linux or windows");
  const os = str(at, c, "os");
  if (os === "linux" || os === "windows") return os;
  if (at && os !== undefined) c.error(at, `unsupported os '${os}': specify either linux or windows (lowercase)`);
  return undefined;
}

/** `files`: optional; each entry needs `source` and `destination` (file_info.rb); destination fully qualified (UG ...-files). */
function checkFiles(root: At<MapNode>, os: ServerOs | undefined, c: Checker): AppSpecResource[] {
  const at = child(root, "files", c);
  if (!at || isNull(at.node)) return [];
  const seq = asSeq(at, c, "files (a list of '- source: ... destination: ...')");
  if (!seq) return [];
  const out: AppSpecResource[] = [];
  for (const item of items(seq)) {
    const map = asMap(item, c, "each files entry");
    if (!map) continue;
    unknownKeys(map, ["source", "destination"], c, false, "is ignored by the CodeDeploy agent");
    const source = str(required(map, "source", c, false, "a files entry needs both source and destination"), c, "source");
    const destAt = required(map, "destination", c, false, "a files entry needs both source and destination");
    const destination = str(destAt, c, "destination");
    if (destAt && destination !== undefined && os && !isPlaceholder(destination) && !isAbsolute(destination, os)) {
      c.error(destAt, `destination '${destination}' must be a fully qualified path (${os === "windows" ? "e.g. c:\\inetpub\\app" : "e.g. /var/www/app"})`);
    }
    if (source !== undefined && destination !== undefined) out.push({ kind: "files", source, destination, path: formatPath(map.path), line: map.node.line });
  }
  return out;
}

function isAbsolute(path: string, os: ServerOs): boolean {
  return os === "windows" ? /^([A-Za-z]:[\\/]|\\\\)/.test(path) : path.startsWith("/");
}

function checkFileExists(root: At<MapNode>, c: Checker): { behavior: FileExistsBehavior; given: boolean } {
  const at = child(root, "file_exists_behavior", c);
  if (!at || isNull(at.node)) return { behavior: "DISALLOW", given: false };
  const v = str(at, c, "file_exists_behavior");
  if (v !== undefined && (FILE_EXISTS as string[]).includes(v)) return { behavior: v as FileExistsBehavior, given: true };
  if (v !== undefined) c.error(at, `file_exists_behavior must be one of ${FILE_EXISTS.join(", ")}, got '${v}'`);
  return { behavior: "DISALLOW", given: false };
}

function checkPermissions(root: At<MapNode>, os: ServerOs | undefined, c: Checker): ServerPermission[] {
  const at = child(root, "permissions", c);
  if (!at || isNull(at.node)) return [];
  const seq = asSeq(at, c, "permissions");
  if (!seq) return [];
  if (os === "windows" && seq.node.items.length > 0) {
    c.error(seq, "permissions are supported only for Linux instances; the agent fails a Windows deployment that specifies them");
    return [];
  }
  const out: ServerPermission[] = [];
  for (const item of items(seq)) {
    const p = checkPermission(item, c);
    if (p) out.push(p);
  }
  return out;
}

/** `hooks`: a map of lifecycle event → list of scripts (UG ...-hooks "Structure of 'hooks' section"). */
function checkHooks(root: At<MapNode>, os: ServerOs | undefined, c: Checker): AppSpecHook[] {
  const at = child(root, "hooks", c);
  if (!at || isNull(at.node)) return [];
  if (at.node.kind === "seq") {
    c.error(at, "hooks must be a map of lifecycle event names to script lists (BeforeInstall:\\n  - location: ...); a list of '- Event: function' is the Lambda/ECS form");
    return [];
  }
  const map = asMap(at, c, "hooks");
  if (!map) return [];
  const out: AppSpecHook[] = [];
  for (const event of entries(map)) {
    const order = eventOrder("server", event.key);
    if (order < 0 || !LIFECYCLE.server[order]!.scriptable) {
      c.error({ path: event.path, line: event.keyLine }, explainUnknownEvent("server", event.key));
      continue;
    }
    const scripts = checkScripts(event, os, c);
    if (scripts) out.push({ kind: "scripts", event: event.key, order, scripts, path: formatPath(event.path), line: event.keyLine });
  }
  return out.sort((a, b) => a.order - b.order);
}

function checkScripts(event: At & { key: string }, os: ServerOs | undefined, c: Checker): ServerScript[] | undefined {
  if (isNull(event.node)) {
    c.error(event, `${event.key} has no scripts; list them ('- location: scripts/x.sh') or remove the event (the agent fails on an empty event)`);
    return undefined;
  }
  if (event.node.kind === "map") {
    c.error(event, `${event.key} must be a list of scripts ('- location: ...'), not a map; put a '-' before location`);
    return undefined;
  }
  const seq = asSeq(event, c, event.key);
  if (!seq) return undefined;
  const scripts: ServerScript[] = [];
  let explicitTotal = 0;
  for (const item of items(seq)) {
    const map = asMap(item, c, "each script");
    if (!map) continue;
    unknownKeys(map, SCRIPT_KEYS, c, false, "is ignored by the CodeDeploy agent");
    const location = str(required(map, "location", c, false, "the agent fails with 'a script with no location value'"), c, "location");
    const timeout = checkTimeout(child(map, "timeout", c), c);
    if (timeout !== undefined) explicitTotal += timeout;
    const runasAt = child(map, "runas", c);
    const runas = runasAt && !isNull(runasAt.node) ? str(runasAt, c, "runas") : undefined;
    if (runasAt && runas !== undefined && os === "windows") c.warn(runasAt, "runas applies to Linux instances only; the agent ignores it on Windows");
    if (location !== undefined) scripts.push({ location, timeoutSeconds: timeout ?? MAX_EVENT_TIMEOUT_SECONDS, ...(runas !== undefined ? { runas } : {}) });
  }
  if (explicitTotal > MAX_EVENT_TIMEOUT_SECONDS) {
    c.error(event, `the timeouts of ${event.key}'s scripts add up to ${explicitTotal} s; a lifecycle event may take at most ${MAX_EVENT_TIMEOUT_SECONDS} s in total`);
  }
  return scripts;
}

/** script_info.rb: default 3600, must be > 0; UG: at most 3600 s per lifecycle event. */
function checkTimeout(at: At | undefined, c: Checker): number | undefined {
  if (!at || isNull(at.node)) return undefined;
  const n = at.node;
  const raw = n.kind === "scalar" ? n.value : undefined;
  const value = typeof raw === "number" ? raw : typeof raw === "string" && /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value)) {
    c.error(at, `timeout must be a whole number of seconds (1-${MAX_EVENT_TIMEOUT_SECONDS})`);
    return undefined;
  }
  if (value <= 0) {
    c.error(at, `timeout must be positive, got ${value}`);
    return undefined;
  }
  if (value > MAX_EVENT_TIMEOUT_SECONDS) {
    c.error(at, `timeout ${value} s exceeds the ${MAX_EVENT_TIMEOUT_SECONDS} s maximum for a lifecycle event`);
    return undefined;
  }
  return value;
}
