import { type Checker, joinPath, type Raw } from "./checker.js";
import { checkActionType } from "./check-action.js";
import { ACTION_VERSION, ARTIFACT_NAME, LIMITS, NAME, NAMESPACE, PROVIDER, ROLE_ARN } from "./limits.js";
import { type Action, CATEGORIES, type EnvironmentVariable, FAILURE_RESULTS, type OutputArtifact, OWNERS, RETRY_MODES, type Stage, type StageFailure } from "./types.js";

/** Fields of StageDeclaration and ActionDeclaration (CodePipeline API, codepipeline-spec §1.1). */
const STAGE_FIELDS = ["name", "blockers", "actions", "onFailure", "onSuccess", "beforeEntry"] as const;
const ACTION_FIELDS = [
  "name", "actionTypeId", "runOrder", "configuration", "commands", "outputArtifacts", "inputArtifacts",
  "outputVariables", "roleArn", "region", "namespace", "timeoutInMinutes", "environmentVariables",
] as const;

export function readStages(c: Checker, decl: Raw, base: string): Stage[] {
  const raw = c.list(decl, base, "stages", { required: true, min: LIMITS.stages.min, max: LIMITS.stages.max });
  return readUniquelyNamed(c, raw, c.at(base, "stages"), readStage, (name, first) => `stage name '${name}' is already used by stages[${first}]; stage names are unique in a pipeline`);
}

/** Reads each entry of a list of named things (stages, actions), reporting a repeated name at the later entry. */
function readUniquelyNamed<T extends { name: string }>(c: Checker, raw: unknown[], listPath: string, read: (c: Checker, value: unknown, path: string) => T | undefined, duplicate: (name: string, first: number) => string): T[] {
  const out: T[] = [];
  const seen = new Map<string, number>();
  for (const [i, value] of raw.entries()) {
    const path = joinPath(listPath, i);
    const item = read(c, value, path);
    if (!item) continue;
    const first = seen.get(item.name);
    if (first !== undefined) c.error(c.at(path, "name"), duplicate(item.name, first));
    else seen.set(item.name, i);
    out.push(item);
  }
  return out;
}

function readStage(c: Checker, value: unknown, path: string): Stage | undefined {
  const obj = c.object(value, path, "a stage");
  if (!obj) return undefined;
  c.allowOnly(obj, path, STAGE_FIELDS);
  const name = c.string(obj, path, "name", { required: true, ...NAME }) ?? "";
  if (c.has(obj, "blockers")) c.warn(c.at(path, "blockers"), "blockers are reserved for future use by CodePipeline and are ignored");
  for (const field of ["onSuccess", "beforeEntry"] as const) {
    if (c.has(obj, field)) c.error(c.at(path, field), `stage conditions (${field}) are not run by stepdeploy yet; remove them or the pipeline would behave differently than in CodePipeline`);
  }
  const actionsRaw = c.list(obj, path, "actions", { required: true, min: LIMITS.actionsPerStage.min, max: LIMITS.actionsPerStage.max });
  const actions = readUniquelyNamed(c, actionsRaw, c.at(path, "actions"), readAction, (n, first) => `action name '${n}' is already used by actions[${first}] of this stage; action names are unique in a stage`);
  return { name, path, actions, onFailure: readOnFailure(c, obj, path), inboundTransition: { enabled: true } };
}

function readOnFailure(c: Checker, stage: Raw, base: string): StageFailure {
  if (!c.has(stage, "onFailure")) return { result: "FAIL" };
  const path = c.at(base, "onFailure");
  const obj = c.object(c.raw(stage, "onFailure"), path, "onFailure");
  if (!obj) return { result: "FAIL" };
  c.allowOnly(obj, path, ["result", "retryConfiguration", "conditions"]);
  if (c.has(obj, "conditions")) c.error(c.at(path, "conditions"), "stage conditions are not run by stepdeploy yet; use result FAIL, RETRY or ROLLBACK without conditions");
  const text = c.string(obj, path, "result", { required: true });
  if (text === "SKIP") c.error(c.at(path, "result"), "SKIP is not supported by stepdeploy: use FAIL, RETRY or ROLLBACK");
  else if (text !== undefined && !(FAILURE_RESULTS as readonly string[]).includes(text)) c.error(c.at(path, "result"), `'${text}' is not one of ${FAILURE_RESULTS.join(", ")}`);
  const result = (FAILURE_RESULTS as readonly string[]).includes(text ?? "") ? (text as StageFailure["result"]) : "FAIL";
  if (!c.has(obj, "retryConfiguration")) return result === "RETRY" ? { result, retryMode: "FAILED_ACTIONS" } : { result };
  const retryPath = c.at(path, "retryConfiguration");
  if (result !== "RETRY") c.error(retryPath, "retryConfiguration is only allowed with result RETRY");
  const retry = c.object(c.raw(obj, "retryConfiguration"), retryPath, "retryConfiguration");
  if (!retry) return { result };
  c.allowOnly(retry, retryPath, ["retryMode"]);
  const retryMode = c.oneOf(retry, retryPath, "retryMode", RETRY_MODES) ?? "FAILED_ACTIONS";
  return result === "RETRY" ? { result, retryMode } : { result };
}

function readAction(c: Checker, value: unknown, path: string): Action | undefined {
  const obj = c.object(value, path, "an action");
  if (!obj) return undefined;
  c.allowOnly(obj, path, ACTION_FIELDS);
  const name = c.string(obj, path, "name", { required: true, ...NAME }) ?? "";
  const typePath = c.at(path, "actionTypeId");
  const typeObj = c.has(obj, "actionTypeId") ? c.object(c.raw(obj, "actionTypeId"), typePath, "actionTypeId") : undefined;
  if (!c.has(obj, "actionTypeId")) c.error(typePath, "is required");
  let actionTypeId: Action["actionTypeId"] = { category: "Build", owner: "AWS", provider: "", version: "" };
  if (typeObj) {
    c.allowOnly(typeObj, typePath, ["category", "owner", "provider", "version"]);
    actionTypeId = {
      category: c.oneOf(typeObj, typePath, "category", CATEGORIES, true) ?? actionTypeId.category,
      owner: c.oneOf(typeObj, typePath, "owner", OWNERS, true) ?? actionTypeId.owner,
      provider: c.string(typeObj, typePath, "provider", { required: true, ...PROVIDER, describe: "1-35 characters from A-Z a-z 0-9 _ -" }) ?? "",
      version: c.string(typeObj, typePath, "version", { required: true, ...ACTION_VERSION, describe: "1-9 characters from A-Z a-z 0-9 _ -" }) ?? "",
    };
  }
  const action: Action = {
    name,
    path,
    actionTypeId,
    runOrder: c.integer(obj, path, "runOrder", LIMITS.runOrder) ?? LIMITS.runOrder.default,
    configuration: readConfiguration(c, obj, path),
    inputArtifacts: c.list(obj, path, "inputArtifacts").map((a, i) => readArtifactName(c, a, joinPath(c.at(path, "inputArtifacts"), i))),
    outputArtifacts: c.list(obj, path, "outputArtifacts").map((a, i) => readOutputArtifact(c, a, joinPath(c.at(path, "outputArtifacts"), i))),
  };
  const namespace = c.string(obj, path, "namespace", NAMESPACE);
  const region = c.string(obj, path, "region", { min: LIMITS.region.min, max: LIMITS.region.max });
  const roleArn = c.string(obj, path, "roleArn", { max: LIMITS.roleArn, pattern: ROLE_ARN, describe: "must be an IAM role ARN (arn:aws:iam::<12-digit account>:role/...)" });
  const timeoutInMinutes = c.integer(obj, path, "timeoutInMinutes", LIMITS.timeoutInMinutes);
  const commands = c.list(obj, path, "commands", { min: 1, max: LIMITS.commands }).map((v, i) => c.stringValue(v, joinPath(c.at(path, "commands"), i)) ?? "");
  const outputVariables = c.list(obj, path, "outputVariables", { min: 1, max: LIMITS.outputVariables }).map((v, i) => c.stringValue(v, joinPath(c.at(path, "outputVariables"), i)) ?? "");
  const environmentVariables = c.list(obj, path, "environmentVariables", { min: 1, max: LIMITS.environmentVariables }).map((v, i) => readEnvironmentVariable(c, v, joinPath(c.at(path, "environmentVariables"), i)));
  Object.assign(
    action,
    namespace !== undefined && { namespace },
    region !== undefined && { region },
    roleArn !== undefined && { roleArn },
    timeoutInMinutes !== undefined && { timeoutInMinutes },
    c.has(obj, "commands") && { commands },
    c.has(obj, "outputVariables") && { outputVariables },
    c.has(obj, "environmentVariables") && { environmentVariables },
  );
  if (typeObj) checkActionType(c, action);
  return action;
}

function readConfiguration(c: Checker, action: Raw, base: string): Record<string, string> {
  if (!c.has(action, "configuration")) return {};
  const path = c.at(base, "configuration");
  const obj = c.object(c.raw(action, "configuration"), path, "configuration");
  if (!obj) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(obj)) {
    const keyPath = joinPath(path, key);
    if (key.length > LIMITS.configurationKey.max) c.error(keyPath, `configuration keys are at most ${LIMITS.configurationKey.max} characters, got ${key.length}`);
    const text = c.stringValue(value, keyPath, { max: LIMITS.configurationValue.max });
    if (text !== undefined) out[key] = text;
  }
  return out;
}

function readArtifactName(c: Checker, value: unknown, path: string): string {
  const obj = c.object(value, path, "an input artifact");
  if (!obj) return "";
  c.allowOnly(obj, path, ["name"]);
  return c.string(obj, path, "name", { required: true, ...ARTIFACT_NAME }) ?? "";
}

function readOutputArtifact(c: Checker, value: unknown, path: string): OutputArtifact {
  const obj = c.object(value, path, "an output artifact");
  if (!obj) return { name: "" };
  c.allowOnly(obj, path, ["name", "files"]);
  const name = c.string(obj, path, "name", { required: true, ...ARTIFACT_NAME }) ?? "";
  if (!c.has(obj, "files")) return { name };
  const files = c.list(obj, path, "files", { min: 1, max: LIMITS.artifactFiles }).map((f, i) => c.stringValue(f, joinPath(c.at(path, "files"), i)) ?? "");
  return { name, files };
}

function readEnvironmentVariable(c: Checker, value: unknown, path: string): EnvironmentVariable {
  const obj = c.object(value, path, "an environment variable");
  if (!obj) return { name: "", value: "" };
  c.allowOnly(obj, path, ["name", "value", "type"]);
  const type = c.string(obj, path, "type");
  const variable: EnvironmentVariable = { name: c.string(obj, path, "name", { required: true }) ?? "", value: c.string(obj, path, "value", { required: true }) ?? "" };
  return type === undefined ? variable : { ...variable, type };
}
