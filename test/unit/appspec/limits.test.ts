import fc from "fast-check";
import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { APPSPEC_LIMITS } from "../../../functions/domain/appspec/limits.js";
import { parseAppSpec } from "../../../functions/domain/appspec/index.js";
import { parseText, toPlain } from "../../../functions/domain/appspec/document.js";

const SERVER = "version: 0.0\nos: linux\nfiles:\n  - source: /\n    destination: /var/www\n";
const firstError = (text: string) => parseAppSpec(text).errors[0]?.message ?? "(valid)";

describe("every AppSpec is read within APPSPEC_LIMITS, and the error names the limit hit", () => {
  it.each([
    ["a file above 1 MiB, refused before parsing", `${SERVER}#${"x".repeat(APPSPEC_LIMITS.maxBytes)}\n`, "above the 1 MiB (1048576 bytes) limit for an AppSpec"],
    ["more lines than maxLines", `${SERVER}${"#\n".repeat(APPSPEC_LIMITS.maxLines)}`, `more than ${APPSPEC_LIMITS.maxLines} lines`],
    ["more tokens than maxTokens", `${SERVER}x: [${"1,".repeat(APPSPEC_LIMITS.maxTokens)}1]\n`, `more than ${APPSPEC_LIMITS.maxTokens} YAML tokens`],
    ["more alias references than maxAliases", `${SERVER}a: &a x\nl: [${"*a,".repeat(APPSPEC_LIMITS.maxAliases)}*a]\n`, `more than ${APPSPEC_LIMITS.maxAliases} alias references`],
    ["flow collections nested past maxDepth", `${SERVER}x: ${"[".repeat(500_000)}${"]".repeat(500_000)}\n`, `deeper than ${APPSPEC_LIMITS.maxDepth} levels`],
    ["block lists nested past maxDepth on one line", `${SERVER}x:\n${"- ".repeat(500_000)}y\n`, `deeper than ${APPSPEC_LIMITS.maxDepth} levels`],
    ["aliases that nest past maxDepth once expanded", `${SERVER}${deepByAliases(40)}`, `deeper than ${APPSPEC_LIMITS.maxDepth} levels once aliases are expanded`],
    ["a recursive alias", `${SERVER}a: &a [x, *a]\n`, "alias *a refers to a node that contains it"],
  ])("refuses %s", (_what, text, message) => {
    expect(firstError(text)).toContain(message);
  });

  it("refuses an alias bomb by the node budget, whatever its nesting", () => {
    const levels = ["a: &a [x,x,x,x,x,x,x,x,x,x]"];
    for (const [i, n] of ["b", "c", "d", "e", "f", "g"].entries()) levels.push(`${n}: &${n} [${Array(10).fill(`*${"abcdef"[i]}`).join(",")}]`);
    expect(firstError(`${SERVER}${levels.join("\n")}\n`)).toContain(`more than ${APPSPEC_LIMITS.maxNodes} nodes once anchors and aliases are expanded`);
  });

  it("reads a valid AppSpec of up to 1 MiB (a long comment is one token)", () => {
    const text = `${SERVER}#${"x".repeat(APPSPEC_LIMITS.maxBytes - SERVER.length - 2)}\n`;
    expect(Buffer.byteLength(text)).toBe(APPSPEC_LIMITS.maxBytes);
    expect(parseAppSpec(text).valid).toBe(true);
  });

  it("resolves as many aliases as the budget allows, each to the last anchor before it (the yaml library took a minute for 20,000)", () => {
    const text = `${SERVER}a: &a first\nl1: [${"*a,".repeat(APPSPEC_LIMITS.maxAliases / 2 - 1)}*a]\na2: &a second\nl2: [${"*a,".repeat(APPSPEC_LIMITS.maxAliases / 2 - 1)}*a]\n`;
    const plain = toPlain(parseText(text).root!) as Record<string, string[]>;
    expect(new Set(plain.l1)).toEqual(new Set(["first"]));
    expect(new Set(plain.l2)).toEqual(new Set(["second"]));
    expect(plain.l1!.length + plain.l2!.length).toBe(APPSPEC_LIMITS.maxAliases);
  });

  it("resolves anchors and aliases as the yaml library does (property)", () => {
    const value = (i: number, defined: string[]): fc.Arbitrary<string> =>
      fc.oneof(
        fc.constant(`v${i}`),
        fc.constantFrom("a", "b").map((name) => `&${name} v${i}`),
        fc.constantFrom("a", "b").map((name) => `&${name} [v${i}, {k: w${i}}]`),
        ...(defined.length > 0 ? [fc.constantFrom(...defined).map((name) => `*${name}`), fc.constantFrom(...defined).map((name) => `[*${name}, {in: *${name}}]`)] : []),
      );
    const doc = fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }).chain((shape) => {
      // Aliases may only name anchors that appear earlier: track them as the lines are generated.
      let arb: fc.Arbitrary<{ lines: string[]; defined: string[] }> = fc.constant({ lines: [], defined: [] });
      for (const [i] of shape.entries()) {
        arb = arb.chain(({ lines, defined }) =>
          value(i, defined).map((v) => ({ lines: [...lines, `k${i}: ${v}`], defined: [...new Set([...defined, ...[...v.matchAll(/&(\w+)/g)].map((m) => m[1]!)])] })),
        );
      }
      return arb.map(({ lines }) => `${lines.join("\n")}\n`);
    });
    fc.assert(
      fc.property(doc, (text) => {
        const ours = parseText(text);
        expect(ours.errors).toEqual([]);
        expect(toPlain(ours.root!)).toEqual(parseDocument(text, { version: "1.1" }).toJS({ maxAliasCount: -1 }));
      }),
      { numRuns: 300 },
    );
  });
});

describe("language tags and prototype keys", () => {
  it.each([
    ["x: !ruby/object:Gem::Installer {i: x}\n", "x", "YAML tag !ruby/object:Gem::Installer is refused"],
    ["x: !!python/object/apply:os.system ['id']\n", "x", "YAML tag !!python/object/apply:os.system is refused"],
    ["x: !!binary aGVsbG8=\n", "x", "YAML tag !!binary is refused"],
    ["x: [a, !custom b]\n", "x[1]", "YAML tag !custom is refused"],
    ["__proto__: {polluted: true}\n", "__proto__", "the key '__proto__' is refused"],
    ["x:\n  constructor: {prototype: {polluted: true}}\n", "x.constructor", "the key 'constructor' is refused"],
    ["x: {a: 1, a: 2}\n", "x.a", "duplicate key 'a'"],
  ])("%j is refused at %s", (extra, path, message) => {
    const r = parseAppSpec(SERVER + extra);
    expect(r.valid).toBe(false);
    expect(r.errors).toContainEqual(expect.objectContaining({ path, message: expect.stringContaining(message) }));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("accepts YAML's own tags", () => {
    expect(parseAppSpec(`${SERVER}x: !!str 1\ny: !!int "2"\nz: ! plain\n`).errors).toEqual([]);
  });
});

/** `d0: &d0 [x]`, `d1: &d1 [*d0]`, ...: each level one list deeper than the one before, in a few bytes. */
function deepByAliases(levels: number): string {
  const lines = ["d0: &d0 [[[x]]]"];
  for (let i = 1; i < levels; i++) lines.push(`d${i}: &d${i} [[*d${i - 1}]]`);
  return `${lines.join("\n")}\n`;
}
