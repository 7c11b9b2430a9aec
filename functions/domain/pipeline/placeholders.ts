import { joinPath } from "./checker.js";
import { isIntrinsic } from "./intrinsics.js";
import type { PipelineIssue } from "./types.js";

/**
 * Placeholders people keep in committed definitions, rendered by a script before create-pipeline:
 * mustache `{{NAME}}`, Windows/batch-style `%NAME%`, and the four asterisks get-pipeline prints for
 * secret configuration values such as an OAuth token (reference-pipeline-structure: "masked by four
 * asterisks"). They are warnings: the file is a valid template, and running it unrendered would fail
 * or use the literal text.
 */
const PATTERNS: { re: RegExp; message: (token: string) => string }[] = [
  { re: /\{\{\s*[^{}]+?\s*\}\}/, message: (t) => `placeholder ${t} has not been replaced (render the template before deploying)` },
  { re: /%[A-Za-z_][A-Za-z0-9_]*%/, message: (t) => `placeholder ${t} has not been replaced (render the template before deploying)` },
  { re: /^\*{3,}$/, message: (t) => `'${t}' is a masked secret as get-pipeline prints it (for example an OAuth token); supply the real value, or the action fails when it runs` },
];

export function findPlaceholders(value: unknown, path: string): PipelineIssue[] {
  if (typeof value === "string") {
    for (const p of PATTERNS) {
      const m = p.re.exec(value);
      if (m) return [{ path, message: p.message(m[0]) }];
    }
    return [];
  }
  if (isIntrinsic(value)) return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => findPlaceholders(v, joinPath(path, i)));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => findPlaceholders(v, joinPath(path, k)));
  return [];
}
