import { ValidationErrors } from "../errors.js";
import { type At, Checker } from "./check.js";
import { detectPlatform } from "./detect.js";
import { type DocNode, describeKind, looksLikeJson, type MapNode, parseText } from "./document.js";
import { checkEcs } from "./ecs.js";
import { checkLambda } from "./lambda.js";
import { formatPath, type PathSegment, ROOT_PATH } from "./path.js";
import { placeholdersIn, quoteBarePlaceholders } from "./placeholders.js";
import { checkServer } from "./server.js";
import { type AppSpecIssue, type AppSpecResult, PLATFORM_LABELS, type ParseAppSpecOptions, type Placeholder } from "./types.js";

/** `error.name` of a rejected AppSpec; Step Functions Catch/Retry match on it. */
export const INVALID_APPSPEC = "Deploy.InvalidAppSpec";

/**
 * Parses and validates an AppSpec (YAML or JSON) for Server, Lambda or ECS. Never throws: problems are in
 * `errors` (with paths and lines), and as much of the model as could be read is returned alongside.
 */
export function parseAppSpec(text: string, options: ParseAppSpecOptions = {}): AppSpecResult {
  const parsed = parseText(quoteBarePlaceholders(text, looksLikeJson(text.replace(/^\uFEFF/, "")) ? "json" : "yaml"));
  const c = new Checker();
  c.errors.push(...parsed.errors);
  c.warnings.push(...parsed.warnings);
  const detected = options.platform ? undefined : detectPlatform(parsed.root);
  const platform = options.platform ?? detected;
  const result: AppSpecResult = {
    valid: false,
    platform,
    platformSource: options.platform ? "given" : detected ? "detected" : "unknown",
    format: parsed.format,
    resources: [],
    hooks: [],
    placeholders: [],
    errors: c.errors,
    warnings: c.warnings,
  };
  if (!parsed.root) return finish(result);
  if (parsed.root.kind !== "map") {
    c.error({ path: [], line: parsed.root.line }, `an AppSpec must be a map of sections (version, ...), got ${describeKind(parsed.root)}`);
    return finish(result);
  }
  const root: At<MapNode> = { node: parsed.root, path: [] };
  if (!platform) {
    c.error({ path: [], line: 1 }, "cannot tell the compute platform from the content (no os/files, no Resources of a known Type, no telling hooks); pass --platform server|lambda|ecs");
    return finish(result);
  }
  const looksLike = options.platform ? detectPlatform(parsed.root) : undefined;
  if (looksLike && looksLike !== platform) {
    c.warn({ path: [], line: 1 }, `the content looks like a ${PLATFORM_LABELS[looksLike]} AppSpec, but it is being validated as ${PLATFORM_LABELS[platform]}`);
  }
  if (platform === "server") Object.assign(result, checkServer(root, c));
  else Object.assign(result, platform === "lambda" ? checkLambda(root, c, options.versionsOptional) : checkEcs(root, c));
  result.placeholders = findPlaceholders(parsed.root);
  const allowed = options.allowPlaceholders ?? false;
  for (const p of result.placeholders) {
    const at = p.line === undefined ? { path: p.path } : { path: p.path, line: p.line };
    if (typeof allowed === "function" ? allowed(p.path) : allowed) c.warnings.push({ ...at, message: `placeholder ${p.token}: a template value, to be rendered before deploying (validate --strict, and every deployment, refuse it)` });
    else c.errors.push({ ...at, message: `placeholder ${p.token} has not been replaced: render the template before deploying` });
  }
  return finish(result);
}

function finish(result: AppSpecResult): AppSpecResult {
  result.errors.sort(byLine);
  result.warnings.sort(byLine);
  result.valid = result.errors.length === 0;
  return result;
}

function byLine(a: AppSpecIssue, b: AppSpecIssue): number {
  return (a.line ?? 0) - (b.line ?? 0);
}

function findPlaceholders(root: DocNode): Placeholder[] {
  const out: Placeholder[] = [];
  const walk = (n: DocNode, path: PathSegment[]) => {
    if (n.kind === "map") for (const e of n.entries) walk(e.value, [...path, e.key]);
    else if (n.kind === "seq") {
      for (const [k, i] of n.items.entries()) walk(i, [...path, k]);
    }
    else for (const token of placeholdersIn(n.value)) out.push({ path: formatPath(path), line: n.line, token });
  };
  walk(root, []);
  return out;
}

/** A rejected AppSpec: a ValidationErrors named `Deploy.InvalidAppSpec`, carrying the located issues. */
export class InvalidAppSpecError extends ValidationErrors {
  readonly issues: AppSpecIssue[];
  constructor(issues: AppSpecIssue[]) {
    super(
      issues.map((i) => ({ field: i.path === ROOT_PATH ? "appspec" : i.path, reason: i.line === undefined ? i.message : `${i.message} (line ${i.line})` })),
      INVALID_APPSPEC,
    );
    this.issues = issues;
  }
}

/** The throwing variant: returns the model of a valid AppSpec, or throws InvalidAppSpecError. */
export function loadAppSpec(text: string, options: ParseAppSpecOptions = {}): AppSpecResult & { platform: NonNullable<AppSpecResult["platform"]> } {
  const result = parseAppSpec(text, options);
  if (!result.valid || !result.platform) throw new InvalidAppSpecError(result.errors);
  return result as AppSpecResult & { platform: NonNullable<AppSpecResult["platform"]> };
}
