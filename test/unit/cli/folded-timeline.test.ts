import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foldedTimeline } from "../../../cli/simulation/folded-timeline.js";

function fold(entries: Array<[number, string] | string>): string[] {
  const out: string[] = [];
  const t = foldedTimeline((l) => out.push(l));
  for (const e of entries) typeof e === "string" ? t.line(e) : t.at(e[0], e[1]);
  t.flush();
  return out;
}

describe("foldedTimeline", () => {
  it("folds the same line within one second at its first place, keeps the rest in order", () => {
    expect(fold([[0, "alarms OK"], [0, "START"], [0, "alarms OK"], [0, "hook"], [0, "alarms OK"], [0, "shift 10%"], [0, "alarms OK"], [240, "alarms OK"], [240, "ALARM"]])).toEqual([
      "alarms OK  (x4)",
      "START",
      "hook",
      "shift 10%",
      "alarms OK",
      "ALARM",
    ]);
  });

  it("does not fold across seconds or across an untimed line", () => {
    expect(fold([[0, "a"], [1, "a"], [1, "a"], "world", [1, "a"]])).toEqual(["a", "a  (x2)", "world", "a"]);
    expect(fold([[0.4, "a"], [0.2, "a"]])).toEqual(["a  (x2)"]);
  });

  it("prints nothing before flush only while the second lasts", () => {
    const out: string[] = [];
    const t = foldedTimeline((l) => out.push(l));
    t.at(0, "a");
    expect(out).toEqual([]);
    t.at(60, "b");
    expect(out).toEqual(["a"]);
    t.flush();
    expect(out).toEqual(["a", "b"]);
  });

  it("loses no line: expanding the counts gives back every line of each second, first occurrences in order", () => {
    const entry = fc.tuple(fc.integer({ min: 0, max: 5 }), fc.constantFrom("a", "b", "c"));
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 40 }), (raw) => {
        const entries = [...raw].sort((x, y) => x[0] - y[0]);
        const tagged = entries.map(([s, text]) => `${s}|${text}`);
        const out = fold(entries.map(([s, text]) => [s, `${s}|${text}`] as [number, string]));
        const expanded = out.flatMap((l) => {
          const m = / {2}\(x(\d+)\)$/.exec(l);
          return m ? Array<string>(Number(m[1])).fill(l.slice(0, m.index)) : [l];
        });
        expect([...expanded].sort()).toEqual([...tagged].sort());
        expect(out.map((l) => l.replace(/ {2}\(x\d+\)$/, ""))).toEqual([...new Set(tagged)]);
      }),
    );
  });
});
