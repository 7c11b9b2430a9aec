import { type At, asMap, asSeq, type Checker, child, isNull, isPlaceholder, items, required, str, stringList, unknownKeys } from "./check.js";
import type { MapNode } from "./document.js";
import type { ServerPermission } from "./types.js";

/**
 * The `permissions` section, checked the way the CodeDeploy agent parses it
 * (aws-codedeploy-agent lib/.../application_specification/{application_specification,mode_info,ace_info,
 * context_info,range_info}.rb; UG reference-appspec-file-structure-permissions).
 */
const KEYS = ["object", "pattern", "except", "owner", "group", "mode", "acls", "context", "type"];

export function checkPermission(at: At, c: Checker): ServerPermission | undefined {
  const map = asMap(at, c, "each permissions entry");
  if (!map) return undefined;
  unknownKeys(map, KEYS, c, false, "is ignored by the CodeDeploy agent");
  const object = str(required(map, "object", c, false, "the agent fails with 'a permission ... has no object value'"), c, "object");
  const patternAt = child(map, "pattern", c);
  const pattern = patternAt && !isNull(patternAt.node) ? (str(patternAt, c, "pattern") ?? "**") : "**";
  const exceptAt = child(map, "except", c);
  const except = exceptAt && !isNull(exceptAt.node) ? (stringList(exceptAt, c, "except") ?? []) : [];
  const owner = optionalStr(map, "owner", c);
  const group = optionalStr(map, "group", c);
  const mode = checkMode(child(map, "mode", c), c);
  const aclsAt = child(map, "acls", c);
  const acls = aclsAt && !isNull(aclsAt.node) ? stringList(aclsAt, c, "acls") : undefined;
  if (aclsAt && acls) {
    for (const [i, ace] of acls.entries()) {
      const why = isPlaceholder(ace) ? undefined : aceProblem(ace);
      if (why) c.error({ path: [...aclsAt.path, i], line: aclsAt.node.kind === "seq" ? aclsAt.node.items[i]?.line : aclsAt.keyLine }, `invalid acl entry '${ace}': ${why}`);
    }
  }
  const context = checkContext(child(map, "context", c), c);
  const type = checkTypes(child(map, "type", c), c);
  if (object === undefined) return undefined;
  return { object, pattern, except, owner, group, mode, acls, context, type };
}

function optionalStr(map: At<MapNode>, key: string, c: Checker): string | undefined {
  const at = child(map, key, c);
  return at && !isNull(at.node) ? str(at, c, key) : undefined;
}

/** mode_info.rb: `mode.to_s`, left-padded to 3, at most 4 characters, each 0-7. */
function checkMode(at: At | undefined, c: Checker): string | undefined {
  if (!at || isNull(at.node)) return undefined;
  const n = at.node;
  if (n.kind !== "scalar" || typeof n.value === "boolean") {
    c.error(at, "mode must be an octal number such as 644 or \"0644\"");
    return undefined;
  }
  const octalLiteral = typeof n.value === "number" && !n.quoted && n.source !== undefined && /^0[0-7]+$/.test(n.source);
  let mode = String(n.value);
  if (isPlaceholder(mode)) return mode;
  while (mode.length < 3) mode = `0${mode}`;
  const reread = octalLiteral ? ` (YAML 1.1 reads an unquoted ${n.source} as the octal number ${n.value}, so the agent sees mode ${mode})` : "";
  if (mode.length > 4 || !/^[0-7]+$/.test(mode)) {
    c.error(at, `mode ${mode} is not 1-4 octal digits${reread}; quote leading-zero modes, e.g. mode: "0644"`);
    return undefined;
  }
  if (octalLiteral) c.warn(at, `mode ${n.source} is unquoted${reread}, not ${n.source?.replace(/^0+(?=\d{3})/, "")}; write mode: 644 or mode: "0644"`);
  return mode;
}

/** ace_info.rb, ported: `[d[efault]:][u[ser]|g[roup]|m[ask]|o[ther]:][name]:perms`. Returns the problem, if any. */
export function aceProblem(ace: string): string | undefined {
  const parts = ace.split(":").reverse();
  if (parts.length < 2 || parts.length > 4) return "expected [default:][user|group|mask|other:]name:perms";
  let isDefault = false;
  let type: string | undefined;
  let name = "";
  if (parts.length === 4) {
    if (parts[3] !== "d" && parts[3] !== "default") return "the first field must be d or default";
    isDefault = true;
  }
  if (parts.length >= 3) {
    const t = parts[2];
    if (t === "d" || t === "default") {
      if (isDefault) return "default given twice";
      isDefault = true;
    } else if (t === "m" || t === "mask") type = "mask";
    else if (t === "o" || t === "other") type = "other";
    else if (t === "g" || t === "group") type = "group";
    else if (t === "u" || t === "user") type = "user";
    else return `unknown entry type '${t}'`;
  }
  const n = parts[1]!;
  if (n === "m" || n === "mask") {
    if (type === undefined) type = "mask";
    else name = "mask";
  } else if (n === "o" || n === "other") {
    if (type === undefined) type = "other";
    else name = "other";
  } else {
    type ??= "user";
    name = n;
  }
  if ((type === "mask" || type === "other") && name !== "") return `${type} entries take no name`;
  if (!isDefault && type !== "mask" && name === "") return "unnamed user/group entries are not allowed; use mode for the base permissions";
  const perms = parts[0]!;
  if (/^[0-7]$/.test(perms)) return undefined;
  const wrong = [...perms].find((ch) => !"rwx-".includes(ch));
  return wrong === undefined ? undefined : `invalid permission character '${wrong}'`;
}

/** context_info.rb: `type` is required; the agent reads the user from `name` while the UG documents `user`. */
function checkContext(at: At | undefined, c: Checker): ServerPermission["context"] {
  if (!at || isNull(at.node)) return undefined;
  const map = asMap(at, c, "context");
  if (!map) return undefined;
  unknownKeys(map, ["user", "name", "type", "range"], c, false, "is ignored by the CodeDeploy agent");
  const type = str(required(map, "type", c, false, "the agent rejects a context without a type"), c, "context.type");
  const user = optionalStr(map, "user", c) ?? optionalStr(map, "name", c);
  const rangeAt = child(map, "range", c);
  const range = rangeAt && !isNull(rangeAt.node) ? str(rangeAt, c, "range") : undefined;
  if (rangeAt && range !== undefined && !isPlaceholder(range)) {
    const why = rangeProblem(range);
    if (why) c.error(rangeAt, `invalid SELinux range '${range}': ${why}`);
  }
  return type === undefined ? undefined : { user, type, range };
}

/** range_info.rb: `s#[-s#][:c#[.c#](,c#[.c#])*]`, high >= low, categories 0-1023, no duplicates. */
export function rangeProblem(range: string): string | undefined {
  const m = /^s(\d+)(?:-s(\d+))?(?::(.+))?$/.exec(range);
  if (!m) return "expected s<n>[-s<n>][:c<n>[.c<n>],...]";
  if (m[2] !== undefined && Number(m[2]) < Number(m[1])) return "the high sensitivity is below the low one";
  if (m[3] === undefined) return undefined;
  const seen = new Set<number>();
  for (const part of m[3].split(",")) {
    const r = /^c(\d+)(?:\.c(\d+))?$/.exec(part);
    if (!r) return `bad category '${part}'`;
    const lo = Number(r[1]);
    const hi = r[2] === undefined ? lo : Number(r[2]);
    if (lo > 1023 || hi > 1023) return "categories go up to c1023";
    if (hi < lo) return `category range ${part} runs backwards`;
    for (let k = lo; k <= hi; k++) {
      if (seen.has(k)) return `category c${k} is listed twice`;
      seen.add(k);
    }
  }
  return undefined;
}

/** `type`: a list of file/directory (the agent iterates it, so a bare string fails too). */
function checkTypes(at: At | undefined, c: Checker): ("file" | "directory")[] {
  if (!at || isNull(at.node)) return ["file", "directory"];
  const seq = asSeq(at, c, "type (e.g. '- file')");
  if (!seq) return [];
  const out: ("file" | "directory")[] = [];
  for (const item of items(seq)) {
    const s = str(item, c, "type");
    if (s === "file" || s === "directory") out.push(s);
    else if (s !== undefined) c.error(item, `type '${s}' is not supported for permissions; use file or directory`);
  }
  return out;
}
