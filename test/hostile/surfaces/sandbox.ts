import { readdir } from "node:fs/promises";
import { join, relative } from "node:path";

/** Every file, directory and link below `dir` (links are not followed), relative to it, minus `ignore`. */
export async function leftIn(dir: string, ignore: readonly string[] = []): Promise<string[]> {
  const out: string[] = [];
  const walk = async (at: string) => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      const rel = relative(dir, path);
      if (!ignore.includes(rel)) out.push(rel);
      if (entry.isDirectory()) await walk(path);
    }
  };
  await walk(dir);
  return out.sort();
}

/** Own properties added to the built-in prototypes since `before` was taken (prototype pollution). */
export function prototypeSnapshot(): string[] {
  return [Object.prototype, Array.prototype, Function.prototype].flatMap((p, i) => Reflect.ownKeys(p).map((k) => `${i}:${String(k)}`));
}

export function pollutedSince(before: readonly string[]): string[] {
  const now = prototypeSnapshot();
  return now.filter((k) => !before.includes(k)).map((k) => `prototype property ${k}`);
}
