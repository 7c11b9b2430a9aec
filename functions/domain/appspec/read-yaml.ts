import { Composer, type Document, Lexer, type LineCounter, Parser } from "yaml";
import { APPSPEC_LIMITS } from "./limits.js";

/** The text is beyond one of APPSPEC_LIMITS; the message names the limit. */
export class AppSpecLimitError extends Error {}

const COLLECTIONS = new Set(["block-map", "block-seq", "flow-collection"]);

/**
 * Parses YAML (or JSON, as YAML 1.2) into documents, as the yaml library's parseAllDocuments does, but driving its
 * lexer and parser token by token so that the work stops at APPSPEC_LIMITS.maxTokens tokens or maxDepth nested
 * collections: whatever the input, parsing costs at most that many tokens and never recurses deeper.
 * Duplicate keys are not checked here (the library's check is quadratic in a map's size); the tree does it.
 */
export function readYamlDocuments(text: string, version: "1.1" | "1.2", lineCounter: LineCounter): Document.Parsed[] {
  const composer = new Composer({ version, uniqueKeys: false, prettyErrors: false });
  return Array.from(composer.compose(tokens(text, lineCounter)));
}

function* tokens(text: string, lineCounter: LineCounter) {
  refuseLongerThan(text, APPSPEC_LIMITS.maxLines);
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0);
  let count = 0;
  let aliases = 0;
  for (const lexeme of new Lexer().lex(text)) {
    if (++count > APPSPEC_LIMITS.maxTokens) {
      throw new AppSpecLimitError(`the file has more than ${APPSPEC_LIMITS.maxTokens} YAML tokens (the limit for an AppSpec); refusing to read further`);
    }
    if (lexeme.startsWith("*") && ++aliases > APPSPEC_LIMITS.maxAliases) {
      throw new AppSpecLimitError(`the file has more than ${APPSPEC_LIMITS.maxAliases} alias references (*name) (the limit for an AppSpec)`);
    }
    yield* parser.next(lexeme);
    if (parser.stack.length > APPSPEC_LIMITS.maxDepth && nesting(parser) > APPSPEC_LIMITS.maxDepth) {
      throw new AppSpecLimitError(`the document nests collections deeper than ${APPSPEC_LIMITS.maxDepth} levels (the limit for an AppSpec)`);
    }
  }
  yield* parser.end();
}

function refuseLongerThan(text: string, maxLines: number): void {
  let lines = 1;
  for (let at = text.indexOf("\n"); at >= 0 && at < text.length - 1; at = text.indexOf("\n", at + 1)) {
    if (++lines > maxLines) throw new AppSpecLimitError(`the file has more than ${maxLines} lines (the limit for an AppSpec)`);
  }
}

function nesting(parser: Parser): number {
  let n = 0;
  for (const token of parser.stack) if (COLLECTIONS.has(token.type)) n++;
  return n;
}
