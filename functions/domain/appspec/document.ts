import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node as YamlNode, parseAllDocuments, parseDocument } from "yaml";
import { ROOT_PATH } from "./path.js";
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

/** Stops alias bombs ("billion laughs") while expanding anchors into the tree. */
const MAX_NODES = 100_000;

class TooManyNodes extends Error {}

const FRIENDLY: Record<string, string> = {
  TAB_AS_INDENT: "tabs are not allowed for indentation in YAML (CodeDeploy's parser rejects them too); indent with spaces",
  BAD_INDENT: "bad indentation",
};

export function looksLikeJson(text: string): boolean {
  return /^\s*[{[]/.test(text);
}

export function parseText(input: string): ParsedText {
  const text = input.replace(/^\uFEFF/, "");
  const format = looksLikeJson(text) ? "json" : "yaml";
  const errors: AppSpecIssue[] = [];
  const warnings: AppSpecIssue[] = [];
  const lc = new LineCounter();
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lc.linePos(offset).line);

  let doc: Document.Parsed | undefined;
  if (format === "json") {
    try {
      JSON.parse(text);
    } catch (e) {
      const message = ((e as Error).message.split("\n")[0] ?? "").replace(/, (\.\.\.)?".*$/, "");
      const pos = /position (\d+)/.exec((e as Error).message);
      let line = pos ? lineFromOffset(text, Number(pos[1])) : undefined;
      if (line === undefined) {
        // Node 20 does not always say where; the YAML reader (JSON is YAML 1.2 flow) usually can.
        const fallback = parseDocument(text, { lineCounter: lc, prettyErrors: false, version: "1.2" });
        const at = fallback.errors[0]?.pos[0];
        if (at !== undefined) line = lc.linePos(at).line;
      }
      errors.push(line === undefined ? { path: ROOT_PATH, message: `not valid JSON: ${message}` } : { path: ROOT_PATH, line, message: `not valid JSON: ${message}` });
      return { format, errors, warnings };
    }
    doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, version: "1.2" });
  } else {
    const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, version: "1.1" });
    const list = Array.isArray(docs) ? docs : [];
    doc = list[0];
    for (const extra of list.slice(1)) {
      if (extra.contents === null) continue;
      warnings.push({
        path: ROOT_PATH,
        line: lineOf(extra.range[0]),
        message: "a second YAML document ('---') follows; CodeDeploy reads only the first and ignores the rest",
      });
      break;
    }
  }
  if (!doc || doc.contents === null) {
    if (errors.length === 0) errors.push({ path: ROOT_PATH, line: doc ? 1 : undefined, message: "the file is empty: an AppSpec needs at least 'version'" });
    return { format, errors, warnings };
  }
  for (const e of doc.errors) {
    let message = FRIENDLY[e.code] ?? `YAML syntax error: ${e.message.split("\n")[0]}`;
    if (e.code === "DUPLICATE_KEY") message = `duplicate key '${/^[^:\n]*/.exec(text.slice(e.pos[0]))?.[0]?.trim() ?? ""}': the same key appears twice in one map (YAML parsers disagree on which one wins)`;
    errors.push({ path: ROOT_PATH, line: lineOf(e.pos[0]), message });
  }
  for (const w of doc.warnings) warnings.push({ path: ROOT_PATH, line: lineOf(w.pos[0]), message: w.message.split("\n")[0] ?? w.message });
  if (errors.length > 0) return { format, errors, warnings };

  let budget = MAX_NODES;
  const convert = (node: unknown, fallbackLine: number | undefined, depth: number): DocNode => {
    if (--budget < 0 || depth > 200) throw new TooManyNodes();
    let n = node as YamlNode | null | undefined;
    if (n && isAlias(n)) n = n.resolve(doc as Document) as YamlNode | undefined;
    if (!n) return { kind: "scalar", value: null, quoted: false, line: fallbackLine };
    const line = n.range ? lineOf(n.range[0]) : fallbackLine;
    if (isMap(n)) {
      const entries: MapEntry[] = [];
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YamlNode | null;
        const keyLine = keyNode?.range ? lineOf(keyNode.range[0]) : line;
        const key = keyNode && isScalar(keyNode) ? String(keyNode.value) : keyNode ? "(complex key)" : "";
        entries.push({ key, line: keyLine, value: convert(pair.value, keyLine, depth + 1) });
      }
      return { kind: "map", line, entries };
    }
    if (isSeq(n)) return { kind: "seq", line, items: n.items.map((i) => convert(i, line, depth + 1)) };
    if (isScalar(n)) {
      const v = n.value;
      const value = v === null || v === undefined ? null : typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : (n.source ?? String(v));
      const quoted = n.type !== undefined && n.type !== "PLAIN";
      return { kind: "scalar", line, value, source: typeof n.source === "string" ? n.source : undefined, quoted };
    }
    return { kind: "scalar", value: null, quoted: false, line };
  };
  try {
    return { format, root: convert(doc.contents, 1, 0), errors, warnings };
  } catch (e) {
    if (!(e instanceof TooManyNodes)) throw e;
    errors.push({ path: ROOT_PATH, message: `the document expands to more than ${MAX_NODES} nodes (anchors/aliases); refusing to read it` });
    return { format, errors, warnings };
  }
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
