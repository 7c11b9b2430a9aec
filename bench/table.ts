/** Renders rows as a Markdown table (what the README embeds). */
export function markdownTable<T extends object>(rows: T[], columns: { key: keyof T; title: string; format?: (v: T[keyof T]) => string }[]): string {
  const head = `| ${columns.map((c) => c.title).join(" | ")} |`;
  const sep = `| ${columns.map(() => "---").join(" | ")} |`;
  const body = rows.map((r) => `| ${columns.map((c) => (c.format ? c.format(r[c.key]) : String(r[c.key]))).join(" | ")} |`);
  return [head, sep, ...body].join("\n");
}
