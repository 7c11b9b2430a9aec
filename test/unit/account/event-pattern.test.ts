import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type EventPattern, matchesPattern, patternProblem } from "../../../local/account/eventbridge/pattern.js";
import { RULER_SAMPLE_EVENT } from "./helpers.js";

/** The sample event of the event-ruler README, with more kinds of values in its detail. */
const EVENT = {
  ...RULER_SAMPLE_EVENT,
  resources: [...RULER_SAMPLE_EVENT.resources, "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"],
  detail: {
    ...RULER_SAMPLE_EVENT.detail,
    nothing: null,
    flag: false,
    tags: ["blue", "prod"],
    empty: [],
    nested: { c1: 100 },
    items: [
      { name: "a", size: 1 },
      { name: "b", size: 2 },
    ],
  },
};

const cases: [string, EventPattern, boolean][] = [
  ["exact source", { source: ["aws.ec2"] }, true],
  ["one of several values", { source: ["aws.fargate", "aws.ec2"] }, true],
  ["wrong value", { source: ["aws.s3"] }, false],
  ["AND across fields", { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"], detail: { state: ["running"] } }, true],
  ["AND fails on one field", { source: ["aws.ec2"], detail: { state: ["stopped"] } }, false],
  ["array intersection (resources)", { resources: ["arn:aws:ec2:us-east-1:111122223333:instance/x", "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"] }, true],
  ["array intersection empty", { detail: { tags: ["green"] } }, false],
  ["missing field", { detail: { missing: ["x"] } }, false],
  ["number exact", { detail: { "c-count": [5] } }, true],
  ["number vs string", { detail: { "c-count": ["5"] } }, false],
  ["null matches null", { detail: { nothing: [null] } }, true],
  ["null does not match missing", { detail: { missing: [null] } }, false],
  ["boolean", { detail: { flag: [false] } }, true],
  ["prefix", { time: [{ prefix: "2017-10-02" }] }, true],
  ["prefix miss", { time: [{ prefix: "2018" }] }, false],
  ["prefix ignore case", { detail: { state: [{ prefix: { "equals-ignore-case": "RUN" } }] } }, true],
  ["suffix", { source: [{ suffix: "ec2" }] }, true],
  ["suffix ignore case", { source: [{ suffix: { "equals-ignore-case": "EC2" } }] }, true],
  ["prefix on a number", { detail: { "c-count": [{ prefix: "5" }] } }, false],
  ["equals-ignore-case", { source: [{ "equals-ignore-case": "AWS.EC2" }] }, true],
  ["wildcard", { "detail-type": [{ wildcard: "EC2*Notification" }] }, true],
  ["wildcard miss", { "detail-type": [{ wildcard: "EC2*Change" }] }, false],
  ["wildcard escaped star", { source: [{ wildcard: "aws\\*ec2" }] }, false],
  ["anything-but string", { detail: { state: [{ "anything-but": "initializing" }] } }, true],
  ["anything-but same string", { detail: { state: [{ "anything-but": "running" }] } }, false],
  ["anything-but list", { detail: { state: [{ "anything-but": ["stopped", "running"] }] } }, false],
  ["anything-but number", { detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } }, true],
  ["anything-but prefix", { detail: { state: [{ "anything-but": { prefix: "run" } }] } }, false],
  ["anything-but suffix", { detail: { state: [{ "anything-but": { suffix: "ed" } }] } }, true],
  ["anything-but ignore case", { detail: { state: [{ "anything-but": { "equals-ignore-case": ["RUNNING"] } }] } }, false],
  ["anything-but wildcard", { detail: { state: [{ "anything-but": { wildcard: "stop*" } }] } }, true],
  ["anything-but on a missing field", { detail: { missing: [{ "anything-but": "x" }] } }, false],
  ["anything-but on an array (any element)", { detail: { tags: [{ "anything-but": "blue" }] } }, true],
  ["numeric range", { detail: { "c-count": [{ numeric: [">", 0, "<=", 5] }] } }, true],
  ["numeric range excludes", { detail: { "c-count": [{ numeric: [">", 5] }] } }, false],
  ["numeric equals exponent", { detail: { "x-limit": [{ numeric: ["=", 3.018e2] }] } }, true],
  ["numeric on a string", { detail: { state: [{ numeric: [">", 0] }] } }, false],
  ["cidr", { detail: { "source-ip": [{ cidr: "10.0.0.0/24" }] } }, true],
  ["cidr miss", { detail: { "source-ip": [{ cidr: "10.0.1.0/24" }] } }, false],
  ["exists true", { detail: { "c-count": [{ exists: true }] } }, true],
  ["exists false on present", { detail: { "c-count": [{ exists: false }] } }, false],
  ["exists false on missing", { detail: { missing: [{ exists: false }] } }, true],
  ["exists true on null", { detail: { nothing: [{ exists: true }] } }, true],
  ["exists on an intermediate node is absent", { detail: { nested: [{ exists: false }] } }, true],
  ["exists true on an empty array", { detail: { empty: [{ exists: true }] } }, false],
  ["exists false under a missing object", { missing: { deeper: [{ exists: false }] } }, true],
  ["nested object", { detail: { nested: { c1: [100] } } }, true],
  ["array of objects: one element matches all", { detail: { items: { name: ["b"], size: [2] } } }, true],
  ["array of objects: fields from different elements", { detail: { items: { name: ["a"], size: [2] } } }, false],
  ["$or first", { source: ["aws.ec2"], $or: [{ detail: { state: ["running"] } }, { detail: { "c-count": [99] } }] }, true],
  ["$or second", { $or: [{ detail: { state: ["stopped"] } }, { detail: { "c-count": [5] } }] }, true],
  ["$or none", { $or: [{ detail: { state: ["stopped"] } }, { detail: { "c-count": [6] } }] }, false],
  ["$or nested in detail", { detail: { $or: [{ state: ["stopped"] }, { flag: [false] }] } }, true],
  ["value alternatives mixing operators", { detail: { state: ["stopped", { prefix: "run" }] } }, true],
];

describe("event pattern matching (EventBridge semantics)", () => {
  it.each(cases)("%s", (_name, pattern, expected) => {
    expect(patternProblem(pattern)).toBeUndefined();
    expect(matchesPattern(pattern, EVENT)).toBe(expected);
  });

  it("rejects invalid patterns with a reason", () => {
    const invalid: unknown[] = [
      null,
      [],
      {},
      { source: "aws.ec2" },
      { source: [] },
      { source: [["nested"]] },
      { detail: {} },
      { source: [{ prefix: 1 }] },
      { source: [{ unknown: "x" }] },
      { source: [{ prefix: "a", suffix: "b" }] },
      { detail: { n: [{ numeric: [">", 5, "<", 1] }] } },
      { detail: { n: [{ numeric: ["!=", 5] }] } },
      { detail: { n: [{ numeric: [">", 6e9] }] } },
      { detail: { n: [{ numeric: ["<", 1, ">", 0] }] } },
      { detail: { n: [{ exists: "yes" }] } },
      { detail: { n: [{ "anything-but": [] }] } },
      { detail: { n: [{ "anything-but": ["a", 1] }] } },
      { detail: { n: [{ "anything-but": { numeric: [">", 1] } }] } },
      { detail: { n: [{ wildcard: "a**b" }] } },
      { detail: { n: [{ wildcard: "a\\b" }] } },
      { detail: { n: [{ cidr: "10.0.0.0/33" }] } },
      { detail: { n: [{ cidr: "::1/128" }] } },
    ];
    for (const p of invalid) expect(patternProblem(p), JSON.stringify(p)).toEqual(expect.any(String));
  });
});

// ---- properties ------------------------------------------------------------------------------

const key = fc.constantFrom("a", "b", "c", "state", "detail-type");
const scalar = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -1000, max: 1000 }), fc.boolean(), fc.constant(null));
const leaf = fc.oneof(scalar, fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -1000, max: 1000 })), { minLength: 1, maxLength: 3 }));
type Obj = { [k: string]: unknown };
const event: fc.Arbitrary<Obj> = fc.letrec((tie) => ({
  obj: fc.dictionary(key, fc.oneof({ depthSize: "small" }, leaf, tie("obj")), { minKeys: 1, maxKeys: 4 }),
})).obj as fc.Arbitrary<Obj>;

/** The pattern that names every leaf of `e` with its own value(s). */
function selfPattern(e: Obj): Obj {
  return Object.fromEntries(
    Object.entries(e).map(([k, v]) => [k, v !== null && typeof v === "object" && !Array.isArray(v) ? selfPattern(v as Obj) : Array.isArray(v) ? [v[0]] : [v]]),
  );
}

/** Every path to a leaf (non-object) value. */
function leaves(e: Obj, path: string[] = []): { path: string[]; value: unknown }[] {
  return Object.entries(e).flatMap(([k, v]) => (v !== null && typeof v === "object" && !Array.isArray(v) ? leaves(v as Obj, [...path, k]) : [{ path: [...path, k], value: v }]));
}

function at(path: string[], matcher: unknown): EventPattern {
  return path.reduceRight<unknown>((inner, k) => ({ [k]: inner }), [matcher]) as EventPattern;
}

describe("event pattern properties", () => {
  it("an event matches the pattern built from its own values (and that pattern is valid)", () => {
    fc.assert(
      fc.property(event, (e) => {
        const p = selfPattern(e);
        // an object leaf may be empty after generation: only nonempty objects are generated, so the pattern is valid
        expect(patternProblem(p)).toBeUndefined();
        expect(matchesPattern(p, e)).toBe(true);
      }),
    );
  });

  it("for a present scalar, anything-but [x] matches exactly when [x] does not", () => {
    fc.assert(
      fc.property(event, fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -1000, max: 1000 })), (e, x) => {
        for (const { path, value } of leaves(e)) {
          if (Array.isArray(value) || value === null || typeof value === "boolean") continue;
          expect(matchesPattern(at(path, { "anything-but": x }), e)).toBe(!matchesPattern(at(path, x), e));
        }
      }),
    );
  });

  it("exists true and exists false disagree on every path, present or not", () => {
    fc.assert(
      fc.property(event, fc.array(key, { minLength: 1, maxLength: 3 }), (e, path) => {
        expect(matchesPattern(at(path, { exists: true }), e)).toBe(!matchesPattern(at(path, { exists: false }), e));
      }),
    );
  });

  it("$or matches exactly when one of its alternatives does; a leaf array is the OR of its values", () => {
    fc.assert(
      fc.property(event, event, event, (e, a, b) => {
        const pa = selfPattern(a);
        const pb = selfPattern(b);
        expect(matchesPattern({ $or: [pa, pb] }, e)).toBe(matchesPattern(pa, e) || matchesPattern(pb, e));
      }),
    );
    fc.assert(
      fc.property(event, scalar, scalar, (e, x, y) => {
        for (const { path } of leaves(e)) expect(matchesPattern(at(path, x), e) || matchesPattern(at(path, y), e)).toBe(matchesPattern(orLeaf(path, x, y), e));
      }),
    );
  });

  it("prefix, suffix and equals-ignore-case agree with their string definitions", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 4 }), (s, affix) => {
        const e = { detail: { s } };
        expect(matchesPattern({ detail: { s: [{ prefix: affix }] } }, e)).toBe(s.startsWith(affix));
        expect(matchesPattern({ detail: { s: [{ suffix: affix }] } }, e)).toBe(s.endsWith(affix));
        expect(matchesPattern({ detail: { s: [{ "equals-ignore-case": s.toUpperCase() }] } }, e)).toBe(true);
        expect(matchesPattern({ detail: { s: [{ wildcard: "*" }] } }, e)).toBe(true);
      }),
    );
  });

  it("numeric ranges agree with arithmetic", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: -1000, max: 0 }), fc.integer({ min: 1, max: 1000 }), (v, lo, hi) => {
        const e = { detail: { v } };
        expect(matchesPattern({ detail: { v: [{ numeric: [">=", lo, "<", hi] }] } }, e)).toBe(v >= lo && v < hi);
      }),
    );
  });
});

function orLeaf(path: string[], x: unknown, y: unknown): EventPattern {
  return path.reduceRight<unknown>((inner, k) => ({ [k]: inner }), [x, y]) as EventPattern;
}
