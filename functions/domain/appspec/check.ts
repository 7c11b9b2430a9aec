import { type DocNode, describeKind, type MapEntry, type MapNode, type ScalarNode, type SeqNode } from "./document.js";
import { formatPath, type PathSegment } from "./path.js";
import { isPlaceholder } from "./placeholders.js";
import type { AppSpecIssue } from "./types.js";

export { isPlaceholder };

/** A node and where it sits: the unit every validator works on. */
export interface At<N extends DocNode = DocNode> {
  node: N;
  path: PathSegment[];
  /** Line of the key that introduced this node (for "required" errors on children). */
  keyLine?: number;
}

/**
 * Collects errors and warnings; every validator writes here and never throws.
 * A value that holds a placeholder is a template's: what it will be is not known until it is rendered, so an
 * error about that value itself (its format, its range, its enumeration) is not raised; errors about the
 * structure around it (keys, nesting, kinds of containers) still are. parse.ts reports the placeholders
 * themselves (warnings for a template, errors when placeholders are refused).
 */
export class Checker {
  readonly errors: AppSpecIssue[] = [];
  readonly warnings: AppSpecIssue[] = [];

  error(at: Pick<At, "path" | "node" | "keyLine"> | { path: PathSegment[]; line?: number }, message: string): void {
    const node = "node" in at ? at.node : undefined;
    if (node?.kind === "scalar" && isPlaceholder(node.value)) return;
    this.errors.push(issue(at, message));
  }

  warn(at: Pick<At, "path" | "node" | "keyLine"> | { path: PathSegment[]; line?: number }, message: string): void {
    this.warnings.push(issue(at, message));
  }
}

function issue(at: { path: PathSegment[]; node?: DocNode; keyLine?: number; line?: number }, message: string): AppSpecIssue {
  const line = "line" in at && at.line !== undefined ? at.line : (at.node?.line ?? at.keyLine);
  return line === undefined ? { path: formatPath(at.path), message } : { path: formatPath(at.path), line, message };
}

export function asMap(at: At, c: Checker, what: string): At<MapNode> | undefined {
  if (at.node.kind === "map") return at as At<MapNode>;
  c.error(at, `${what} must be a map, got ${describeKind(at.node)}`);
  return undefined;
}

export function asSeq(at: At, c: Checker, what: string): At<SeqNode> | undefined {
  if (at.node.kind === "seq") return at as At<SeqNode>;
  c.error(at, `${what} must be a list, got ${describeKind(at.node)}`);
  return undefined;
}

export function isNull(node: DocNode): boolean {
  return node.kind === "scalar" && node.value === null;
}

export function items(at: At<SeqNode>): At[] {
  return at.node.items.map((node, i) => ({ node, path: [...at.path, i], keyLine: node.line ?? at.node.line }));
}

export function entries(at: At<MapNode>): (At & { key: string })[] {
  return at.node.entries.map((e) => ({ node: e.value, path: [...at.path, e.key], keyLine: e.line, key: e.key }));
}

/**
 * The entry for `name`. `caseInsensitive` matches `Resources`/`resources` (both spellings are in the AWS
 * docs for Lambda/ECS); two spellings of the same key in one map are an error.
 */
export function child(at: At<MapNode>, name: string, c: Checker, caseInsensitive = false): At | undefined {
  const matches = at.node.entries.filter((e) => (caseInsensitive ? e.key.toLowerCase() === name.toLowerCase() : e.key === name));
  if (matches.length === 0) return undefined;
  if (matches.length > 1) {
    c.error({ path: [...at.path, matches[1]!.key], line: matches[1]!.line }, `'${name}' is given twice (as ${matches.map((m) => `'${m.key}'`).join(" and ")})`);
  }
  const e = matches[0] as MapEntry;
  return { node: e.value, path: [...at.path, e.key], keyLine: e.line };
}

export function required(at: At<MapNode>, name: string, c: Checker, caseInsensitive = false, hint = ""): At | undefined {
  const found = child(at, name, c, caseInsensitive);
  if (found && !isNull(found.node)) return found;
  if (found) c.error(found, `${name} is empty${hint ? `; ${hint}` : ""}`);
  else c.error({ path: [...at.path, name], line: at.keyLine ?? at.node.line }, `${name} is required${hint ? `; ${hint}` : ""}`);
  return undefined;
}

/** A string field. Numbers are accepted and turned into their text (YAML reads `Alias: 2024` as a number). */
export function str(at: At | undefined, c: Checker, what: string, opts: { allowEmpty?: boolean } = {}): string | undefined {
  if (!at) return undefined;
  const n = at.node;
  if (n.kind !== "scalar" || n.value === null || typeof n.value === "boolean") {
    const hint = typeof (n as ScalarNode).value === "boolean" ? ` (YAML 1.1 reads an unquoted ${(n as ScalarNode).source ?? String((n as ScalarNode).value)} as a boolean; quote it)` : "";
    c.error(at, `${what} must be a string, got ${describeKind(n)}${hint}`);
    return undefined;
  }
  const s = typeof n.value === "number" ? ((n as ScalarNode).source ?? String(n.value)) : n.value;
  if (!opts.allowEmpty && s.trim() === "") {
    c.error(at, `${what} must not be empty`);
    return undefined;
  }
  return s;
}

export function stringList(at: At, c: Checker, what: string): string[] | undefined {
  const seq = asSeq(at, c, what);
  if (!seq) return undefined;
  const out: string[] = [];
  for (const item of items(seq)) {
    const s = str(item, c, `each entry of ${what}`);
    if (s !== undefined) out.push(s);
  }
  return out;
}

/** Keys the platform does not read. `known` are canonical spellings. */
export function unknownKeys(at: At<MapNode>, known: readonly string[], c: Checker, caseInsensitive: boolean, consequence: string): void {
  for (const e of at.node.entries) {
    const hit = known.find((k) => (caseInsensitive ? k.toLowerCase() === e.key.toLowerCase() : k === e.key));
    if (hit) continue;
    const near = known.find((k) => k.toLowerCase() === e.key.toLowerCase());
    const hint = near ? `; keys are case-sensitive here: did you mean '${near}'?` : `; known keys: ${known.join(", ")}`;
    c.warn({ path: [...at.path, e.key], line: e.line }, `unknown key '${e.key}' ${consequence}${hint}`);
  }
}
