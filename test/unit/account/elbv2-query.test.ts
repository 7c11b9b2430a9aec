import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeQuery, toXml } from "../../../local/account/shared/protocol/query-xml.js";

/** The query protocol's form decoding (what ELBv2 requests carry) and the XML rendering of answers. */
describe("decodeQuery", () => {
  it.each([
    ["a plain member", "Action=X&Version=1&ListenerArn=a", { ListenerArn: "a" }],
    ["an empty list", "ListenerArns=", { ListenerArns: "" }],
    ["a list, in index order (10 after 9)", "L.member.10=j&L.member.9=i&L.member.1=a", { L: ["a", "i", "j"] }],
    [
      "lists of structures with nested lists",
      "DefaultActions.member.1.Type=forward&DefaultActions.member.1.ForwardConfig.TargetGroups.member.2.Weight=10&DefaultActions.member.1.ForwardConfig.TargetGroups.member.1.Weight=90",
      { DefaultActions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ Weight: "90" }, { Weight: "10" }] } }] },
    ],
    ["a map", "Attributes.entry.1.key=k&Attributes.entry.1.value=v", { Attributes: [{ key: "k", value: "v" }] }],
    ["percent-encoded values", "RuleArn=arn%3Aaws%3Ax%2Fy", { RuleArn: "arn:aws:x/y" }],
  ])("decodes %s", (_what, body, expected) => {
    expect(decodeQuery(new URLSearchParams(body))).toEqual(expected);
  });

  it("decodes any list sent in any order to the list in index order", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 30 }), fc.infiniteStream(fc.nat()), (values, order) => {
        const entries = values.map((v, i) => [`Names.member.${i + 1}`, v] as [string, string]);
        const shuffled = entries.map((e) => [order.next().value, e] as const).sort((a, b) => a[0] - b[0]).map(([, e]) => e);
        expect(decodeQuery(new URLSearchParams(shuffled)).Names).toEqual(values);
      }),
    );
  });
});

describe("toXml", () => {
  it("renders lists as member elements, dates in ISO 8601, escapes text and drops absent members", () => {
    expect(toXml({ A: [1, 2], B: { C: "x<y&z" }, D: undefined, E: null, F: new Date(0), G: true })).toBe(
      "<A><member>1</member><member>2</member></A><B><C>x&lt;y&amp;z</C></B><F>1970-01-01T00:00:00.000Z</F><G>true</G>",
    );
  });
});
