import { COMMON_INPUT_KEYS, type CommonInputFields, DEFAULT_HOOK_TIMEOUT_SECONDS, hookName, intInRange, parseCommonFields, type Problems } from "../deployment/input.js";
import { ValidationErrors } from "../errors.js";
import { type BlueGreenOptions, parseBlueGreen } from "./blue-green.js";
import { ECS_HOOK_EVENTS, type EcsHookEvent, type EcsHooks } from "./lifecycle.js";
import { parseEcsRevision } from "./revision.js";
import { type EcsTarget, parseEcsTarget } from "./target.js";
import type { EcsRevision } from "./task-set-plan.js";

/**
 * The deploy-ecs state machine input: the fields every deployment shares (docs/deploy-lambda-input.md) plus
 * the ECS group (`ecs`), the revision, blue/green options and the five ECS hooks. Documented in docs/ecs.md;
 * the console example is events/ecs/deploy-ecs.input.json. An appspec's Hooks replace the input's for the
 * events it names (CodeDeploy runs the revision's hooks).
 */
export interface DeployEcsInput extends CommonInputFields {
  target: EcsTarget;
  revision: EcsRevision;
  deploymentConfig: unknown;
  blueGreen: BlueGreenOptions;
  hooks: EcsHooks;
  hookTimeoutSeconds: number;
}

const ECS_KEYS = new Set([...COMMON_INPUT_KEYS, "ecs", "revision", "deploymentConfig", "blueGreen", "hooks"]);
/** `BeforeInstall` is spelled `beforeInstall` in the input, as the Lambda hooks are. */
const inputKey = (event: EcsHookEvent) => `${event[0]?.toLowerCase()}${event.slice(1)}`;

/** Whether a state machine input is an ECS deployment (it has the `ecs` group), for callers that pick the machine. */
export function isEcsInput(raw: unknown): boolean {
  return typeof raw === "object" && raw !== null && !Array.isArray(raw) && "ecs" in raw;
}

function parseHooks(raw: unknown, problems: Problems): { hooks: EcsHooks; timeoutSeconds: number } {
  const hooks: EcsHooks = {};
  if (raw === undefined || raw === null) return { hooks, timeoutSeconds: DEFAULT_HOOK_TIMEOUT_SECONDS };
  if (typeof raw !== "object" || Array.isArray(raw)) {
    problems.push({ field: "hooks", reason: `must be an object {${ECS_HOOK_EVENTS.map(inputKey).join(", ")}, timeoutSeconds}` });
    return { hooks, timeoutSeconds: DEFAULT_HOOK_TIMEOUT_SECONDS };
  }
  const h = raw as Record<string, unknown>;
  const known = [...ECS_HOOK_EVENTS.map(inputKey), "timeoutSeconds"];
  for (const k of Object.keys(h)) if (!known.includes(k)) problems.push({ field: `hooks.${k}`, reason: `unknown hook; ECS deployments have ${known.join(", ")}` });
  for (const event of ECS_HOOK_EVENTS) {
    const fn = hookName(h[inputKey(event)], `hooks.${inputKey(event)}`, problems);
    if (fn) hooks[event] = fn;
  }
  // A lifecycle event may last at most 3600 s (codedeploy-spec §3.6).
  return { hooks, timeoutSeconds: intInRange(h.timeoutSeconds, "hooks.timeoutSeconds", 1, 3600, DEFAULT_HOOK_TIMEOUT_SECONDS, problems) };
}

/** Collects a sub-parser's ValidationErrors into `problems` instead of stopping at the first part. */
function collect<T>(problems: Problems, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (e) {
    if (!(e instanceof ValidationErrors)) throw e;
    problems.push(...e.problems);
    return undefined;
  }
}

/** Validates the raw deploy-ecs input; every problem names its field. Throws `Deploy.InvalidInput`. */
export function parseDeployEcsInput(raw: unknown): DeployEcsInput {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ValidationErrors([{ field: "(input)", reason: "must be a JSON object" }]);
  const r = raw as Record<string, unknown>;
  const problems: Problems = [];
  for (const k of Object.keys(r)) if (!ECS_KEYS.has(k) && k !== "$comment") problems.push({ field: k, reason: "unknown field" });
  const common = parseCommonFields(r, problems);
  const target = collect(problems, () => parseEcsTarget(r.ecs, "ecs"));
  const revision = r.revision === undefined ? undefined : collect(problems, () => parseEcsRevision(r.revision, "revision"));
  if (r.revision === undefined) problems.push({ field: "revision", reason: 'is required: {"taskDefinition": ...} or {"appSpecContent": ...}' });
  const blueGreen = collect(problems, () => parseBlueGreen(r.blueGreen, "blueGreen"));
  const hooks = parseHooks(r.hooks, problems);
  if (problems.length || !target || !revision || !blueGreen) throw new ValidationErrors(problems);
  return {
    ...common,
    target,
    revision: revision.revision,
    deploymentConfig: r.deploymentConfig,
    blueGreen,
    hooks: { ...hooks.hooks, ...revision.hooks },
    hookTimeoutSeconds: hooks.timeoutSeconds,
  };
}
