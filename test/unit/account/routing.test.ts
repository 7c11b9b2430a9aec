import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SimAccount } from "../../../local/account/index.js";
import { checkAliasTarget } from "../../../local/account/lambda/routing.js";
import { SimClock } from "../../../local/clock.js";

const exists = (v: string) => v === "$LATEST" || ["1", "2", "3", "4"].includes(v);
const code = (f: () => unknown): string => {
  try {
    f();
    return "ok";
  } catch (e) {
    return (e as Error).name;
  }
};

describe("alias target rules (pure)", () => {
  it("accepts exactly: one existing additional version, different from the primary, weight strictly inside (0, 1)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("1", "2", "3", "4", "9", "$LATEST"),
        fc.dictionary(fc.constantFrom("1", "2", "3", "4", "9", "$LATEST"), fc.oneof(fc.double({ min: -1, max: 2, noNaN: true }), fc.constantFrom(0, 1, 0.5)), { maxKeys: 3 }),
        (primary, weights) => {
          const entries = Object.entries(weights);
          const [v, w] = entries[0] ?? ["", 0];
          const expected = !exists(primary)
            ? "ResourceNotFoundException"
            : entries.length === 0
              ? "ok"
              : entries.length > 1 || v === "$LATEST" || primary === "$LATEST" || !(w > 0 && w < 1) || v === primary
                ? "InvalidParameterValueException"
                : !exists(v)
                  ? "ResourceNotFoundException"
                  : "ok";
          expect(code(() => checkAliasTarget("arn:fn", { functionVersion: primary, weights }, exists))).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("weighted routing of invocations", () => {
  it("sends exactly floor(n * weight) of the first n invocations to the additional version", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 300 }), (pct, n) => {
        const account = SimAccount.fromSetup({ functions: [{ name: "f", versions: 2, aliases: { live: { version: "1", weights: { "2": pct / 100 } } } }] }, { clock: new SimClock() });
        const fn = account.lambda.get("f");
        const alias = account.lambda.alias(fn, "live");
        let toTarget = 0;
        for (let i = 0; i < n; i++) if (account.lambda.routeAlias(fn, alias) === "2") toTarget += 1;
        expect(toTarget).toBe(Math.floor((n * pct) / 100 + 1e-9));
      }),
      { numRuns: 300 },
    );
  });
});
