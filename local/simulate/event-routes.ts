import { relative } from "node:path";
import { StepDeployError } from "../../functions/domain/errors.js";
import { describeTrigger, matchSource, parseTriggerEvent } from "../../functions/domain/release/index.js";
import { stageReleaseSources } from "../../functions/lib/release-input.js";
import { matchesPattern } from "../account/index.js";
import type { LocalStack } from "../runtime/stack.js";

/**
 * What the deployed stack does with an AWS event as AWS sends it, explained from the stack itself:
 * which of serverless.yml's EventBridge rules match it (and so which of our functions it reaches),
 * and, for S3 and ECR events, what dispatchRelease decides with the stage's release sources (the
 * dispatcher's own parsing and matching, functions/domain/release). Service events reach the
 * account's default bus, where those rules live.
 */
export interface Consumer {
  /** The deployed function's name, e.g. `stepdeploy-local-alarmListener`. */
  name: string;
  /** Its handler module, relative to the project. */
  handler: string;
}

/** Our functions that the stack's rules hand `event` to (none: nothing in stepdeploy acts on it). */
export function consumersOf(stack: LocalStack, root: string, event: Record<string, unknown>): Consumer[] {
  const out: Consumer[] = [];
  for (const rule of stack.rules) {
    const fn = stack.functions.get(rule.functionLogicalId);
    if (!fn || rule.eventBus !== "default" || !matchesPattern(rule.pattern, event) || out.some((c) => c.name === fn.name)) continue;
    out.push({ name: fn.name, handler: relative(root, fn.modulePath).split("\\").join("/") });
  }
  return out;
}

/** The patterns of the rules that lead to a function for events of `source`: what such an event must look like to reach it. */
export function rulePatternsOf(stack: LocalStack, functionLogicalId: string, source: unknown): string[] {
  return stack.rules
    .filter((r) => r.functionLogicalId === functionLogicalId && (r.pattern.source as unknown[] | undefined)?.includes(source) !== false)
    .map((r) => JSON.stringify(r.pattern));
}

/** dispatchRelease's decision for each trigger in the event: the release source it starts, or why it ignores it. */
export function dispatchDecisions(event: unknown, env: Record<string, string | undefined>): string[] {
  const { triggers, ignored } = parseTriggerEvent(event);
  const sources = stageReleaseSources(env);
  const out = ignored.map((i) => `ignored: ${i.reason}`);
  for (const t of triggers) {
    const match = matchSource(sources, t);
    out.push("ignored" in match ? `${describeTrigger(t)}: ignored, ${match.ignored}` : `${describeTrigger(t)}: a release of source ${match.source.name}`);
  }
  return out;
}

/** What `simulate` can show of an event it does not run: each event type with the scenario feature that makes it happen. */
const HOW_TO_SEE: Record<string, string> = {
  "CloudWatch Alarm State Change":
    'the account emits it when an alarm changes state: give a scenario a timeline entry {"atSeconds": 60, "alarm": "<alarm name>", "state": "ALARM"} (events/scenarios/alarm-mid-bake.json)',
  "Step Functions Execution Status Change":
    'the account emits it when an execution starts and ends: stop a deployment with a timeline entry {"atSeconds": 60, "action": "abort"} (events/scenarios/abort-mid-bake.json)',
};

/**
 * The error for a bare AWS event that `simulate` does not run (only S3 and ECR events start
 * anything by themselves): it names the event and what in the stack consumes it.
 */
export function unsupportedEvent(stack: LocalStack, root: string, file: string, event: Record<string, unknown>): StepDeployError {
  const kind = `'${String(event["detail-type"])}' (source ${String(event.source)})`;
  const consumers = consumersOf(stack, root, event);
  const consumed = consumers.length
    ? `In the deployed stack it goes to ${consumers.map((c) => `${c.name} (${c.handler})`).join(" and ")}.`
    : "No rule of the deployed stack matches it: nothing in stepdeploy acts on it.";
  const how = HOW_TO_SEE[String(event["detail-type"])];
  return new StepDeployError(
    "Simulate.UnsupportedEvent",
    `${file} is an AWS event ${kind}; simulate runs deployment scenarios, release scenarios and S3 or ECR trigger events, not this one. ${consumed}${how ? ` To see it in a simulation: ${how}.` : ""}`,
  );
}

/** An event as EventBridge delivers it: a source, a detail-type and a detail object. */
export function isBareEvent(raw: unknown): raw is Record<string, unknown> {
  const r = raw as Record<string, unknown> | null;
  return Boolean(r && typeof r.source === "string" && typeof r["detail-type"] === "string" && typeof r.detail === "object" && r.detail !== null && !("input" in r));
}
