import { DEPLOYMENT_ID } from "../deployment/ids.js";
import { ValidationError, ValidationErrors } from "../errors.js";
import { type DeploymentRecord, type GroupRef, type JsonMap, type JsonValue, type LockScope, type NewDeployment, PLATFORMS, type Platform } from "./types.js";

/** CodeDeploy names (application, group, config): 1-100 of `[A-Za-z0-9._+=,@-]` (codedeploy-spec §1.1, §8). No `#`, so it can separate key parts. */
export const NAME = /^[A-Za-z0-9._+=,@-]{1,100}$/;
/** CodeDeploy's DeploymentCreator values are short identifiers (spec §5.3); we accept any such token. */
const CREATOR = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_DESCRIPTION = 256; // codedeploy-spec §8
/** Ours: keeps a record far below DynamoDB's 400 KB item limit. */
export const MAX_TARGET_JSON = 32_768;

type Problems = { field: string; reason: string }[];

/** ISO-8601 UTC with milliseconds, so times sort as strings. Throws Deploy.InvalidInput naming `field`. */
export function isoTime(value: string | Date, field: string): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new ValidationError(field, `is not a valid time: ${String(value)}`);
  return d.toISOString();
}

export function checkDeploymentId(id: unknown, field = "deploymentId"): string {
  if (typeof id !== "string" || !DEPLOYMENT_ID.test(id))
    throw new ValidationError(field, `must look like d-XXXXXXXXX (d- and 9 of A-Z0-9), got ${JSON.stringify(id)}`);
  return id;
}

export function checkGroup(ref: GroupRef): GroupRef {
  const problems: Problems = [];
  if (typeof ref.application !== "string" || !NAME.test(ref.application))
    problems.push({
      field: "application",
      reason: "must be 1-100 of A-Za-z0-9._+=,@-",
    });
  if (typeof ref.deploymentGroup !== "string" || !NAME.test(ref.deploymentGroup))
    problems.push({
      field: "deploymentGroup",
      reason: "must be 1-100 of A-Za-z0-9._+=,@-",
    });
  if (problems.length) throw new ValidationErrors(problems);
  return { application: ref.application, deploymentGroup: ref.deploymentGroup };
}

/** A lock key: a canonical target (an ARN for Lambda aliases and listeners), at most 1,024 characters. */
const LOCK_KEY = /^[^\s#]{1,1024}$/;

export function checkLockScope(scope: LockScope): LockScope {
  if (typeof scope?.lockKey !== "string" || !LOCK_KEY.test(scope.lockKey)) {
    throw new ValidationError("lockKey", `must be a traffic target key (1-1024 characters, no spaces or #), got ${JSON.stringify(scope?.lockKey)}`);
  }
  return { lockKey: scope.lockKey };
}

function isJsonValue(v: unknown, depth = 0): v is JsonValue {
  if (depth > 16) return false;
  if (v === null || typeof v === "string" || typeof v === "boolean") return true;
  if (typeof v === "number") return Number.isFinite(v);
  if (Array.isArray(v)) return v.every((x) => isJsonValue(x, depth + 1));
  if (typeof v === "object") return Object.values(v as object).every((x) => x === undefined || isJsonValue(x, depth + 1));
  return false;
}

export function isJsonMap(v: unknown): v is JsonMap {
  return typeof v === "object" && v !== null && !Array.isArray(v) && isJsonValue(v);
}

/** Key order does not matter: `{a, b}` equals `{b, a}`. `undefined` members are dropped, as JSON does. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** Validates what a caller supplies and builds the initial (Created, version 1) record. */
export function newDeploymentRecord(input: NewDeployment, now: string): DeploymentRecord {
  const problems: Problems = [];
  const push = (field: string, reason: string) => problems.push({ field, reason });
  if (typeof input.deploymentId !== "string" || !DEPLOYMENT_ID.test(input.deploymentId))
    push("deploymentId", "must look like d-XXXXXXXXX (d- and 9 of A-Z0-9)");
  if (typeof input.application !== "string" || !NAME.test(input.application)) push("application", "must be 1-100 of A-Za-z0-9._+=,@-");
  if (typeof input.deploymentGroup !== "string" || !NAME.test(input.deploymentGroup)) push("deploymentGroup", "must be 1-100 of A-Za-z0-9._+=,@-");
  if (typeof input.deploymentConfigName !== "string" || !NAME.test(input.deploymentConfigName))
    push("deploymentConfigName", "must be 1-100 of A-Za-z0-9._+=,@-");
  if (!PLATFORMS.includes(input.platform as Platform)) push("platform", `must be one of ${PLATFORMS.join(", ")}`);
  if (!isJsonMap(input.target)) push("target", "must be a JSON object");
  else if (canonicalJson(input.target).length > MAX_TARGET_JSON)
    push("target", `must be at most ${MAX_TARGET_JSON} characters of JSON (it is stored in the record)`);
  if (input.creator !== undefined && !CREATOR.test(input.creator)) push("creator", "must be a short identifier such as user or codeDeployRollback");
  if (input.description !== undefined && (typeof input.description !== "string" || input.description.length > MAX_DESCRIPTION))
    push("description", `must be a string of at most ${MAX_DESCRIPTION} characters`);
  if (input.executionArn !== undefined && (typeof input.executionArn !== "string" || input.executionArn === ""))
    push("executionArn", "must be a non-empty string");
  if (input.overrideAlarms !== undefined && typeof input.overrideAlarms !== "boolean") push("overrideAlarms", "must be a boolean");
  if (input.lockKey !== undefined && (typeof input.lockKey !== "string" || !LOCK_KEY.test(input.lockKey))) push("lockKey", "must be a traffic target key");
  const trig = input.rollbackInfo?.rollbackTriggeringDeploymentId;
  if (trig !== undefined && (!DEPLOYMENT_ID.test(trig) || trig === input.deploymentId))
    push("rollbackInfo.rollbackTriggeringDeploymentId", "must be another deployment's id");
  if (input.rollbackInfo?.rollbackDeploymentId !== undefined) push("rollbackInfo.rollbackDeploymentId", "is recorded later, with recordRollbackInfo");
  if (problems.length) throw new ValidationErrors(problems);
  const createTime = isoTime(input.createTime ?? now, "createTime");
  return {
    deploymentId: input.deploymentId,
    application: input.application,
    deploymentGroup: input.deploymentGroup,
    status: "Created",
    createTime,
    deploymentConfigName: input.deploymentConfigName,
    platform: input.platform,
    target: JSON.parse(JSON.stringify(input.target)) as JsonMap,
    creator: input.creator ?? "user",
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.executionArn !== undefined ? { executionArn: input.executionArn } : {}),
    ...(input.rollbackInfo && Object.keys(input.rollbackInfo).length ? { rollbackInfo: { ...input.rollbackInfo } } : {}),
    overrideAlarms: input.overrideAlarms ?? false,
    ...(input.queued ? { queued: true } : {}),
    ...(input.lockKey ? { lockKey: input.lockKey } : {}),
    control: { paused: false },
    updatedAt: now,
    version: 1,
  };
}

/** A second create with the same id is idempotent when it describes the same deployment. */
export function sameDeployment(existing: DeploymentRecord, input: NewDeployment): boolean {
  return (
    existing.application === input.application &&
    existing.deploymentGroup === input.deploymentGroup &&
    existing.platform === input.platform &&
    existing.deploymentConfigName === input.deploymentConfigName &&
    existing.lockKey === input.lockKey &&
    canonicalJson(existing.target) === canonicalJson(input.target)
  );
}

/** The sort key of history views: creation time, then id (ids break ties; both sort as strings). */
export function historyKey(record: Pick<DeploymentRecord, "createTime" | "deploymentId">): string {
  return `${record.createTime}#${record.deploymentId}`;
}
