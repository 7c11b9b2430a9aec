import { type Document, LineCounter } from "yaml";
import { APPSPEC_LIMITS, describeBytes } from "./limits.js";
import { ROOT_PATH } from "./path.js";
import { AppSpecLimitError, readYamlDocuments } from "./read-yaml.js";
import { toTree } from "./to-tree.js";
import type { AppSpecIssue } from "./types.js";

/**
 * The parsed file as a small tree that keeps 1-based line numbers, so validators never touch the yaml
 * library's node types. YAML is read as YAML 1.1, the dialect of the CodeDeploy agent's Ruby parser (Psych):
 * `0644` is octal, `yes`/`on` are booleans. JSON files are checked with JSON.parse first (JSON rules, JSON
 * error positions), then read through the same tree so paths and lines work the same way.
 */
export type DocNode = MapNode | SeqNode | ScalarNode;
export interface MapEntry {
  key: string;
  line?: number;
  value: DocNode;
}
export interface MapNode {
  kind: "map";
  line?: number;
  entries: MapEntry[];
}
export interface SeqNode {
  kind: "seq";
  line?: number;
  items: DocNode[];
}
export interface ScalarNode {
  kind: "scalar";
  line?: number;
  value: string | number | boolean | null;
  /** The text as written (plain scalars), used to tell `0.0` from `0` and to spot octal modes. */
  source?: string;
  quoted: boolean;
}

export interface ParsedText {
  format: "yaml" | "json";
  root?: DocNode;
  errors: AppSpecIssue[];
  warnings: AppSpecIssue[];
}

const FRIENDLY: Record<string, string> = {
  TAB_AS_INDENT: "tabs are not allowed for indentation in YAML (CodeDeploy's parser rejects them too); indent with spaces",
  BAD_INDENT: "bad indentation",
};

export function looksLikeJson(text: string): boolean {
  return /^\s*[{[]/.test(text);
}

/**
 * Reads the text into a tree, within APPSPEC_LIMITS (docs/appspec.md "Reading the file"): a text above maxBytes
 * is refused before any parsing, and every other limit stops the parser itself; the error names the limit hit.
 */
export function parseText(input: string): ParsedText {
  const text = input.replace(/^\uFEFF/, "");
  const format = looksLikeJson(text) ? "json" : "yaml";
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > APPSPEC_LIMITS.maxBytes) {
    return { format, errors: [{ path: ROOT_PATH, message: `the file is ${bytes} bytes, above the ${describeBytes(APPSPEC_LIMITS.maxBytes)} limit for an AppSpec` }], warnings: [] };
  }
  try {
    return format === "json" ? parseJson(text) : parseYaml(text);
  } catch (e) {
    if (!(e instanceof AppSpecLimitError)) throw e;
    return { format, errors: [{ path: ROOT_PATH, message: e.message }], warnings: [] };
  }
}

function parseJson(text: string): ParsedText {
  const lc = new LineCounter();
  const lineOf = lineCounting(lc);
  try {
    JSON.parse(text);
  } catch (e) {
    const message = ((e as Error).message.split("\n")[0] ?? "").replace(/, (\.\.\.)?".*$/, "");
    const pos = /position (\d+)/.exec((e as Error).message);
    let line = pos ? lineFromOffset(text, Number(pos[1])) : undefined;
    // Node 20 does not always say where; the YAML reader (JSON is YAML 1.2 flow) usually can.
    if (line === undefined) line = lineOf(readYamlDocuments(text, "1.2", lc)[0]?.errors[0]?.pos[0]);
    return { format: "json", errors: [line === undefined ? { path: ROOT_PATH, message: `not valid JSON: ${message}` } : { path: ROOT_PATH, line, message: `not valid JSON: ${message}` }], warnings: [] };
  }
  return fromDocuments("json", readYamlDocuments(text, "1.2", lc), lineOf);
}

function parseYaml(text: string): ParsedText {
  const lc = new LineCounter();
  const lineOf = lineCounting(lc);
  const docs = readYamlDocuments(text, "1.1", lc);
  const parsed = fromDocuments("yaml", docs, lineOf);
  const extra = docs.slice(1).find((d) => d.contents !== null);
  if (extra) {
    parsed.warnings.unshift({
      path: ROOT_PATH,
      line: lineOf(extra.range[0]),
      message: "a second YAML document ('---') follows; CodeDeploy reads only the first and ignores the rest",
    });
  }
  return parsed;
}

function lineCounting(lc: LineCounter): (offset: number | undefined) => number | undefined {
  return (offset) => (offset === undefined ? undefined : lc.linePos(offset).line);
}

/** The first document as a tree, or the reasons it cannot be read. */
function fromDocuments(format: "yaml" | "json", docs: Document.Parsed[], lineOf: (offset: number | undefined) => number | undefined): ParsedText {
  const doc = docs[0];
  const errors: AppSpecIssue[] = [];
  const warnings: AppSpecIssue[] = [];
  if (!doc || doc.contents === null) {
    errors.push({ path: ROOT_PATH, line: doc ? 1 : undefined, message: "the file is empty: an AppSpec needs at least 'version'" });
    return { format, errors, warnings };
  }
  for (const e of doc.errors) errors.push({ path: ROOT_PATH, line: lineOf(e.pos[0]), message: FRIENDLY[e.code] ?? `YAML syntax error: ${e.message.split("\n")[0]}` });
  for (const w of doc.warnings) warnings.push({ path: ROOT_PATH, line: lineOf(w.pos[0]), message: w.message.split("\n")[0] ?? w.message });
  if (errors.length > 0) return { format, errors, warnings };
  const tree = toTree(doc, lineOf);
  if (tree.errors.length > 0) return { format, errors: tree.errors, warnings };
  return { format, root: tree.root, errors, warnings };
}

function lineFromOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Plain JS value of a node (for messages and loose checks). */
export function toPlain(node: DocNode): unknown {
  if (node.kind === "scalar") return node.value;
  if (node.kind === "seq") return node.items.map(toPlain);
  return Object.fromEntries(node.entries.map((e) => [e.key, toPlain(e.value)]));
}

export function describeKind(node: DocNode): string {
  if (node.kind === "map") return "a map";
  if (node.kind === "seq") return "a list";
  if (node.value === null) return "empty";
  return typeof node.value === "string" ? `the string ${JSON.stringify(node.value)}` : `${typeof node.value} ${String(node.value)}`;
}
