import { Checker, joinPath, type Raw } from "./checker.js";
import { checkFlow } from "./check-flow.js";
import { BUCKET_NAME, LIMITS, NAME, ROLE_ARN, TRANSITION_REASON } from "./limits.js";
import { findPlaceholders } from "./placeholders.js";
import { type LocatedDeclaration, locateDeclaration, parseDefinitionText } from "./read.js";
import { readStages } from "./read-stages.js";
import { checkTypeAndMode, readTriggers, readVariables } from "./read-v2.js";
import { type ArtifactStore, EXECUTION_MODES, PIPELINE_TYPES, type Pipeline, type PipelineReadResult, type Stage } from "./types.js";

/**
 * Reads and validates a pipeline definition (any shape, JSON or YAML). Never throws: problems are
 * errors and warnings at JSON paths in the user's spelling; `pipeline` is set whenever the structure
 * could be read.
 */
export interface ReadPipelineOptions {
  /** The logical id of the pipeline resource, for a CloudFormation template with several. */
  resource?: string;
}

const API_FIELDS = ["name", "roleArn", "artifactStore", "artifactStores", "stages", "version", "executionMode", "pipelineType", "variables", "triggers"] as const;
const CFN_FIELDS = ["name", "roleArn", "artifactStore", "artifactStores", "stages", "executionMode", "pipelineType", "variables", "triggers", "disableInboundStageTransitions", "restartExecutionOnUpdate", "tags"] as const;

export function readPipeline(text: string, options: ReadPipelineOptions = {}): PipelineReadResult {
  const parsed = parseDefinitionText(text);
  if (parsed.error) return { valid: false, errors: [parsed.error], warnings: [], unresolved: [] };
  return readPipelineValue(parsed.value, options);
}

export function readPipelineValue(value: unknown, options: ReadPipelineOptions = {}): PipelineReadResult {
  const located = locateDeclaration(value, options.resource);
  if (!located.ok) return { valid: false, errors: [located.error], warnings: [], unresolved: [] };
  const found = located.found;
  const c = new Checker(found.style);
  if (found.others) c.allowOnly(value as Raw, found.others.path, found.others.names);
  const decl = c.object(found.declaration, found.prefix, "the pipeline declaration");
  if (!decl) return finish(c, found);
  const base = found.prefix;
  c.allowOnly(decl, base, found.style === "pascal" ? CFN_FIELDS : API_FIELDS);
  const name = c.string(decl, base, "name", { required: found.logicalId === undefined, ...NAME }) ?? found.logicalId ?? "";
  if (found.logicalId !== undefined && !c.has(decl, "name")) {
    c.warn(c.at(base, "name"), `absent: CloudFormation would generate a name; stepdeploy names the pipeline after its logical id '${found.logicalId}'`);
  }
  const roleArn = c.string(decl, base, "roleArn", { required: true, max: LIMITS.roleArn, pattern: ROLE_ARN, describe: "must be an IAM role ARN (arn:aws:iam::<12-digit account>:role/...)" }) ?? "";
  const stores = readArtifactStores(c, decl, base);
  const stages = readStages(c, decl, base);
  if (found.style === "pascal") applyDisabledTransitions(c, decl, base, stages);
  const declaredType = c.oneOf(decl, base, "pipelineType", PIPELINE_TYPES);
  const partial = {
    name,
    roleArn,
    executionMode: c.oneOf(decl, base, "executionMode", EXECUTION_MODES) ?? "SUPERSEDED",
    ...stores,
    stages,
    variables: readVariables(c, decl, base),
    triggers: readTriggers(c, decl, base),
    version: found.style === "camel" ? (c.integer(decl, base, "version", { min: 1, max: Number.MAX_SAFE_INTEGER }) ?? 1) : 1,
  };
  const pipeline: Pipeline = { ...partial, pipelineType: checkTypeAndMode(c, base, partial, declaredType) };
  checkFlow(c, pipeline);
  for (const w of findPlaceholders(decl, base)) c.warn(w.path, w.message);
  return finish(c, found, pipeline);
}

function finish(c: Checker, found: LocatedDeclaration, pipeline?: Pipeline): PipelineReadResult {
  return { valid: c.errors.length === 0, shape: found.shape, ...(pipeline && { pipeline }), errors: c.errors, warnings: c.warnings, unresolved: c.unresolved };
}

function readStore(c: Checker, value: unknown, path: string): ArtifactStore | undefined {
  const obj = c.object(value, path, "an artifact store");
  if (!obj) return undefined;
  c.allowOnly(obj, path, ["type", "location", "encryptionKey"]);
  c.oneOf(obj, path, "type", ["S3"], true);
  const location = c.string(obj, path, "location", { required: true, pattern: BUCKET_NAME, describe: "must be an S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)" }) ?? "";
  const store: ArtifactStore = { type: "S3", location };
  if (!c.has(obj, "encryptionKey")) return store;
  const keyPath = c.at(path, "encryptionKey");
  const key = c.object(c.raw(obj, "encryptionKey"), keyPath, "encryptionKey");
  if (!key) return store;
  c.allowOnly(key, keyPath, ["id", "type"]);
  const id = c.string(key, keyPath, "id", { required: true, max: 400 }) ?? "";
  const type = c.oneOf(key, keyPath, "type", ["KMS"], true) ?? "KMS";
  return { ...store, encryptionKey: { id, type } };
}

/** artifactStore XOR artifactStores; the API's map region -> store, CloudFormation's list of {Region, ArtifactStore}. */
function readArtifactStores(c: Checker, decl: Raw, base: string): Pick<Pipeline, "artifactStore" | "artifactStores"> {
  const single = c.has(decl, "artifactStore");
  const many = c.has(decl, "artifactStores");
  if (single && many) c.error(c.at(base, "artifactStores"), "use either artifactStore or artifactStores, not both");
  if (!single && !many) c.error(c.at(base, "artifactStore"), "is required (or artifactStores for a pipeline with cross-region actions)");
  if (single) {
    const store = readStore(c, c.raw(decl, "artifactStore"), c.at(base, "artifactStore"));
    return store ? { artifactStore: store } : {};
  }
  if (!many) return {};
  const path = c.at(base, "artifactStores");
  const out: Record<string, ArtifactStore> = {};
  if (c.style === "pascal") {
    for (const [i, entry] of c.list(decl, base, "artifactStores", { min: 1 }).entries()) {
      const at = joinPath(path, i);
      const obj = c.object(entry, at, "an artifact store entry");
      if (!obj) continue;
      c.allowOnly(obj, at, ["region", "artifactStore"]);
      const region = c.string(obj, at, "region", { required: true, ...LIMITS.region });
      const store = readStore(c, c.raw(obj, "artifactStore"), c.at(at, "artifactStore"));
      if (region && store) out[region] = store;
    }
    return { artifactStores: out };
  }
  const map = c.object(c.raw(decl, "artifactStores"), path, "artifactStores");
  for (const [region, store] of Object.entries(map ?? {})) {
    const read = readStore(c, store, joinPath(path, region));
    if (read) out[region] = read;
  }
  return { artifactStores: out };
}

/** CloudFormation's DisableInboundStageTransitions: [{StageName, Reason}]. */
function applyDisabledTransitions(c: Checker, decl: Raw, base: string, stages: Stage[]): void {
  for (const [i, entry] of c.list(decl, base, "disableInboundStageTransitions").entries()) {
    const path = joinPath(c.at(base, "disableInboundStageTransitions"), i);
    const obj = c.object(entry, path, "a disabled transition");
    if (!obj) continue;
    c.allowOnly(obj, path, ["stageName", "reason"]);
    const stageName = c.string(obj, path, "stageName", { required: true });
    const reason = c.string(obj, path, "reason", { required: true, ...TRANSITION_REASON, describe: "1-300 characters from A-Z a-z 0-9 ! @ ( ) . * ? - and spaces" }) ?? "";
    const index = stages.findIndex((s) => s.name === stageName);
    const stage = stages[index];
    if (stageName === undefined) continue;
    if (!stage) c.error(c.at(path, "stageName"), `no stage named '${stageName}'`);
    else if (index === 0) c.error(c.at(path, "stageName"), `'${stageName}' is the first stage, which has no inbound transition`);
    else stage.inboundTransition = { enabled: false, reason };
  }
}
