import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** Output and installed folders: never source, wherever they appear. */
const SKIPPED = new Set(["node_modules", "dist", "coverage", ".serverless", ".esbuild", ".build", ".git"]);
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;

/** Source files under `folder` (relative to the repository root), as repository-relative paths with `/`, sorted. */
export function sourceFiles(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      if (SKIPPED.has(entry.name)) continue;
      const rel = dir === "." ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (SOURCE.test(entry.name)) found.push(rel);
    }
  };
  walk(folder);
  return found.sort();
}

export const read = (file: string): string => readFileSync(path.join(ROOT, file), "utf8");

/** `file:line  text` for every line of `files` that matches `pattern`. */
export function offendingLines(files: string[], pattern: RegExp): string[] {
  return files.flatMap((file) =>
    read(file)
      .split("\n")
      .flatMap((text, i) => (pattern.test(text) ? [`${file}:${i + 1}  ${text.trim()}`] : [])),
  );
}
