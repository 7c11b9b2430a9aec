import { ValidationErrors } from "../errors.js";
import { ReleaseErrorNames } from "./errors.js";
import { DEFAULT_CODE_PACKAGE, DEFAULT_ECR_TAG, RELEASE_PLATFORMS, type ReleaseDeploymentSettings, type ReleaseSource, type ReleaseTarget, targetsOf } from "./sources.js";

/**
 * Reading config/releases.<stage>.json (as RELEASE_SOURCES): every field checked, every problem
 * reported with its path (`[1].s3.bucket: ...`) as `Release.InvalidConfiguration`. The shapes and
 * what they mean are in sources.ts and docs/releases.md.
 */
const NAME = /^[A-Za-z0-9_-]{1,32}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
// Lambda's name rules (Lambda API reference: FunctionName, Alias Name). A plain name only: the appspec
// must name the function exactly as configured, and the IAM grants are derived from these names.
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const ALIAS_NAME = /^(?![0-9]+$)[a-zA-Z0-9_-]{1,128}$/;
const SETTINGS = ["deploymentConfig", "alarms", "autoRollback", "alarmPollSeconds", "alarmMonitoring", "ignorePollAlarmFailure", "metricGates", "hookTimeoutSeconds"];
const COMMON = ["name", "platform", "application", "deploymentGroup", "deployment"];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => Boolean(v) && typeof v === "object" && !Array.isArray(v);

/** Parses and checks the whole list; every problem is reported with its path (`[1].s3.bucket: ...`). */
export function parseReleaseSources(raw: unknown): ReleaseSource[] {
  const problems: { field: string; reason: string }[] = [];
  const bad = (field: string, reason: string) => problems.push({ field, reason });
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch (e) {
      throw new ValidationErrors([{ field: "RELEASE_SOURCES", reason: `not JSON: ${(e as Error).message}` }], ReleaseErrorNames.InvalidConfiguration);
    }
  }
  if (!Array.isArray(value)) throw new ValidationErrors([{ field: "RELEASE_SOURCES", reason: "must be a list of release sources" }], ReleaseErrorNames.InvalidConfiguration);
  const out: ReleaseSource[] = [];
  for (const [i, item] of value.entries()) {
    const at = `[${i}]`;
    if (!isObj(item)) {
      bad(at, "must be an object");
      continue;
    }
    const s = parseOne(item, at, bad);
    if (s) out.push(s);
  }
  checkDistinct(out, bad);
  if (problems.length) throw new ValidationErrors(problems, ReleaseErrorNames.InvalidConfiguration);
  return out;
}

function str(o: Obj, key: string, at: string, bad: (f: string, r: string) => void, pattern?: RegExp, hint = ""): string | undefined {
  const v = o[key];
  if (typeof v !== "string" || v.length === 0) {
    bad(`${at}.${key}`, "is required (a non-empty string)");
    return undefined;
  }
  if (pattern && !pattern.test(v)) {
    bad(`${at}.${key}`, `'${v}' ${hint}`);
    return undefined;
  }
  return v;
}

function parseOne(o: Obj, at: string, bad: (f: string, r: string) => void): ReleaseSource | undefined {
  const name = str(o, "name", at, bad, NAME, "must be 1-32 of A-Z a-z 0-9 _ - (it starts every release's execution name)");
  const application = str(o, "application", at, bad);
  const deploymentGroup = str(o, "deploymentGroup", at, bad);
  const platform = o.platform ?? "lambda";
  if (platform === "ecs") bad(`${at}.platform`, "ECS releases are not supported yet (they come with the load-balancer deployments); use lambda");
  else if (platform !== "lambda") bad(`${at}.platform`, `must be one of ${RELEASE_PLATFORMS.join(", ")}, got '${String(platform)}'`);
  const deployment = o.deployment ?? {};
  if (!isObj(deployment)) bad(`${at}.deployment`, "must be an object of deployment settings");
  else for (const k of Object.keys(deployment)) if (!SETTINGS.includes(k)) bad(`${at}.deployment.${k}`, `is not a release deployment setting (one of ${SETTINGS.join(", ")})`);
  const hasS3 = o.s3 !== undefined;
  const hasEcr = o.ecr !== undefined;
  if (hasS3 === hasEcr) {
    bad(at, "give exactly one of s3 {bucket, prefix} or ecr {repository, tag}");
    return undefined;
  }
  const base = { name: name ?? "", platform: "lambda" as const, application: application ?? "", deploymentGroup: deploymentGroup ?? "", deployment: (isObj(deployment) ? deployment : {}) as ReleaseDeploymentSettings };
  if (hasS3) {
    for (const k of Object.keys(o)) if (![...COMMON, "s3", "functions", "codePackage"].includes(k)) bad(`${at}.${k}`, "is not an S3 release source field (s3, functions, codePackage)");
    if (!isObj(o.s3)) {
      bad(`${at}.s3`, "must be an object {bucket, prefix}");
      return undefined;
    }
    const bucket = str(o.s3, "bucket", `${at}.s3`, bad, BUCKET, "is not a valid S3 bucket name");
    const prefix = o.s3.prefix ?? "";
    if (typeof prefix !== "string") bad(`${at}.s3.prefix`, "must be a string (may be empty)");
    const codePackage = o.codePackage ?? DEFAULT_CODE_PACKAGE;
    if (typeof codePackage !== "string" || !/\.zip$/.test(codePackage) || codePackage.startsWith("/") || codePackage.split("/").includes("..")) {
      bad(`${at}.codePackage`, "must be a relative path to a .zip inside the bundle");
    }
    const functions = parseTargets(o.functions, `${at}.functions`, bad);
    return { ...base, s3: { bucket: bucket ?? "", prefix: String(prefix) }, functions, codePackage: String(codePackage) };
  }
  for (const k of Object.keys(o)) if (![...COMMON, "ecr", "function", "hooks"].includes(k)) bad(`${at}.${k}`, "is not an ECR release source field (ecr, function, hooks)");
  if (!isObj(o.ecr)) {
    bad(`${at}.ecr`, "must be an object {repository, tag}");
    return undefined;
  }
  const repository = str(o.ecr, "repository", `${at}.ecr`, bad, REPOSITORY, "is not a valid ECR repository name");
  const tag = o.ecr.tag ?? DEFAULT_ECR_TAG;
  if (typeof tag !== "string" || (tag !== "" && !TAG.test(tag))) bad(`${at}.ecr.tag`, "must be an image tag, or \"\" for any tag");
  if (!isObj(o.function)) bad(`${at}.function`, "is required for an ECR source: {name, alias} of the container-image function");
  const fn = isObj(o.function) ? parseTarget(o.function, `${at}.function`, bad) : { name: "", alias: "" };
  const hooks = isObj(o.hooks) ? o.hooks : {};
  const hook = (k: string): string | null => {
    const v = hooks[k];
    if (v === undefined || v === null) return null;
    if (typeof v !== "string" || !v) bad(`${at}.hooks.${k}`, "must be a function name");
    return typeof v === "string" ? v : null;
  };
  return {
    ...base,
    ecr: { repository: repository ?? "", tag: String(tag) },
    function: fn,
    hooks: { beforeAllowTraffic: hook("beforeAllowTraffic"), afterAllowTraffic: hook("afterAllowTraffic") },
  };
}

function parseTarget(o: Obj, at: string, bad: (f: string, r: string) => void): ReleaseTarget {
  for (const k of Object.keys(o)) if (k !== "name" && k !== "alias") bad(`${at}.${k}`, "is not a target field (name, alias)");
  const name = str(o, "name", at, bad, FUNCTION_NAME, "must be a Lambda function name (1-64 of A-Z a-z 0-9 _ -; not an ARN)");
  const alias = str(o, "alias", at, bad, ALIAS_NAME, "must be a Lambda alias name (1-128 of A-Z a-z 0-9 _ -, not only digits)");
  return { name: name ?? "", alias: alias ?? "" };
}

/** An S3 source's `functions`: a non-empty list of {name, alias}, each once. */
function parseTargets(raw: unknown, at: string, bad: (f: string, r: string) => void): ReleaseTarget[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    bad(at, "is required: the [{name, alias}] this source's uploads may deploy (an appspec naming anything else is refused)");
    return [];
  }
  const out: ReleaseTarget[] = [];
  for (const [i, item] of raw.entries()) {
    if (!isObj(item)) bad(`${at}[${i}]`, "must be an object {name, alias}");
    else out.push(parseTarget(item, `${at}[${i}]`, bad));
  }
  return out;
}

/**
 * Names are unique, no event can match two sources (releases of one upload never race each other),
 * and a function:alias belongs to one source only (a source owns its targets).
 */
function checkDistinct(sources: ReleaseSource[], bad: (f: string, r: string) => void): void {
  const owner = new Map<string, string>();
  for (const [i, s] of sources.entries()) {
    for (const t of targetsOf(s)) {
      const key = `${t.name}:${t.alias}`;
      const first = owner.get(key);
      if (first !== undefined) bad(`[${i}]`, `${key} is already a target of ${first}: a function and alias belong to one release source`);
      else owner.set(key, `[${i}]`);
    }
  }
  for (const [i, a] of sources.entries()) {
    for (const [j, b] of sources.entries()) {
      if (j <= i) continue;
      if (a.name === b.name) bad(`[${j}].name`, `'${b.name}' is also the name of [${i}]`);
      if ("s3" in a && "s3" in b && a.s3.bucket === b.s3.bucket && (a.s3.prefix.startsWith(b.s3.prefix) || b.s3.prefix.startsWith(a.s3.prefix))) {
        bad(`[${j}].s3.prefix`, `overlaps [${i}] (bucket ${a.s3.bucket}, prefixes '${a.s3.prefix}' and '${b.s3.prefix}'): an upload could start two releases`);
      }
      if ("ecr" in a && "ecr" in b && a.ecr.repository === b.ecr.repository && (a.ecr.tag === b.ecr.tag || a.ecr.tag === "" || b.ecr.tag === "")) {
        bad(`[${j}].ecr.tag`, `overlaps [${i}] (repository ${a.ecr.repository}, tags '${a.ecr.tag}' and '${b.ecr.tag}'): a push could start two releases`);
      }
    }
  }
}
