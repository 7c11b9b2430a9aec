import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, read, sourceFiles } from "./source-tree.js";

/**
 * House rule: a handler is a thin adapter (parse the event, call one domain or service function, map the result),
 * about 40 lines at most. A longer one holds a decision that belongs in functions/domain (pure, table-tested) or
 * orchestration that belongs in functions/services.
 */
const MAX_LINES = 40;

/** Every `handler: <file>.<export>` of serverless.yml, as the source file it names. */
function deployedHandlers(): string[] {
  const yml = read("serverless.yml");
  return [...yml.matchAll(/^\s*handler:\s*([\w./-]+)\.\w+\s*$/gm)].map((m) => `${m[1]}.ts`);
}

const lineCount = (file: string) => read(file).trimEnd().split("\n").length;

describe("handlers stay thin", () => {
  const handlers = [...new Set([...deployedHandlers(), ...sourceFiles("functions/handlers")])].sort();

  it("serverless.yml names handler files that exist", () => {
    const deployed = deployedHandlers();
    expect(deployed.length).toBeGreaterThan(10);
    expect(deployed.filter((f) => !existsSync(path.join(ROOT, f)))).toEqual([]);
  });

  it(`no handler is over ${MAX_LINES} lines`, () => {
    const tooLong = handlers.filter((f) => existsSync(path.join(ROOT, f)) && lineCount(f) > MAX_LINES).map((f) => `${f}: ${lineCount(f)} lines`);
    expect(tooLong).toEqual([]);
  });
});
