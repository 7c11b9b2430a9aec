import { ValidationErrors } from "../errors.js";
import { ReleaseErrorNames } from "./errors.js";
import { type ReleaseSource, type ReleaseTarget, targetsOf } from "./source-config.js";

/**
 * Who a release may touch, decided before anything in the account changes:
 * - the function and alias the appspec names must be one the release source owns (its
 *   `functions`, or an ECR source's `function`), compared exactly: Lambda names are case-sensitive;
 * - never one of stepdeploy's own functions (the stack's names start with `<service>-`; the IAM
 *   roles carry an explicit Deny on the same names);
 * - hooks must match the stack's hookFunctionPattern, be in this account and region, and be neither
 *   the target function nor one of stepdeploy's own.
 */
export interface TargetPolicy {
  /** The stack's hookFunctionPattern: the function-name part of an IAM resource ARN (`*` and `?` wildcards). */
  hookFunctionPattern: string;
  /** Names of stepdeploy's own functions start with this (`stepdeploy-`): never a target, never a hook. */
  ownFunctionPrefix: string;
  /** Where the release runs; a hook given as an ARN must be here. Empty: not known, not checked. */
  region: string;
  accountId: string;
}

/** The stack settings a pattern may use: the characters of a Lambda function name plus IAM's `*` and `?`. */
export const FUNCTION_PATTERN = /^[A-Za-z0-9_*?-]{1,140}$/;

/**
 * IAM's wildcard matching of one ARN segment: `*` any run of characters (also none), `?` exactly one,
 * everything else literally and case-sensitively (IAM User Guide, "IAM JSON policy elements: Resource",
 * wildcards in resource ARNs). Iterative, linear in practice and never exponential.
 */
export function matchesFunctionPattern(name: string, pattern: string): boolean {
  let n = 0;
  let p = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    if (p < pattern.length && (pattern[p] === "?" || pattern[p] === name[n])) {
      n++;
      p++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      resume = n;
    } else if (star >= 0) {
      p = star + 1;
      n = ++resume;
    } else return false;
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}

/** A Lambda function given by name, partial ARN or ARN (with an optional qualifier), split into its parts. */
export interface FunctionRef {
  name: string;
  qualifier?: string;
  region?: string;
  accountId?: string;
}

const FUNCTION_REF = /^(?:arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:|(\d{12}):function:)?([a-zA-Z0-9_-]{1,64})(?::([a-zA-Z0-9_$-]{1,128}))?$/;

export function parseFunctionRef(text: string): FunctionRef | undefined {
  const m = FUNCTION_REF.exec(text);
  if (!m) return undefined;
  return { name: m[4] as string, qualifier: m[5], region: m[1], accountId: m[2] ?? m[3] };
}

const isOwn = (name: string, policy: TargetPolicy) => policy.ownFunctionPrefix !== "" && name.startsWith(policy.ownFunctionPrefix);

/** Throws `Release.TargetNotAllowed` unless `named` is one of the source's targets and not stepdeploy's own. */
export function checkTargetAllowed(source: ReleaseSource, named: ReleaseTarget, policy: TargetPolicy, field: string): void {
  const allowed = targetsOf(source);
  const refuse = (reason: string) => new ValidationErrors([{ field, reason }], ReleaseErrorNames.TargetNotAllowed);
  if (isOwn(named.name, policy)) throw refuse(`names ${named.name}, one of stepdeploy's own functions (${policy.ownFunctionPrefix}*); stepdeploy never deploys itself`);
  if (!allowed.some((t) => t.name === named.name && t.alias === named.alias)) {
    const list = allowed.map((t) => `${t.name}:${t.alias}`).join(", ");
    throw refuse(`names ${named.name}:${named.alias}, which release source '${source.name}' may not deploy (it may deploy ${list}; names are exact and case-sensitive)`);
  }
}

export type HookEvent = "beforeAllowTraffic" | "afterAllowTraffic";

/** Throws `Release.HookNotAllowed` naming every hook that breaks a rule. */
export function checkHooksAllowed(hooks: Record<HookEvent, string | null>, target: string, policy: TargetPolicy, fieldOf: (event: HookEvent) => string): void {
  const problems: { field: string; reason: string }[] = [];
  for (const event of ["beforeAllowTraffic", "afterAllowTraffic"] as const) {
    const hook = hooks[event];
    if (hook === null) continue;
    const reason = hookProblem(hook, target, policy);
    if (reason) problems.push({ field: fieldOf(event), reason });
  }
  if (problems.length) throw new ValidationErrors(problems, ReleaseErrorNames.HookNotAllowed);
}

function hookProblem(hook: string, target: string, policy: TargetPolicy): string | undefined {
  const ref = parseFunctionRef(hook);
  if (!ref) return `'${hook}' is not a Lambda function name or ARN`;
  if (ref.name === target) return `is the target function ${target} itself; a hook tests the new version, it cannot be the version under test`;
  if (isOwn(ref.name, policy)) return `${ref.name} is one of stepdeploy's own functions (${policy.ownFunctionPrefix}*)`;
  if (!matchesFunctionPattern(ref.name, policy.hookFunctionPattern)) {
    return `${ref.name} does not match hookFunctionPattern '${policy.hookFunctionPattern}' (the stack may invoke only those hooks; deploy with --param="hookFunctionPattern=..." to change it)`;
  }
  if (ref.region && policy.region && ref.region !== policy.region) return `is in region ${ref.region}; stepdeploy invokes hooks in its own region ${policy.region}`;
  if (ref.accountId && policy.accountId && ref.accountId !== policy.accountId) return `is in account ${ref.accountId}; stepdeploy invokes hooks in its own account`;
  return undefined;
}
