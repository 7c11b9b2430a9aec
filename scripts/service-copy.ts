/**
 * A private copy of the service in a temporary folder, with the repository's node_modules linked in
 * (nothing is installed): `osls package` and `npm pack` run there so they never race a developer's
 * own run, or a test that uses dist/, over the build folders of the checkout.
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Build outputs, caches and what neither packaging reads. */
const SKIP = new Set(["node_modules", ".git", ".serverless", ".esbuild", ".build", "coverage", "dist", "test", "bench"]);

export interface ServiceCopy {
  dir: string;
  remove(): void;
}

export function copyService(prefix: string): ServiceCopy {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  cpSync(ROOT, dir, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(ROOT, src);
      return rel === "" || !SKIP.has(rel.split(path.sep)[0] ?? "");
    },
  });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
