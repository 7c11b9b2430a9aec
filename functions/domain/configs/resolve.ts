import { ValidationError, ValidationErrors } from "../errors.js";
import { type Problems, isRecord, kindOf, rejectUnknownKeys, show } from "./checks.js";
import { CONFIG_ERROR_NAME, CONFIG_NAME_PATTERN, CUSTOM_CONFIG_NAME, CodeDeployException, PREDEFINED_PREFIX, ROOT_FIELD } from "./limits.js";
import { PREDEFINED_CONFIGS, PREDEFINED_CONFIG_NAMES, SERVER_CONFIG_NAMES, isPredefinedConfigName } from "./predefined.js";
import { closestNames, didYouMean } from "./suggest.js";
import { scheduleOf, stepsForBakeList, stepsForRouting } from "./timing.js";
import type { ComputePlatform, ResolvedConfig, Schedule } from "./types.js";
import { parseTrafficRoutingConfig } from "./validate-routing.js";
import { parseStepList } from "./validate-steps.js";

/**
 * Turns a deployment config as a user writes it into a schedule. Accepts
 * (a) a predefined name, (b) CodeDeploy's own `{trafficRoutingConfig}` shape, optionally wrapped like
 * `CreateDeploymentConfigInput` (deploymentConfigName, computePlatform), (c) stepdeploy's `{steps}` list.
 * Every problem throws `Deploy.InvalidConfig` with a field path rooted at `deploymentConfig`.
 */

const CUSTOM_KEYS = ["deploymentConfigName", "computePlatform", "trafficRoutingConfig", "steps"] as const;
const PLATFORMS: readonly ComputePlatform[] = ["Lambda", "ECS"];
const SERVER_ONLY = `applies only to EC2/on-premises (Server) configs; Lambda and ECS configs shift traffic with trafficRoutingConfig`;

function fail(problems: Problems): never {
  if (problems.length === 1) {
    const [p] = problems as [Problems[number]];
    throw new ValidationError(p.field, p.reason, CONFIG_ERROR_NAME);
  }
  throw new ValidationErrors(problems, CONFIG_ERROR_NAME);
}

function customKeyHint(key: string): string | undefined {
  if (key === "type" || key === "timeBasedCanary" || key === "timeBasedLinear") {
    return `belongs inside trafficRoutingConfig: {"trafficRoutingConfig": {"type": ..., "${key === "type" ? "timeBasedCanary" : key}": {...}}}`;
  }
  if (key === "minimumHealthyHosts" || key === "zonalConfig") return SERVER_ONLY;
  const near = closestNames(key, CUSTOM_KEYS);
  return `unknown field; expected ${CUSTOM_KEYS.join(", ")}${didYouMean(near)}`;
}

function resolveName(name: string): ResolvedConfig {
  if (isPredefinedConfigName(name)) {
    const { computePlatform, trafficRoutingConfig } = PREDEFINED_CONFIGS[name];
    return {
      source: "predefined",
      kind: trafficRoutingConfig.type,
      computePlatform,
      trafficRoutingConfig: structuredClone(trafficRoutingConfig),
      bakeSteps: undefined,
      schedule: scheduleOf(name, stepsForRouting(trafficRoutingConfig)),
    };
  }
  if ((SERVER_CONFIG_NAMES as readonly string[]).includes(name)) {
    fail([
      {
        field: ROOT_FIELD,
        reason: `${name} is an EC2/on-premises (Server) config: it sets minimum healthy hosts and has no traffic shifting. Use a Lambda or ECS config such as CodeDeployDefault.LambdaAllAtOnce (CodeDeploy ${CodeDeployException.ComputePlatform})`,
      },
    ]);
  }
  const trimmed = name.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    fail([{ field: ROOT_FIELD, reason: "is a string that looks like JSON; pass a custom config as an object, not as text" }]);
  }
  const hint = didYouMean(closestNames(name, PREDEFINED_CONFIG_NAMES));
  const more = hint || ". Predefined names are listed in docs/deployment-configs.md (or run `stepdeploy schedule --list`); custom configs are given inline as {\"trafficRoutingConfig\": ...} or {\"steps\": [...]}.";
  return fail([{ field: ROOT_FIELD, reason: `no deployment config named ${show(name)} (CodeDeploy ${CodeDeployException.ConfigDoesNotExist})${more}` }]);
}

function parseName(v: unknown, problems: Problems): string | undefined {
  if (v === undefined || v === null) return undefined;
  const field = `${ROOT_FIELD}.deploymentConfigName`;
  const rule = ` (CodeDeploy ${CodeDeployException.ConfigName})`;
  if (typeof v !== "string" || !CONFIG_NAME_PATTERN.test(v)) {
    problems.push({ field, reason: `must be 1-100 characters of [A-Za-z0-9._+=,@-], got ${show(v)}${rule}` });
    return undefined;
  }
  if (v.startsWith(PREDEFINED_PREFIX)) {
    problems.push({ field, reason: `custom config names may not start with '${PREDEFINED_PREFIX}'${rule}; to use a predefined config, pass its name as a string` });
    return undefined;
  }
  return v;
}

function parsePlatform(v: unknown, problems: Problems): ComputePlatform | undefined {
  if (v === undefined || v === null) return undefined;
  const field = `${ROOT_FIELD}.computePlatform`;
  const rule = ` (CodeDeploy ${CodeDeployException.ComputePlatform})`;
  if (v === "Server") {
    problems.push({ field, reason: `Server (EC2/on-premises) configs use minimumHealthyHosts and do not shift traffic; stepdeploy configs are Lambda or ECS${rule}` });
    return undefined;
  }
  if (typeof v !== "string" || !PLATFORMS.includes(v as ComputePlatform)) {
    const hint = typeof v === "string" ? didYouMean(closestNames(v, PLATFORMS)) : "";
    problems.push({ field, reason: `must be Lambda or ECS, got ${show(v)}${rule}${hint}` });
    return undefined;
  }
  return v as ComputePlatform;
}

function resolveCustom(obj: Record<string, unknown>): ResolvedConfig {
  const problems: Problems = [];
  rejectUnknownKeys(obj, CUSTOM_KEYS, ROOT_FIELD, problems, customKeyHint);
  const name = parseName(obj.deploymentConfigName, problems);
  const computePlatform = parsePlatform(obj.computePlatform, problems);
  const hasRouting = obj.trafficRoutingConfig !== undefined && obj.trafficRoutingConfig !== null;
  const hasSteps = obj.steps !== undefined && obj.steps !== null;
  if (hasRouting && hasSteps) {
    problems.push({ field: ROOT_FIELD, reason: "give either trafficRoutingConfig (CodeDeploy's shape) or steps (a step list), not both" });
    fail(problems);
  }
  if (!hasRouting && !hasSteps) {
    // An unknown-key problem (a typo such as "stpes", or an unwrapped "type") already says what is missing.
    if (problems.length === 0) problems.push({
      field: `${ROOT_FIELD}.trafficRoutingConfig`,
      reason: `is required (or steps, for a step list); to use a predefined config, pass its name as a string`,
    });
    fail(problems);
  }
  const config = name ?? CUSTOM_CONFIG_NAME;
  if (hasSteps) {
    const bakeSteps = parseStepList(obj.steps, `${ROOT_FIELD}.steps`, problems);
    if (!bakeSteps || problems.length) fail(problems);
    return { source: "steps", kind: "StepList", computePlatform, trafficRoutingConfig: undefined, bakeSteps, schedule: scheduleOf(config, stepsForBakeList(bakeSteps)) };
  }
  const routing = parseTrafficRoutingConfig(obj.trafficRoutingConfig, `${ROOT_FIELD}.trafficRoutingConfig`, problems);
  if (!routing || problems.length) fail(problems);
  return { source: "custom", kind: routing.type, computePlatform, trafficRoutingConfig: routing, bakeSteps: undefined, schedule: scheduleOf(config, stepsForRouting(routing)) };
}

/** Validates `config` and returns what it means: platform, routing and schedule. Throws `Deploy.InvalidConfig`. */
export function resolveConfig(config: unknown): ResolvedConfig {
  if (config === undefined || config === null || config === "") {
    return fail([{ field: ROOT_FIELD, reason: "is required: a predefined name such as CodeDeployDefault.LambdaAllAtOnce, or a custom config object" }]);
  }
  if (typeof config === "string") return resolveName(config);
  if (isRecord(config)) return resolveCustom(config);
  return fail([{ field: ROOT_FIELD, reason: `must be a predefined config name (string) or a custom config object, got ${kindOf(config)}` }]);
}

/** The traffic schedule for `config` (see resolveConfig). Throws `Deploy.InvalidConfig`. */
export function resolveSchedule(config: unknown): Schedule {
  return resolveConfig(config).schedule;
}
