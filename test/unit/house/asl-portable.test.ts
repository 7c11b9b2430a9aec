import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import path from "node:path";
import { ROOT, read } from "./source-tree.js";

/**
 * House rule: the state machines mean the same on the local engine as on AWS. aws-local-stepfunctions evaluates
 * `"IsNull": false` as never matching (it returns `IsNull && value === null`), where AWS matches any non-null value:
 * a Choice written that way would take another branch locally than on AWS. Write `"Not": {"IsNull": true}`.
 */
function rules(node: unknown, at: string, out: string[]): string[] {
  if (Array.isArray(node)) {
    for (const [i, n] of node.entries()) rules(n, `${at}[${i}]`, out);
  }
  else if (node && typeof node === "object") {
    const o = node as Record<string, unknown>;
    if (o.IsNull === false) out.push(`${at} (${String(o.Variable)})`);
    for (const [k, v] of Object.entries(o)) rules(v, `${at}.${k}`, out);
  }
  return out;
}

describe("ASL that the local engine and AWS read alike", () => {
  const files = readdirSync(path.join(ROOT, "statemachines")).filter((f) => f.endsWith(".asl.json"));

  it("finds the state machines", () => expect(files.length).toBeGreaterThan(5));

  it('no Choice rule says "IsNull": false', () => {
    expect(files.flatMap((f) => rules(JSON.parse(read(`statemachines/${f}`)), f, []))).toEqual([]);
  });

  it("the check finds one where it is nested in And/Not", () => {
    const asl = { States: { C: { Type: "Choice", Choices: [{ And: [{ Variable: "$.x", IsNull: false }], Next: "D" }] } } };
    expect(rules(asl, "m", [])).toEqual(["m.States.C.Choices[0].And[0] ($.x)"]);
  });
});
