import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readServerlessYml } from "../../../local/runtime/stack.js";

/** serverless.yml's parse kept on disk (local/runtime/stack.ts): the same data as the YAML, never a stale or lossy copy. */
const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});
const stackRoot = (yml: string) => {
  const root = mkdtempSync(join(tmpdir(), "stack-cache-"));
  roots.push(root);
  writeFileSync(join(root, "serverless.yml"), yml);
  return root;
};

describe("serverless.yml as data", () => {
  it("is what the YAML says, read again from the cache, and follows every change of the file", () => {
    const yml = `service: cache-${process.pid}-${Date.now()}\nprovider:\n  memorySize: 512\n  environment: &env { A: "1" }\nfunctions:\n  f: { handler: h.main, environment: *env }\n`;
    const root = stackRoot(yml);
    expect(readServerlessYml(root)).toEqual(parse(yml));
    expect(readServerlessYml(root)).toEqual(parse(yml));
    writeFileSync(join(root, "serverless.yml"), yml.replace("512", "1024"));
    expect((readServerlessYml(root).provider as { memorySize: number }).memorySize).toBe(1024);
  });

  it("is never cached when JSON cannot carry it exactly", () => {
    const root = stackRoot(`service: inf-${process.pid}-${Date.now()}\nlimit: .inf\n`);
    expect(readServerlessYml(root).limit).toBe(Number.POSITIVE_INFINITY);
    expect(readServerlessYml(root).limit).toBe(Number.POSITIVE_INFINITY);
  });
});
