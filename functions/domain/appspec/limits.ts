/**
 * Bounds on reading an AppSpec, whatever carries it (a bare file, a YAML/JSON revision, an entry of a bundle).
 * CodeDeploy documents no AppSpec size limit; real files are a few KiB. Together these bound the work for any
 * input: the size bounds the text, the line and token budgets the parser's work (the YAML library costs about
 * 10 microseconds per token, so 1 MiB of one-character list items would take seconds), the depth the parser's
 * recursion, and the alias and node budgets what anchors and aliases expand to. Measured in bench/hostile.ts.
 */
export const APPSPEC_LIMITS = Object.freeze({
  /** Bytes of the file (UTF-8). */
  maxBytes: 1024 * 1024,
  /** Lines: the YAML library's cost for multi-line scalars is per line (150,000 short lines take half a second). */
  maxLines: 10_000,
  /** YAML tokens (scalars, indicators, line breaks, indentation); about 7 per line, so some 3,000 lines; real AppSpecs have tens to hundreds. */
  maxTokens: 20_000,
  /** Alias references (`*name`); real AppSpecs have none or a few. */
  maxAliases: 1_000,
  /** Nested collections, in the text and after expanding aliases. */
  maxDepth: 64,
  /**
   * Nodes of the document once anchors and aliases are expanded (alias bombs): as many as the token budget allows
   * without aliases, so aliases cannot make a document larger than the largest one written out.
   */
  maxNodes: 20_000,
});

/** "1 MiB (1048576 bytes)": a byte count as a person and a grep would both want it. */
export function describeBytes(n: number): string {
  const MiB = 1024 * 1024;
  const readable = n >= MiB && n % MiB === 0 ? `${n / MiB} MiB` : n >= 1024 && n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
  return readable.endsWith("bytes") ? readable : `${readable} (${n} bytes)`;
}
