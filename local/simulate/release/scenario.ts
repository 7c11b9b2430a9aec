import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ValidationErrors } from "../../../functions/domain/errors.js";

/**
 * A release scenario: an account, a trigger event (a sample from events/triggers/ or inline), the
 * bundle or image the trigger stands for, and what to expect. The simulator performs the upload or
 * push the event describes, and the account sends the event the way S3 or ECR would.
 */
export interface ReleaseScenario {
  name: string;
  description?: string;
  /** The trigger event itself (in the file: the event, or a path resolved against the file's folder). */
  trigger: Record<string, unknown>;
  triggerFile?: string;
  /** The account's setup plus `s3.buckets` and `ecr.repositories` (in the file: the setup, or a path to it). */
  account: Record<string, unknown>;
  /** S3 triggers: the directory the bundle is built from (events/bundles/README.md); its type comes from the key. */
  bundleDir?: string;
  /** How many times the event is delivered (at-least-once delivery: 2 = one duplicate). Default 1. */
  deliveries?: number;
  /** Replaces the stage's release sources (config/releases.<stage>.json) for this run. */
  sources?: unknown[];
  timeline?: Record<string, unknown>[];
  expect?: ReleaseExpectation;
}

export interface ReleaseExpectation {
  /** Release executions started (duplicates must not add any). */
  releases: number;
  /** Status of the (last) release; omitted when no release starts. */
  status?: "SUCCEEDED" | "FAILED";
  error?: string;
  /** `outcome` of a succeeded release: DEPLOYED or ALREADY_DEPLOYED. */
  outcome?: string;
  publishedVersion?: string | null;
  finalAlias?: { functionVersion: string; additionalVersionWeights: Record<string, number> };
  /** Notification states in order: deployment events by state, release events as `release <state>`, e.g. ["START", "SUCCESS"], ["release REFUSED"]. */
  events?: string[];
  /** Functions whose code the release changed (UpdateFunctionCode), e.g. ["orders"]; [] for a refused release. */
  updatedFunctions?: string[];
}

const KEYS = ["name", "description", "trigger", "account", "bundleDir", "deliveries", "sources", "timeline", "expect", "$comment"];

/** A scenario file, or a bare trigger event (then `base` supplies the account and bundle). */
export function loadReleaseScenario(path: string, base?: string): ReleaseScenario {
  const read = (p: string) => {
    try {
      return JSON.parse(readFileSync(p, "utf8")) as Record<string, unknown>;
    } catch (e) {
      throw new ValidationErrors([{ field: p, reason: `cannot read: ${(e as Error).message}` }], "Simulate.InvalidScenario");
    }
  };
  const raw = read(path);
  if (isTriggerEvent(raw)) {
    if (!base) throw new ValidationErrors([{ field: path, reason: "a bare trigger event needs a base release scenario" }], "Simulate.InvalidScenario");
    const s = loadReleaseScenario(base);
    return { ...s, name: path, description: `this event against the account (and, for S3, the bundle) of ${base}`, trigger: raw, triggerFile: path, expect: undefined, timeline: undefined, deliveries: 1 };
  }
  const problems: { field: string; reason: string }[] = [];
  for (const k of Object.keys(raw)) if (!KEYS.includes(k)) problems.push({ field: k, reason: "unknown field" });
  if (typeof raw.name !== "string") problems.push({ field: "name", reason: "is required" });
  if (typeof raw.account === "string") raw.account = read(resolve(dirname(path), raw.account));
  if (typeof raw.account !== "object" || raw.account === null) problems.push({ field: "account", reason: "must be an object (the simulated account's setup)" });
  let trigger = raw.trigger as Record<string, unknown> | string | undefined;
  let triggerFile: string | undefined;
  if (typeof trigger === "string") {
    triggerFile = resolve(dirname(path), trigger);
    trigger = read(triggerFile);
  }
  if (!trigger || !isTriggerEvent(trigger)) problems.push({ field: "trigger", reason: "must be an S3, S3 Records[] or ECR event (or a path to one)" });
  if (raw.deliveries !== undefined && (!Number.isInteger(raw.deliveries) || (raw.deliveries as number) < 1)) problems.push({ field: "deliveries", reason: "must be a positive integer" });
  if (problems.length) throw new ValidationErrors(problems.map((p) => ({ ...p, field: `${path}: ${p.field}` })), "Simulate.InvalidScenario");
  return {
    ...(raw as unknown as ReleaseScenario),
    trigger: trigger as Record<string, unknown>,
    triggerFile,
    bundleDir: typeof raw.bundleDir === "string" ? resolve(dirname(path), raw.bundleDir) : undefined,
  };
}

export function isTriggerEvent(raw: unknown): boolean {
  const r = raw as Record<string, unknown> | null;
  return Boolean(r && (Array.isArray(r.Records) || r.source === "aws.s3" || r.source === "aws.ecr"));
}
