import type { CLOUDFORMATION_MODES } from "../providers.js";

/**
 * What a CloudFormation action does to its stack, by ActionMode and the stack's current status
 * (user guide action-reference-CloudFormation):
 * - CREATE_UPDATE: create the stack, or update it ("no updates to be performed" is a success);
 *   a stack left in ROLLBACK_COMPLETE by a failed create cannot be updated (use REPLACE_ON_FAILURE).
 * - REPLACE_ON_FAILURE: like CREATE_UPDATE, but a stack in a failed state is deleted and created again.
 * - DELETE_ONLY: delete the stack if it exists; a missing stack is a success.
 * - CHANGE_SET_REPLACE: (re)create the named change set: CREATE for a new stack, UPDATE otherwise;
 *   an existing change set of that name is deleted first.
 * - CHANGE_SET_EXECUTE: execute the named change set; it must exist.
 * A stack with an operation in progress is refused: the action fails rather than race it; so is a
 * stack in REVIEW_IN_PROGRESS for CREATE_UPDATE and REPLACE_ON_FAILURE (CloudFormation can neither
 * create nor update it; our choice, CodePipeline's reference is silent).
 */
export type CloudFormationMode = (typeof CLOUDFORMATION_MODES)[number];
export type CloudFormationStep =
  | { call: "CreateStack" }
  | { call: "UpdateStack" }
  | { call: "DeleteStack" }
  | { call: "DeleteChangeSet" }
  | { call: "CreateChangeSet"; changeSetType: "CREATE" | "UPDATE" }
  | { call: "ExecuteChangeSet" };

export type CloudFormationPlan = { ok: true; steps: CloudFormationStep[] } | { ok: false; reason: string };

const FAILED_STATES = new Set(["ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "CREATE_FAILED", "DELETE_FAILED", "UPDATE_ROLLBACK_FAILED"]);

/** `stackStatus` undefined: no such stack (or DELETE_COMPLETE). */
export function planCloudFormation(mode: CloudFormationMode, stackStatus: string | undefined, changeSetExists: boolean): CloudFormationPlan {
  const exists = stackStatus !== undefined && stackStatus !== "DELETE_COMPLETE";
  if (exists && stackStatus.endsWith("_IN_PROGRESS") && stackStatus !== "REVIEW_IN_PROGRESS") return { ok: false, reason: `the stack is ${stackStatus}; wait until its operation ends` };
  // REVIEW_IN_PROGRESS: a stack that holds only a CREATE change set (CreateChangeSet on a new stack).
  const reviewing = stackStatus === "REVIEW_IN_PROGRESS" && (mode === "CREATE_UPDATE" || mode === "REPLACE_ON_FAILURE");
  if (reviewing) return { ok: false, reason: "the stack is REVIEW_IN_PROGRESS (it holds only a change set); execute the change set (CHANGE_SET_EXECUTE) or delete the stack first" };
  switch (mode) {
    case "DELETE_ONLY":
      return { ok: true, steps: exists ? [{ call: "DeleteStack" }] : [] };
    case "CREATE_UPDATE":
      if (!exists) return { ok: true, steps: [{ call: "CreateStack" }] };
      if (stackStatus === "ROLLBACK_COMPLETE") return { ok: false, reason: "the stack is ROLLBACK_COMPLETE (its creation failed) and cannot be updated; delete it, or use ActionMode REPLACE_ON_FAILURE" };
      return { ok: true, steps: [{ call: "UpdateStack" }] };
    case "REPLACE_ON_FAILURE":
      if (!exists) return { ok: true, steps: [{ call: "CreateStack" }] };
      if (FAILED_STATES.has(stackStatus)) return { ok: true, steps: [{ call: "DeleteStack" }, { call: "CreateStack" }] };
      return { ok: true, steps: [{ call: "UpdateStack" }] };
    case "CHANGE_SET_REPLACE":
      return { ok: true, steps: [...(changeSetExists ? [{ call: "DeleteChangeSet" } as const] : []), { call: "CreateChangeSet", changeSetType: exists && stackStatus !== "REVIEW_IN_PROGRESS" ? "UPDATE" : "CREATE" }] };
    case "CHANGE_SET_EXECUTE":
      return changeSetExists ? { ok: true, steps: [{ call: "ExecuteChangeSet" }] } : { ok: false, reason: "the change set does not exist (run a CHANGE_SET_REPLACE action first)" };
  }
}

/** CreateStack's TemplateBody limit (API reference; quotas: "Template body size in a request"). */
export const TEMPLATE_BODY_MAX_BYTES = 51_200;
/** A template in S3, through TemplateURL (quotas: "Template body size in an Amazon S3 object"). */
export const TEMPLATE_URL_MAX_BYTES = 1_048_576;

/**
 * How a template reaches CloudFormation: inline up to 51,200 bytes; larger, as an S3 object of the
 * artifact store next to the input artifact it came from (`<input key>.templates/<file>`, inside the
 * pipeline's folder, so no new grant) passed as TemplateURL, as CodePipeline does; over 1 MB refused.
 */
export type TemplateDelivery = { kind: "body" } | { kind: "url"; bucket: string; key: string; url: string } | { kind: "too-large"; reason: string };

export function templateDelivery(bytes: number, input: { bucket: string; key: string }, file: string, region: string | undefined): TemplateDelivery {
  if (bytes <= TEMPLATE_BODY_MAX_BYTES) return { kind: "body" };
  if (bytes > TEMPLATE_URL_MAX_BYTES) return { kind: "too-large", reason: `the template ${file} is ${bytes} bytes; CloudFormation takes at most ${TEMPLATE_URL_MAX_BYTES} bytes (1 MB) from S3` };
  const key = `${input.key}.templates/${file}`;
  const host = region ? `${input.bucket}.s3.${region}.amazonaws.com` : `${input.bucket}.s3.amazonaws.com`;
  return { kind: "url", bucket: input.bucket, key, url: `https://${host}/${key.split("/").map(encodeURIComponent).join("/")}` };
}

/**
 * The ClientRequestToken of one call of one action attempt: `<job id>-<call>` (the job id is stable
 * for the attempt, so a retried Lambda or SDK request sends the same token; letters, digits and
 * hyphens, at most 128 characters, as the API reference's ClientRequestToken pattern allows).
 */
export function requestToken(jobId: string, call: "CreateStack" | "UpdateStack" | "DeleteStack" | "ExecuteChangeSet"): string {
  return `sd${jobId.replace(/[^a-zA-Z0-9-]/g, "")}-${call}`.slice(0, 128);
}

/** What a retried start does when the stack's operation in progress is one this attempt started. */
export interface ResumedOperation {
  operation: StackOperation;
  /** The plan's steps after that call (REPLACE_ON_FAILURE: CreateStack once its DeleteStack completed). */
  pending: CloudFormationStep[];
  call: string;
}

/**
 * A start retried after its call went through (Step Functions retries the Lambda when its answer was
 * lost) finds the stack busy: when the stack event of the operation in progress carries this attempt's
 * token (DescribeStackEvents' ClientRequestToken), that operation is the action's own, and the action
 * waits for it as if the first start had answered; any other operation in progress is someone else's.
 * `stackEvent`: the newest stack-level event.
 */
export function resumeOwnOperation(mode: CloudFormationMode, jobId: string | undefined, stackEvent: { resourceStatus: string; clientRequestToken?: string } | undefined): ResumedOperation | undefined {
  if (!jobId || !stackEvent?.clientRequestToken || !stackEvent.resourceStatus.endsWith("_IN_PROGRESS")) return undefined;
  const calls = ["CreateStack", "UpdateStack", "DeleteStack", "ExecuteChangeSet"] as const;
  const call = calls.find((c) => stackEvent.clientRequestToken === requestToken(jobId, c));
  if (!call) return undefined;
  const operation: StackOperation = call === "DeleteStack" ? "delete" : call === "CreateStack" || stackEvent.resourceStatus.startsWith("CREATE") ? "create" : "update";
  return { operation, pending: mode === "REPLACE_ON_FAILURE" && call === "DeleteStack" ? [{ call: "CreateStack" }] : [], call };
}

/**
 * The stack parameters: TemplateConfiguration's `Parameters`, then ParameterOverrides on top (the
 * overrides win, as in CodePipeline); overrides that read artifacts need `resolveOverrides` with them.
 */
export function stackParameters(templateConfigurationText: string | undefined, parameterOverrides: string | undefined): Record<string, string> {
  const none = { location: () => undefined, file: () => undefined };
  return { ...templateConfiguration(templateConfigurationText, "TemplateConfiguration").parameters, ...resolveOverrides(parameterOverrides, none) };
}

/** `ArtifactName::path/in/artifact` (TemplatePath, TemplateConfiguration). */
export function artifactPath(value: string, key: string): { artifact: string; file: string } {
  const m = /^([a-zA-Z0-9_-]+)::(.+)$/.exec(value);
  if (!m) throw new Error(`${key} must be ArtifactName::path/in/artifact, got '${value}'`);
  return { artifact: m[1] as string, file: m[2] as string };
}

/** What the parameter functions may read: the input artifacts' locations and their files' text. */
export interface ArtifactReader {
  location(artifact: string): { bucket: string; key: string } | undefined;
  file(artifact: string, file: string): string | undefined;
}

/**
 * ParameterOverrides with CodePipeline's two parameter functions (user guide "Parameter override
 * functions with CodePipeline pipelines"): `{"Fn::GetArtifactAtt": ["Artifact", "BucketName" |
 * "ObjectKey" | "URL"]}` and `{"Fn::GetParam": ["Artifact", "file.json", "key"]}` (a top-level key of
 * a JSON file in an input artifact). Anything else must be a string (or a number or boolean, turned
 * into a string). A problem names the parameter and why.
 */
export function resolveOverrides(text: string | undefined, artifacts: ArtifactReader): Record<string, string> {
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`ParameterOverrides is not valid JSON: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error('ParameterOverrides must be a JSON object of parameter names to values, e.g. {"Stage":"prod"}');
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(parsed as Record<string, unknown>)) {
    const at = `ParameterOverrides.${name}`;
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[name] = String(v);
    else if (v && typeof v === "object" && "Fn::GetArtifactAtt" in v) {
      const [artifact, att] = (v as { "Fn::GetArtifactAtt": unknown[] })["Fn::GetArtifactAtt"].map(String);
      const loc = artifacts.location(artifact ?? "");
      if (!loc) throw new Error(`${at}: Fn::GetArtifactAtt names '${artifact}', which is not an input artifact of the action`);
      if (att === "BucketName") out[name] = loc.bucket;
      else if (att === "ObjectKey") out[name] = loc.key;
      else if (att === "URL") out[name] = `https://${loc.bucket}.s3.amazonaws.com/${loc.key}`;
      else throw new Error(`${at}: Fn::GetArtifactAtt attribute '${att}' is not one of BucketName, ObjectKey, URL`);
    } else if (v && typeof v === "object" && "Fn::GetParam" in v) {
      const [artifact, file, key] = (v as { "Fn::GetParam": unknown[] })["Fn::GetParam"].map(String);
      if (!artifacts.location(artifact ?? "")) throw new Error(`${at}: Fn::GetParam names '${artifact}', which is not an input artifact of the action`);
      const text = artifacts.file(artifact ?? "", file ?? "");
      if (text === undefined) throw new Error(`${at}: Fn::GetParam: input artifact ${artifact} has no file ${file}`);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new Error(`${at}: Fn::GetParam: ${artifact}::${file} is not JSON`);
      }
      const value = (json as Record<string, unknown>)?.[key ?? ""];
      if (value === undefined) throw new Error(`${at}: Fn::GetParam: ${artifact}::${file} has no key '${key}'`);
      out[name] = typeof value === "string" ? value : JSON.stringify(value);
    } else throw new Error(`${at} must be a string, Fn::GetArtifactAtt or Fn::GetParam`);
  }
  return out;
}

/**
 * A TemplateConfiguration file (user guide "AWS CloudFormation artifacts"): `{"Parameters": {...},
 * "Tags": {...}, "StackPolicy": {...}}`; ParameterOverrides win over its Parameters.
 */
export function templateConfiguration(text: string | undefined, file: string): { parameters: Record<string, string>; tags: Record<string, string> } {
  if (!text) return { parameters: {}, tags: {} };
  let parsed: { Parameters?: Record<string, unknown>; Tags?: Record<string, unknown> };
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`TemplateConfiguration ${file} is not valid JSON: ${(e as Error).message}`);
  }
  const strings = (o: Record<string, unknown> | undefined) => Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k, String(v)]));
  return { parameters: strings(parsed.Parameters), tags: strings(parsed.Tags) };
}

/** The stack operations the action waits for. */
export type StackOperation = "create" | "update" | "delete";

export type StackVerdict = { kind: "done" } | { kind: "failed"; status: string } | { kind: "wait" };

const ENDS: Record<StackOperation, { done: string[]; failed: string[] }> = {
  create: { done: ["CREATE_COMPLETE"], failed: ["CREATE_FAILED", "ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "DELETE_COMPLETE"] },
  update: { done: ["UPDATE_COMPLETE"], failed: ["UPDATE_FAILED", "UPDATE_ROLLBACK_COMPLETE", "UPDATE_ROLLBACK_FAILED"] },
  delete: { done: ["DELETE_COMPLETE"], failed: ["DELETE_FAILED"] },
};

/**
 * Where a stack operation stands from the stack's status (CloudFormation user guide, "Stack status
 * codes"): a create ends CREATE_COMPLETE or rolled back; an update UPDATE_COMPLETE or
 * UPDATE_ROLLBACK_*; a delete when the stack is gone (`undefined`) or DELETE_FAILED.
 */
export function stackVerdict(operation: StackOperation, status: string | undefined): StackVerdict {
  if (status === undefined) return operation === "delete" ? { kind: "done" } : { kind: "failed", status: "DELETE_COMPLETE" };
  if (ENDS[operation].done.includes(status)) return { kind: "done" };
  if (ENDS[operation].failed.includes(status)) return { kind: "failed", status };
  return { kind: "wait" };
}

/** DescribeChangeSet's StatusReason when a change set changes nothing (CloudFormation user guide, "Update stacks using change sets"). */
export const NO_CHANGES = /didn't contain changes|No updates are to be performed/;

export type ChangeSetVerdict = { kind: "done"; noChanges: boolean } | { kind: "failed"; reason: string } | { kind: "wait" };

/** A change set being created: CREATE_COMPLETE is ready; FAILED because it changes nothing is not a failure (our choice, as "No updates are to be performed." is not one). */
export function changeSetVerdict(status: string, reason: string | undefined): ChangeSetVerdict {
  if (status === "CREATE_COMPLETE") return { kind: "done", noChanges: false };
  if (status === "FAILED") return reason && NO_CHANGES.test(reason) ? { kind: "done", noChanges: true } : { kind: "failed", reason: reason ?? "the change set FAILED" };
  return { kind: "wait" };
}

/**
 * Why the last operation failed, as CodePipeline says it: the first resource that failed since the
 * operation started (DescribeStackEvents, oldest first), else the stack's status reason.
 */
export function failureReason(events: { logicalResourceId: string; resourceType: string; resourceStatus: string; reason?: string; timestamp: number }[], sinceMs: number, stackName: string, statusReason?: string): string {
  const failed = events.filter((e) => e.timestamp >= sinceMs && e.resourceStatus.endsWith("_FAILED") && e.logicalResourceId !== stackName).sort((a, b) => a.timestamp - b.timestamp)[0];
  if (failed) return `${failed.logicalResourceId} (${failed.resourceType}) ${failed.resourceStatus}: ${failed.reason ?? "no reason given"}`;
  return statusReason ?? "no failed resource in the stack's events";
}

/** Seconds between two looks at a stack (our choice, as for ECS: stack operations take tens of seconds to minutes). */
export const CLOUDFORMATION_POLL_SECONDS = 15;

/** Capabilities: CodePipeline's comma-separated list ("CAPABILITY_IAM,CAPABILITY_AUTO_EXPAND"). */
export function capabilities(value: string | undefined): string[] {
  return (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}
