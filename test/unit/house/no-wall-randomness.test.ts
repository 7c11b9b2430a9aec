import { describe, expect, it } from "vitest";
import { offendingLines, sourceFiles } from "./source-tree.js";

/**
 * House rule: randomness in tests comes from fast-check, so a failure prints a seed and a path that replay it
 * (and shrink it). A bare call to the global generator makes a failure that cannot be reproduced.
 * The pattern is assembled so that this file does not match itself.
 */
const GLOBAL_RANDOM = new RegExp(["Math", "random"].join("\\s*\\.\\s*"));

describe("randomness in tests", () => {
  it("the pattern sees the global generator however it is spaced", () => {
    expect(GLOBAL_RANDOM.test(["const x = Math", "random();"].join("."))).toBe(true);
    expect(GLOBAL_RANDOM.test(["Math ", " random"].join("."))).toBe(true);
    expect(GLOBAL_RANDOM.test("fc.integer({ min: 0, max: 9 })")).toBe(false);
  });

  it("no test draws from the global generator", () => {
    const files = sourceFiles("test");
    expect(files).toContain("test/fault-injection/invariants.ts");
    expect(offendingLines(files, GLOBAL_RANDOM)).toEqual([]);
  });
});
