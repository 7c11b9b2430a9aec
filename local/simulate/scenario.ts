import { readFileSync } from "node:fs";
import { ValidationErrors } from "../../functions/domain/errors.js";
import { loadStack } from "../runtime/stack.js";
import { isBareEvent, unsupportedEvent } from "./event-routes.js";
import { PROJECT_ROOT } from "./run-scenario.js";

/**
 * A simulator scenario: the account as it is before the deployment, the deployment input (exactly
 * the state machine's input) and a timeline of world events in simulated seconds. `expect` is
 * optional and lets `simulate` and the tests check the outcome.
 */
export interface Scenario {
  name: string;
  description?: string;
  /** State machine to run; default `deploy-lambda`. */
  machine?: string;
  account: Record<string, unknown>;
  input: Record<string, unknown>;
  timeline?: Record<string, unknown>[];
  expect?: ScenarioExpectation;
}

export interface ScenarioExpectation {
  status: "SUCCEEDED" | "FAILED" | "ABORTED";
  error?: string;
  finalAlias?: { functionVersion: string; additionalVersionWeights: Record<string, number> };
  /** EventBridge states in order, e.g. ["START", "STOP"]. */
  events?: string[];
  /** [atSeconds, weight] pairs of every alias change, in order. */
  weights?: [number, number][];
  /** ECS: what each listener or rule (`<load balancer>:<port>[:<priority>]`) forwards at the end, by target group name. */
  finalRoutes?: Record<string, Record<string, number>>;
  /** ECS: the service's task sets at the end (deleted ones left out). */
  taskSets?: { status: string; taskDefinition: string }[];
  /** ECS: the replacement's weight on the production route at each change, in order. */
  prodWeights?: number[];
}

export function parseScenario(raw: unknown, source = "scenario"): Scenario {
  const problems: { field: string; reason: string }[] = [];
  const r = (raw ?? {}) as Record<string, unknown>;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) problems.push({ field: "(scenario)", reason: "must be a JSON object" });
  if (typeof r.name !== "string" || !r.name) problems.push({ field: "name", reason: "is required" });
  for (const key of ["account", "input"]) {
    if (typeof r[key] !== "object" || r[key] === null || Array.isArray(r[key])) problems.push({ field: key, reason: "must be an object" });
  }
  if (r.timeline !== undefined && !Array.isArray(r.timeline)) problems.push({ field: "timeline", reason: "must be a list" });
  for (const k of Object.keys(r)) {
    if (!["name", "description", "machine", "account", "input", "timeline", "expect", "$comment"].includes(k)) problems.push({ field: k, reason: "unknown field" });
  }
  if (problems.length) throw new ValidationErrors(problems.map((p) => ({ ...p, field: `${source}: ${p.field}` })), "Simulate.InvalidScenario");
  return r as unknown as Scenario;
}

/** A scenario file; a bare AWS event that is not a release trigger is refused, naming what consumes it (Simulate.UnsupportedEvent). */
export function loadScenario(path: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new ValidationErrors([{ field: path, reason: `cannot read scenario: ${(e as Error).message}` }], "Simulate.InvalidScenario");
  }
  if (isBareEvent(raw)) throw unsupportedEvent(loadStack(PROJECT_ROOT), PROJECT_ROOT, path, raw);
  return parseScenario(raw, path);
}
