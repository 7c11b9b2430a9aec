import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FUNCTION_PATTERN, matchesFunctionPattern, parseFunctionRef } from "../../../functions/domain/release/index.js";

describe("IAM-style function-name patterns", () => {
  it.each([
    ["orders", "orders", true],
    ["orders", "Orders", false],
    ["orders-api", "orders-*", true],
    ["orders-", "orders-*", true],
    ["orders", "orders-*", false],
    ["CodeDeployHook_x", "CodeDeployHook_*", true],
    ["codedeployhook_x", "CodeDeployHook_*", false],
    ["a1c", "a?c", true],
    ["ac", "a?c", false],
    ["billing", "*", true],
    ["", "*", true],
    ["stepdeploy-prod-prepare", "*-prepare", true],
    ["ab", "a*b*", true],
    ["aXbYc", "a*b*c", true],
    ["aXbY", "a*b*c", false],
  ])("%s against %s: %s", (name, pattern, expected) => {
    expect(matchesFunctionPattern(name, pattern)).toBe(expected);
  });

  it("agrees with a regular-expression reading of * and ? on any name and pattern", () => {
    const reference = (name: string, pattern: string) => new RegExp(`^${pattern.replaceAll("*", ".*").replaceAll("?", ".")}$`).test(name);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "b", "-") }), fc.string({ unit: fc.constantFrom("a", "b", "-", "*", "?") }), (name, pattern) => {
        expect(matchesFunctionPattern(name, pattern)).toBe(reference(name, pattern));
      }),
      { numRuns: 2000 },
    );
  });

  it("stays fast on patterns that make a backtracking matcher explode", () => {
    const name = "a".repeat(64);
    const pattern = `${"a*".repeat(60)}b`;
    // A naive recursive matcher needs on the order of C(64, 60) steps here; this one is quadratic at most.
    expect(matchesFunctionPattern(name, pattern)).toBe(false);
  });

  it.each([
    ["orders-*", true],
    ["CodeDeployHook_?x", true],
    ["*", true],
    ["orders:live", false],
    ["arn:aws:lambda:us-east-1:123456789012:function:orders", false],
    ["", false],
    ["orders api", false],
  ])("%s is a valid stack pattern: %s", (pattern, valid) => {
    expect(FUNCTION_PATTERN.test(pattern)).toBe(valid);
  });
});

describe("function references", () => {
  it.each([
    ["orders", { name: "orders" }],
    ["orders:live", { name: "orders", qualifier: "live" }],
    ["123456789012:function:orders", { name: "orders", accountId: "123456789012" }],
    ["arn:aws:lambda:eu-west-1:123456789012:function:orders:7", { name: "orders", qualifier: "7", region: "eu-west-1", accountId: "123456789012" }],
    ["arn:aws-cn:lambda:cn-north-1:123456789012:function:orders", { name: "orders", region: "cn-north-1", accountId: "123456789012" }],
  ])("%s", (text, expected) => {
    expect(parseFunctionRef(text)).toEqual({ qualifier: undefined, region: undefined, accountId: undefined, ...expected });
  });

  it.each(["", "<HOOK>", "arn:aws:s3:::bucket", "orders:live:extra", "x".repeat(65)])("%j is not a function reference", (text) => {
    expect(parseFunctionRef(text)).toBeUndefined();
  });
});
