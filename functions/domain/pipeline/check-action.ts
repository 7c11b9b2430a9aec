import { type Checker, joinPath } from "./checker.js";
import { CLOUDFORMATION_CAPABILITIES, CLOUDFORMATION_MODES, CLOUDFORMATION_TEMPLATE_MODES, findProvider, KNOWN_UNSUPPORTED, PROVIDERS, type ProviderSpec, providersFor } from "./providers.js";
import type { Action } from "./types.js";

/**
 * Provider rules for one action: that stepdeploy runs the provider, owner and version, artifact
 * counts, required configuration, and each provider's own configuration rules. Unknown
 * configuration keys are warnings (they are ignored), since a key added by AWS after this table was
 * written must not make a working definition invalid.
 */
export function checkActionType(c: Checker, action: Action): void {
  const typePath = c.at(action.path, "actionTypeId");
  const { category, owner, provider, version } = action.actionTypeId;
  if (!provider) return;
  const spec = findProvider(category, provider);
  if (!spec) {
    c.error(c.at(typePath, "provider"), unsupportedMessage(category, owner, provider));
    return;
  }
  if (owner !== spec.owner) c.error(c.at(typePath, "owner"), `the ${provider} ${category} action is owned by ${spec.owner}, got '${owner}'`);
  if (version !== "1") c.error(c.at(typePath, "version"), `'${version}' is not a version of ${provider}: the only valid version is "1"`);
  if (spec.note) c.warn(typePath, spec.note);
  checkCounts(c, action, spec);
  checkConfiguration(c, action, spec);
  if (action.region !== undefined && (category === "Source" || owner !== "AWS")) {
    c.error(c.at(action.path, "region"), `${owner === "AWS" ? "source" : `${owner} (non-AWS)`} actions cannot be cross-region; remove region`);
  }
  for (const field of ["commands", "outputVariables"] as const) {
    if (action[field] !== undefined) c.error(c.at(action.path, field), `${field} belongs to the Commands (Compute) action only, not to ${provider}`);
  }
}

function unsupportedMessage(category: string, owner: string, provider: string): string {
  const runs = providersFor(category);
  const list = runs.length ? `stepdeploy runs these ${category} providers: ${runs.join(", ")}` : `stepdeploy runs no ${category} provider`;
  if (owner === "Custom") return `custom action type '${provider}' is not run by stepdeploy (custom actions need a job worker polling CodePipeline); ${list}`;
  const known = KNOWN_UNSUPPORTED[provider];
  if (known) return `'${provider}' is a CodePipeline ${known} provider that stepdeploy does not run; ${list}`;
  const elsewhere = PROVIDERS.filter((p) => p.provider === provider).map((p) => p.category);
  if (elsewhere.length) return `'${provider}' is not a ${category} provider (it is a ${[...new Set(elsewhere)].join("/")} provider); ${list}`;
  return `unknown provider '${provider}' for category ${category}; ${list}`;
}

function checkCounts(c: Checker, action: Action, spec: ProviderSpec): void {
  const label = `a ${spec.provider} ${spec.category} action`;
  for (const [field, count, range] of [
    ["inputArtifacts", action.inputArtifacts.length, spec.inputs],
    ["outputArtifacts", action.outputArtifacts.length, spec.outputs],
  ] as const) {
    if (count >= range.min && count <= range.max) continue;
    const allowed = range.min === range.max ? `exactly ${range.min}` : `${range.min} to ${range.max}`;
    c.error(c.at(action.path, field), `${label} takes ${allowed} ${field === "inputArtifacts" ? "input" : "output"} artifact${range.max === 1 ? "" : "s"}, got ${count}`);
  }
}

function checkConfiguration(c: Checker, action: Action, spec: ProviderSpec): void {
  const base = c.at(action.path, "configuration");
  const config = action.configuration;
  for (const key of spec.required) {
    if (config[key] === undefined) c.error(joinPath(base, key), `is required for a ${spec.provider} ${spec.category} action`);
  }
  for (const key of Object.keys(config)) {
    if (!spec.known.includes(key)) c.warn(joinPath(base, key), `'${key}' is not a configuration key of ${spec.provider} (known: ${spec.known.join(", ")}); it is ignored`);
  }
  const unresolved = (key: string) => c.unresolved.some((u) => u.path === joinPath(base, key));
  const bool = (key: string) => {
    const v = config[key];
    if (v !== undefined && !unresolved(key) && v !== "true" && v !== "false") c.error(joinPath(base, key), `must be "true" or "false", got '${v}'`);
  };
  switch (`${spec.category}/${spec.provider}`) {
    case "Deploy/CloudFormation":
      checkCloudFormation(c, action, base, unresolved);
      return;
    case "Deploy/S3":
      bool("Extract");
      if (config["Extract"] === "false" && config["ObjectKey"] === undefined) c.error(joinPath(base, "ObjectKey"), "is required when Extract is false (the key the artifact is written to)");
      return;
    case "Build/CodeBuild":
    case "Test/CodeBuild":
      bool("BatchEnabled");
      bool("CombineArtifacts");
      if (config["EnvironmentVariables"] !== undefined && !unresolved("EnvironmentVariables")) checkCodeBuildVariables(c, config["EnvironmentVariables"], joinPath(base, "EnvironmentVariables"));
      if (config["PrimarySource"] !== undefined && !action.inputArtifacts.includes(config["PrimarySource"])) {
        c.error(joinPath(base, "PrimarySource"), `names '${config["PrimarySource"]}', which is not one of the action's input artifacts (${action.inputArtifacts.join(", ") || "none"})`);
      }
      return;
    case "Source/S3":
    case "Source/CodeCommit":
      bool("PollForSourceChanges");
      return;
    case "Deploy/CodeDeploy":
      checkDeploymentInput(c, config["DeploymentInput"], joinPath(base, "DeploymentInput"), unresolved("DeploymentInput"));
      return;
  }
}

/**
 * DeploymentInput (a stepdeploy key): the deploy-lambda input the CodeDeploy action runs, until the
 * stack resolves ApplicationName/DeploymentGroupName to a deployment group itself. Without it the
 * action sends `{application, deploymentGroup, revision}`, the deployment-groups input.
 */
function checkDeploymentInput(c: Checker, text: string | undefined, path: string, unresolved: boolean): void {
  if (text === undefined || unresolved) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    c.error(path, `must be a JSON object (the deploy-lambda input): ${(e as Error).message}`);
    return;
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) c.error(path, "must be a JSON object (the deploy-lambda input)");
  else for (const key of ["application", "deploymentGroup"]) if (key in parsed) c.error(`${path}.${key}`, "comes from ApplicationName/DeploymentGroupName; leave it out");
}

function checkCodeBuildVariables(c: Checker, text: string, path: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    c.error(path, 'must be a JSON list of {"name","value","type"} (type PLAINTEXT, PARAMETER_STORE or SECRETS_MANAGER)');
    return;
  }
  if (!Array.isArray(parsed)) {
    c.error(path, 'must be a JSON list of {"name","value","type"}');
    return;
  }
  for (const [i, v] of parsed.entries()) {
    const ok = v && typeof v === "object" && typeof (v as { name?: unknown }).name === "string" && typeof (v as { value?: unknown }).value === "string";
    const type = ok ? (v as { type?: unknown }).type : undefined;
    if (!ok) c.error(`${path}[${i}]`, 'each entry needs a string "name" and "value"');
    else if (type !== undefined && !["PLAINTEXT", "PARAMETER_STORE", "SECRETS_MANAGER"].includes(String(type))) c.error(`${path}[${i}].type`, `'${String(type)}' is not one of PLAINTEXT, PARAMETER_STORE, SECRETS_MANAGER`);
  }
}

function checkCloudFormation(c: Checker, action: Action, base: string, unresolved: (key: string) => boolean): void {
  const config = action.configuration;
  const mode = config["ActionMode"];
  if (mode === undefined || unresolved("ActionMode")) return;
  if (!(CLOUDFORMATION_MODES as readonly string[]).includes(mode)) {
    c.error(joinPath(base, "ActionMode"), `'${mode}' is not one of ${CLOUDFORMATION_MODES.join(", ")}`);
    return;
  }
  if (mode.startsWith("CHANGE_SET_") && config["ChangeSetName"] === undefined) c.error(joinPath(base, "ChangeSetName"), `is required with ActionMode ${mode}`);
  if ((CLOUDFORMATION_TEMPLATE_MODES as readonly string[]).includes(mode)) {
    for (const key of ["TemplatePath", "RoleArn"]) {
      if (config[key] === undefined) c.error(joinPath(base, key), `is required with ActionMode ${mode}`);
    }
  }
  for (const key of ["TemplatePath", "TemplateConfiguration"]) {
    const value = config[key];
    if (value === undefined || unresolved(key)) continue;
    const artifact = /^([a-zA-Z0-9_-]+)::(.+)$/.exec(value);
    if (!artifact) c.error(joinPath(base, key), `must be ArtifactName::path/in/artifact, got '${value}'`);
    else if (!action.inputArtifacts.includes(artifact[1] as string)) c.error(joinPath(base, key), `names artifact '${artifact[1]}', which is not one of the action's input artifacts (${action.inputArtifacts.join(", ") || "none"})`);
  }
  const overrides = config["ParameterOverrides"];
  if (overrides !== undefined && !unresolved("ParameterOverrides")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(overrides);
    } catch {
      parsed = undefined;
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) c.error(joinPath(base, "ParameterOverrides"), 'must be a JSON object of parameter names to values, e.g. {"Stage":"prod"}');
  }
  const caps = config["Capabilities"];
  if (caps !== undefined && !unresolved("Capabilities")) {
    for (const cap of caps.split(",").map((s) => s.trim())) {
      if (!(CLOUDFORMATION_CAPABILITIES as readonly string[]).includes(cap)) c.error(joinPath(base, "Capabilities"), `'${cap}' is not one of ${CLOUDFORMATION_CAPABILITIES.join(", ")} (comma-separated)`);
    }
  }
}
