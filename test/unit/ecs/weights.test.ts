import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeForward, forwardFor, isExactly, weightOnGreen } from "../../../functions/domain/ecs/index.js";
import { BLUE, GREEN } from "./fixtures.js";

const pair = { blue: BLUE, green: GREEN };

describe("listener weights", () => {
  it.each([
    [0, [100, 0]],
    [10, [90, 10]],
    [100, [0, 100]],
  ])("%i%% on green forwards {blue: %j}", (w, [b, g]) => {
    expect(forwardFor(pair, w)).toEqual([
      { targetGroupArn: BLUE, weight: b },
      { targetGroupArn: GREEN, weight: g },
    ]);
  });

  it("keeps both target groups and sums to 100 at every weight; reading it back gives the weight", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), (w) => {
        const f = forwardFor(pair, w);
        expect(f.map((t) => t.targetGroupArn)).toEqual([BLUE, GREEN]);
        expect((f[0]?.weight ?? 0) + (f[1]?.weight ?? 0)).toBe(100);
        expect(weightOnGreen(pair, f)).toBe(w);
        expect(isExactly(pair, f, w)).toBe(true);
      }),
    );
  });

  it("reads weights as relative shares, as ELBv2 distributes them", () => {
    expect(weightOnGreen(pair, [{ targetGroupArn: BLUE, weight: 1 }])).toBe(0);
    expect(weightOnGreen(pair, [{ targetGroupArn: GREEN, weight: 1 }])).toBe(100);
    expect(weightOnGreen(pair, [
      { targetGroupArn: BLUE, weight: 3 },
      { targetGroupArn: GREEN, weight: 1 },
    ])).toBe(25);
  });

  it("has no weight for a forward to another target group, or to nothing", () => {
    expect(weightOnGreen(pair, [{ targetGroupArn: `${BLUE}0`, weight: 1 }])).toBeNull();
    expect(weightOnGreen(pair, [
      { targetGroupArn: BLUE, weight: 0 },
      { targetGroupArn: GREEN, weight: 0 },
    ])).toBeNull();
  });

  it("tells a weight that landed from the same share written differently (another writer)", () => {
    const same = [
      { targetGroupArn: BLUE, weight: 180 },
      { targetGroupArn: GREEN, weight: 20 },
    ];
    expect(weightOnGreen(pair, same)).toBe(10);
    expect(isExactly(pair, same, 10)).toBe(false);
  });

  it("refuses weights that are not integer percents", () => {
    expect(() => forwardFor(pair, 101)).toThrow(RangeError);
    expect(() => forwardFor(pair, 2.5)).toThrow(RangeError);
  });

  it("describes a forward by target group name", () => {
    expect(describeForward(forwardFor(pair, 10))).toBe("web-blue=90, web-green=10");
  });
});
