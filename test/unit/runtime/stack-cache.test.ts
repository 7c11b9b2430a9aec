import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readServerlessYml } from "../../../local/runtime/stack.js";

/** serverless.yml's parse kept on disk (local/runtime/stack.ts): the same data as the YAML, never a stale or lossy copy. */
const roots: string[] = [];
const savedCacheHome = process.env.XDG_CACHE_HOME;
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
  if (savedCacheHome === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = savedCacheHome;
});
/** A stack directory with this serverless.yml, and the cache in it (nothing left in the user's cache). */
const stackRoot = (yml: string) => {
  const root = mkdtempSync(join(tmpdir(), "stack-cache-"));
  roots.push(root);
  writeFileSync(join(root, "serverless.yml"), yml);
  process.env.XDG_CACHE_HOME = join(root, "cache");
  return root;
};

describe("serverless.yml as data", () => {
  it("is what the YAML says, read again from the cache, and follows every change of the file", () => {
    const yml = `service: cache-${process.pid}-${Date.now()}\nprovider:\n  memorySize: 512\n  environment: &env { A: "1" }\nfunctions:\n  f: { handler: h.main, environment: *env }\n`;
    const root = stackRoot(yml);
    expect(readServerlessYml(root)).toEqual(parse(yml));
    expect(readdirSync(join(root, "cache", "stepdeploy"))).toHaveLength(1);
    expect(readServerlessYml(root)).toEqual(parse(yml));
    writeFileSync(join(root, "serverless.yml"), yml.replace("512", "1024"));
    expect((readServerlessYml(root).provider as { memorySize: number }).memorySize).toBe(1024);
  });

  it("is never cached when JSON cannot carry it exactly", () => {
    const root = stackRoot(`service: inf-${process.pid}-${Date.now()}\nlimit: .inf\n`);
    expect(readServerlessYml(root).limit).toBe(Number.POSITIVE_INFINITY);
    expect(readServerlessYml(root).limit).toBe(Number.POSITIVE_INFINITY);
    expect(existsSync(join(root, "cache", "stepdeploy"))).toBe(false);
  });
});
