import { type Problems, integerIn, isRecord, kindOf, positiveInteger, rejectUnknownKeys, show } from "./checks.js";
import { CodeDeployException, MAX_PERCENTAGE, MAX_SHIFT_SPAN_MINUTES, MIN_PERCENTAGE } from "./limits.js";
import { closestNames, didYouMean } from "./suggest.js";
import { linearShiftCount } from "./timing.js";
import type { TimeBasedCanary, TimeBasedLinear, TrafficRoutingConfig, TrafficRoutingType } from "./types.js";

/** Validates a CodeDeploy `TrafficRoutingConfig` with the service's rules (codedeploy-spec §1.5). */

const TYPES: readonly TrafficRoutingType[] = ["TimeBasedCanary", "TimeBasedLinear", "AllAtOnce"];
const SUB_OBJECT = { TimeBasedCanary: "timeBasedCanary", TimeBasedLinear: "timeBasedLinear" } as const;
const RULE = ` (CodeDeploy ${CodeDeployException.TrafficRouting})`;
const SPAN_LIMIT = `at most ${MAX_SHIFT_SPAN_MINUTES} minutes are allowed from the first shift to the last${RULE}`;

function percentage(v: unknown, field: string, problems: Problems): number | undefined {
  return integerIn(v, field, MIN_PERCENTAGE, MAX_PERCENTAGE, RULE, problems);
}

function parseCanary(v: unknown, field: string, problems: Problems): TimeBasedCanary | undefined {
  if (!isRecord(v)) {
    problems.push({ field, reason: `must be an object {canaryPercentage, canaryInterval}, got ${kindOf(v)}${RULE}` });
    return undefined;
  }
  rejectUnknownKeys(v, ["canaryPercentage", "canaryInterval"], field, problems);
  const canaryPercentage = percentage(v.canaryPercentage, `${field}.canaryPercentage`, problems);
  const canaryInterval = positiveInteger(v.canaryInterval, `${field}.canaryInterval`, RULE, problems);
  if (canaryInterval !== undefined && canaryInterval > MAX_SHIFT_SPAN_MINUTES) {
    problems.push({ field: `${field}.canaryInterval`, reason: `is ${canaryInterval} minutes; ${SPAN_LIMIT}` });
    return undefined;
  }
  if (canaryPercentage === undefined || canaryInterval === undefined) return undefined;
  return { canaryPercentage, canaryInterval };
}

function parseLinear(v: unknown, field: string, problems: Problems): TimeBasedLinear | undefined {
  if (!isRecord(v)) {
    problems.push({ field, reason: `must be an object {linearPercentage, linearInterval}, got ${kindOf(v)}${RULE}` });
    return undefined;
  }
  rejectUnknownKeys(v, ["linearPercentage", "linearInterval"], field, problems);
  const linearPercentage = percentage(v.linearPercentage, `${field}.linearPercentage`, problems);
  const linearInterval = positiveInteger(v.linearInterval, `${field}.linearInterval`, RULE, problems);
  if (linearPercentage === undefined || linearInterval === undefined) return undefined;
  const intervals = linearShiftCount(linearPercentage) - 1;
  const span = intervals * linearInterval;
  if (span > MAX_SHIFT_SPAN_MINUTES) {
    problems.push({
      field: `${field}.linearInterval`,
      reason: `${linearPercentage}% per shift makes ${intervals + 1} shifts, ${intervals} intervals × ${linearInterval} min = ${span} minutes; ${SPAN_LIMIT}`,
    });
    return undefined;
  }
  return { linearPercentage, linearInterval };
}

/** Returns the config, or undefined after pushing at least one problem. */
export function parseTrafficRoutingConfig(v: unknown, field: string, problems: Problems): TrafficRoutingConfig | undefined {
  if (!isRecord(v)) {
    problems.push({ field, reason: `must be an object {type, timeBasedCanary?, timeBasedLinear?}, got ${kindOf(v)}${RULE}` });
    return undefined;
  }
  rejectUnknownKeys(v, ["type", "timeBasedCanary", "timeBasedLinear"], field, problems);
  const type = v.type;
  if (type === undefined || type === null) {
    problems.push({ field: `${field}.type`, reason: `is required: one of ${TYPES.join(", ")}${RULE}` });
    return undefined;
  }
  if (typeof type !== "string" || !TYPES.includes(type as TrafficRoutingType)) {
    const hint = typeof type === "string" ? didYouMean(closestNames(type, TYPES)) : "";
    problems.push({ field: `${field}.type`, reason: `unknown type ${show(type)}; must be one of ${TYPES.join(", ")}${RULE}${hint}` });
    return undefined;
  }
  const before = problems.length;
  // Exactly the sub-object the type names; the other one (or any, for AllAtOnce) is a mismatch.
  for (const [t, key] of Object.entries(SUB_OBJECT)) {
    const present = v[key] !== undefined && v[key] !== null;
    if (t === type && !present) problems.push({ field: `${field}.${key}`, reason: `is required when type is ${type}${RULE}` });
    if (t !== type && present) problems.push({ field: `${field}.${key}`, reason: `must not be set when type is ${type}${RULE}` });
  }
  if (type === "AllAtOnce") return problems.length === before ? { type } : undefined;
  if (type === "TimeBasedCanary") {
    if (v.timeBasedCanary === undefined || v.timeBasedCanary === null) return undefined;
    const timeBasedCanary = parseCanary(v.timeBasedCanary, `${field}.timeBasedCanary`, problems);
    return timeBasedCanary && problems.length === before ? { type, timeBasedCanary } : undefined;
  }
  if (v.timeBasedLinear === undefined || v.timeBasedLinear === null) return undefined;
  const timeBasedLinear = parseLinear(v.timeBasedLinear, `${field}.timeBasedLinear`, problems);
  return timeBasedLinear && problems.length === before ? { type: "TimeBasedLinear", timeBasedLinear } : undefined;
}
