import { link, lstat, mkdir, readdir, readlink, symlink, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import type { TestEntry } from "./build.js";

/**
 * Extracts entries the way a naive extractor does (as `tar -x` or `unzip` would, without their own checks):
 * in order, creating parents, writing files through whatever the path resolves to, creating links as given.
 * An entry the filesystem refuses (EEXIST, ENOENT, ...) is skipped: failing is not escaping.
 */
export async function extractNaively(entries: readonly TestEntry[], dir: string): Promise<void> {
  for (const e of entries) {
    const at = join(dir, e.name);
    try {
      await mkdir(dirname(at), { recursive: true });
      if (e.dir) await mkdir(at, { recursive: true });
      else if (e.symlink !== undefined) await symlink(e.symlink, at);
      else if (e.hardlink !== undefined) await link(join(dir, e.hardlink), at); // link(2) does not follow a symlink
      else await writeFile(at, e.content ?? "");
    } catch {
      // skipped
    }
  }
}

/**
 * Where `path` really leads, following every symlink on the way as the kernel would; components that do not
 * exist are taken lexically (a later write could create them). Undefined for a loop.
 */
export async function realTarget(path: string): Promise<string | undefined> {
  const todo = resolve(path).split(sep).filter(Boolean);
  let at: string = sep;
  for (let hops = 0; todo.length > 0; ) {
    const part = todo.shift()!;
    if (part === ".") continue;
    if (part === "..") {
      at = dirname(at);
      continue;
    }
    const next = join(at, part);
    const info = await lstat(next).catch(() => undefined);
    if (info?.isSymbolicLink()) {
      if (++hops > 40) return undefined;
      const text = await readlink(next);
      todo.unshift(...text.split("/").filter(Boolean));
      if (text.startsWith("/")) at = sep;
      continue;
    }
    at = next;
  }
  return at;
}

/** Every path below `dir`, without following links. */
export async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    out.push(path);
    const info = await lstat(path);
    if (info.isDirectory()) out.push(...(await listTree(path)));
  }
  return out;
}
