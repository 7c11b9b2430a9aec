import { type Alias, type Document, isAlias, isMap, isPair, isScalar, isSeq, visit, type Node as YamlNode } from "yaml";
import type { DocNode, MapEntry } from "./document.js";
import { APPSPEC_LIMITS } from "./limits.js";
import { formatPath, type PathSegment } from "./path.js";
import type { AppSpecIssue } from "./types.js";
import { AppSpecLimitError } from "./read-yaml.js";

/**
 * Tags a value may carry: YAML's own scalar and collection types. Anything else (`!ruby/object:…`,
 * `!!python/object/apply:…`, `!!binary`, `!custom`) is refused: an AppSpec holds strings, numbers, booleans,
 * lists and maps, and language tags make some loaders build objects or run code.
 */
const ALLOWED_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`));

/**
 * Keys no AppSpec section has and that JavaScript treats specially: a tool that copies this file into an object
 * with `obj[key] = value` would set its prototype (`__proto__`) or reach `constructor.prototype`.
 */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor"]);

/** Where a node is, as a linked list from the node up to the root (built per node in O(1), formatted only on error). */
interface Trail {
  up?: Trail;
  segment: PathSegment;
}

function pathOf(trail: Trail | undefined): string {
  const segments: PathSegment[] = [];
  for (let t = trail; t; t = t.up) segments.push(t.segment);
  return formatPath(segments.reverse());
}

/**
 * Converts a parsed YAML document into our DocNode tree, in time and space bounded by APPSPEC_LIMITS whatever the
 * input: aliases are resolved through a map built in one pass over the document (the yaml library's own
 * `Alias.resolve` walks the whole document per alias, which made 20,000 aliases cost a minute), every node
 * produced counts against maxNodes (so expanding aliases cannot multiply the work), and nesting is bounded by
 * maxDepth. Duplicate keys, explicit tags other than YAML's own types, and prototype keys are reported as errors.
 */
export function toTree(doc: Document.Parsed, lineOf: (offset: number | undefined) => number | undefined): { root: DocNode; errors: AppSpecIssue[] } {
  const targets = aliasTargets(doc);
  const errors: AppSpecIssue[] = [];
  const reported = new WeakSet<object>();
  const expanding = new Set<YamlNode>();
  let budget = APPSPEC_LIMITS.maxNodes;

  const convert = (node: unknown, fallbackLine: number | undefined, trail: Trail | undefined, depth: number): DocNode => {
    if (--budget < 0) {
      throw new AppSpecLimitError(`the document expands to more than ${APPSPEC_LIMITS.maxNodes} nodes once anchors and aliases are expanded (the limit for an AppSpec)`);
    }
    if (depth > APPSPEC_LIMITS.maxDepth) throw new AppSpecLimitError(`the document nests collections deeper than ${APPSPEC_LIMITS.maxDepth} levels once aliases are expanded (the limit for an AppSpec)`);
    let n = node as YamlNode | null | undefined;
    if (n && isAlias(n)) {
      const target = targets.get(n);
      if (target && expanding.has(target)) throw new AppSpecLimitError(`alias *${n.source} refers to a node that contains it (a recursive document)`);
      n = target;
    }
    if (!n) return { kind: "scalar", value: null, quoted: false, line: fallbackLine };
    const line = n.range ? lineOf(n.range[0]) : fallbackLine;
    const tag = (n as { tag?: string }).tag;
    if (tag !== undefined && tag !== "!" && !ALLOWED_TAGS.has(tag) && !reported.has(n)) {
      reported.add(n);
      errors.push({ path: pathOf(trail), line, message: `YAML tag ${tag.replace(/^tag:yaml\.org,2002:/, "!!")} is refused: an AppSpec holds strings, numbers, booleans, lists and maps only` });
    }
    if (isMap(n)) {
      expanding.add(n);
      const entries: MapEntry[] = [];
      const keys = new Set<string>();
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YamlNode | null;
        const keyLine = keyNode?.range ? lineOf(keyNode.range[0]) : line;
        const key = keyNode && isScalar(keyNode) ? String(keyNode.value) : keyNode ? "(complex key)" : "";
        const at: Trail = { up: trail, segment: key };
        if (!reported.has(pair)) {
          if (keys.has(key)) {
            reported.add(pair);
            errors.push({ path: pathOf(at), line: keyLine, message: `duplicate key '${key}': the same key appears twice in one map (YAML parsers disagree on which one wins)` });
          } else if (FORBIDDEN_KEYS.has(key)) {
            reported.add(pair);
            errors.push({ path: pathOf(at), line: keyLine, message: `the key '${key}' is refused: no AppSpec section has it, and it is a prototype-pollution vector for any tool that copies this file into an object` });
          }
        }
        keys.add(key);
        entries.push({ key, line: keyLine, value: convert(pair.value, keyLine, at, depth + 1) });
      }
      expanding.delete(n);
      return { kind: "map", line, entries };
    }
    if (isSeq(n)) {
      expanding.add(n);
      const items = n.items.map((item, i) => convert(item, line, { up: trail, segment: i }, depth + 1));
      expanding.delete(n);
      return { kind: "seq", line, items };
    }
    if (isScalar(n)) {
      const v = n.value;
      const value = v === null || v === undefined ? null : typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : (n.source ?? String(v));
      const quoted = n.type !== undefined && n.type !== "PLAIN";
      return { kind: "scalar", line, value, source: typeof n.source === "string" ? n.source : undefined, quoted };
    }
    return { kind: "scalar", value: null, quoted: false, line };
  };
  return { root: convert(doc.contents, 1, undefined, 0), errors };
}

/**
 * Each alias's node: the last node with that anchor before the alias in document order, as YAML specifies and
 * as the yaml library resolves it, found in one walk instead of one walk per alias.
 */
function aliasTargets(doc: Document.Parsed): Map<Alias, YamlNode> {
  const anchors = new Map<string, YamlNode>();
  const targets = new Map<Alias, YamlNode>();
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (target) targets.set(node, target);
      } else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  return targets;
}
