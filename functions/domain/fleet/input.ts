import { ValidationError } from "../errors.js";
import type { TagFilter } from "../groups/schema.js";
import { resolveServerConfig, type ServerConfig } from "./minimum-healthy.js";

/** The deploy-server state machine's input (docs/ec2.md): self-contained, like deploy-lambda's full input. */
export interface ServerDeploymentInput {
  deploymentId: string;
  application: string;
  deploymentGroup: string;
  /** The agent's deployment-group id (names the deployment root's folder); default `<application>.<deploymentGroup>`. */
  deploymentGroupId: string;
  /**
   * Managed nodes with every tag (key -> one of the values), and/or these ids (EC2 `i-...`, on-premises `mi-...`),
   * and/or nodes matching any of CodeDeploy's tag filters (`{Key, Value, Type: KEY_AND_VALUE | KEY_ONLY}`; a group's).
   */
  target: { tags?: Record<string, string[]>; instanceIds?: string[]; tagFilters?: TagFilter[] };
  /** `eTag` left out: the deployment is pinned to the ETag Start reads (a group deployment's S3 location may omit it, as CodeDeploy's does). */
  revision: { bucket: string; key: string; version?: string; eTag?: string; bundleType: "zip" | "tar" | "tgz" };
  config: ServerConfig;
  /** Seconds between reads of a batch's command results (default 15). */
  pollSeconds: number;
  deploymentRoot?: string;
}

const NAME = /^[A-Za-z0-9._+=,@-]{1,100}$/;
const KEYS = new Set(["deploymentId", "application", "deploymentGroup", "deploymentGroupId", "target", "revision", "deploymentConfig", "pollSeconds", "deploymentRoot", "description"]);

function text(o: Record<string, unknown>, field: string, check?: RegExp, reason?: string): string {
  const v = o[field];
  if (typeof v !== "string" || v === "") throw new ValidationError(field, "required: a non-empty string");
  if (check && !check.test(v)) throw new ValidationError(field, reason ?? `must match ${check}`);
  return v;
}

/** Checks the input and names the first bad field. */
export function parseServerInput(raw: unknown): ServerDeploymentInput {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ValidationError("(input)", "must be a JSON object");
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KEYS.has(k)) throw new ValidationError(k, "unknown field");
  const deploymentId = text(o, "deploymentId", /^d-[A-Z0-9]{9}$/, "must be d- and 9 uppercase letters or digits");
  const application = text(o, "application", NAME, "1-100 of [A-Za-z0-9._+=,@-]");
  const deploymentGroup = text(o, "deploymentGroup", NAME, "1-100 of [A-Za-z0-9._+=,@-]");
  const deploymentGroupId = o.deploymentGroupId === undefined ? `${application}.${deploymentGroup}` : text(o, "deploymentGroupId", /^[A-Za-z0-9._-]{1,128}$/, "1-128 of [A-Za-z0-9._-] (it names a folder on the instance)");
  const pollSeconds = o.pollSeconds === undefined ? 15 : o.pollSeconds;
  if (typeof pollSeconds !== "number" || !Number.isInteger(pollSeconds) || pollSeconds < 1 || pollSeconds > 300) throw new ValidationError("pollSeconds", "must be an integer 1-300");
  if (o.deploymentRoot !== undefined && (typeof o.deploymentRoot !== "string" || !/^(\/|[A-Za-z]:\\)/.test(o.deploymentRoot))) throw new ValidationError("deploymentRoot", "must be an absolute path");
  return {
    deploymentId,
    application,
    deploymentGroup,
    deploymentGroupId,
    target: parseTarget(o.target),
    revision: parseRevision(o.revision),
    config: resolveServerConfig(o.deploymentConfig),
    pollSeconds,
    ...(o.deploymentRoot ? { deploymentRoot: o.deploymentRoot as string } : {}),
  };
}

function parseTarget(raw: unknown): ServerDeploymentInput["target"] {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ValidationError("target", 'required: {"tags": {"key": ["value", ...]}} and/or {"instanceIds": [...]}');
  const { tags, instanceIds, tagFilters, ...rest } = raw as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra) throw new ValidationError(`target.${extra}`, "unknown field (tags, instanceIds, tagFilters)");
  const out: ServerDeploymentInput["target"] = {};
  if (tags !== undefined) {
    if (typeof tags !== "object" || tags === null || Array.isArray(tags) || Object.keys(tags).length === 0) throw new ValidationError("target.tags", "must map tag keys to a value or a list of values");
    out.tags = {};
    for (const [k, v] of Object.entries(tags)) {
      const values = typeof v === "string" ? [v] : v;
      if (!Array.isArray(values) || values.length === 0 || !values.every((x) => typeof x === "string")) throw new ValidationError(`target.tags.${k}`, "must be a string or a non-empty list of strings");
      out.tags[k] = values as string[];
    }
  }
  if (instanceIds !== undefined) {
    if (!Array.isArray(instanceIds) || instanceIds.length === 0) throw new ValidationError("target.instanceIds", "must be a non-empty list");
    instanceIds.forEach((id, k) => {
      if (typeof id !== "string" || !/^(i-[0-9a-f]{8,17}|mi-[0-9a-f]{17})$/.test(id)) throw new ValidationError(`target.instanceIds[${k}]`, "must be an EC2 instance id (i-...) or an on-premises managed node id (mi-...)");
    });
    if (new Set(instanceIds).size !== instanceIds.length) throw new ValidationError("target.instanceIds", "lists an instance twice");
    out.instanceIds = instanceIds as string[];
  }
  if (tagFilters !== undefined) {
    if (!Array.isArray(tagFilters) || tagFilters.length === 0) throw new ValidationError("target.tagFilters", "must be a non-empty list of {Key, Value, Type}");
    out.tagFilters = tagFilters.map((f, k) => tagFilter(f, `target.tagFilters[${k}]`));
  }
  if (!out.tags && !out.instanceIds && !out.tagFilters) throw new ValidationError("target", "needs tags, instanceIds or tagFilters");
  return out;
}

function parseRevision(raw: unknown): ServerDeploymentInput["revision"] {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ValidationError("revision", 'required: {"bucket", "key", "eTag", "bundleType", "version"?}');
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!["bucket", "key", "version", "eTag", "bundleType"].includes(k)) throw new ValidationError(`revision.${k}`, "unknown field");
  const field = (k: string) => {
    if (typeof o[k] !== "string" || o[k] === "") throw new ValidationError(`revision.${k}`, "required: a non-empty string");
    return o[k] as string;
  };
  const bundleType = field("bundleType");
  if (!["zip", "tar", "tgz"].includes(bundleType)) throw new ValidationError("revision.bundleType", "must be zip, tar or tgz (an EC2/on-premises revision is an archive)");
  return { bucket: field("bucket"), key: field("key"), bundleType: bundleType as "zip" | "tar" | "tgz", ...(o.eTag !== undefined ? { eTag: field("eTag") } : {}), ...(o.version !== undefined ? { version: field("version") } : {}) };
}

/** One of CodeDeploy's tag filters, as a Server group holds it (functions/domain/groups/schema.ts checks the group's). */
function tagFilter(raw: unknown, field: string): TagFilter {
  const o = (typeof raw === "object" && raw !== null && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  const type = o.Type ?? "KEY_AND_VALUE";
  if (typeof o.Key !== "string" || o.Key === "") throw new ValidationError(`${field}.Key`, "required: a tag key");
  if (type !== "KEY_AND_VALUE" && type !== "KEY_ONLY") throw new ValidationError(`${field}.Type`, "must be KEY_AND_VALUE or KEY_ONLY");
  if (type === "KEY_AND_VALUE" && (typeof o.Value !== "string" || o.Value === "")) throw new ValidationError(`${field}.Value`, "required with KEY_AND_VALUE");
  return type === "KEY_ONLY" ? { Key: o.Key, Type: "KEY_ONLY" } : { Key: o.Key, Value: o.Value as string, Type: "KEY_AND_VALUE" };
}
