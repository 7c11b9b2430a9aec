import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SimClock } from "../../../local/clock.js";

/** The simulated clock as the scheduler of concurrent executions: horizons and work marks. */
describe("SimClock", () => {
  it("never advances past a horizon until it is removed", () => {
    const c = new SimClock();
    const off = c.horizon(100);
    expect(c.advance(500)).toBe(100);
    expect(c.elapsedSeconds()).toBe(100);
    off();
    expect(c.advance(50)).toBe(50);
  });

  it("keeps two horizons at the same instant apart: removing one leaves the other", () => {
    // Two executions whose timeouts end in the same second (a 48-hour bake and the 48th hourly re-poll).
    const c = new SimClock();
    const a = c.horizon(3600);
    const b = c.horizon(3600);
    b();
    expect(c.advance(7200)).toBe(3600);
    a();
    expect(c.advance(7200)).toBe(7200);
  });

  it("bounds every advance by the earliest live horizon (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ at: fc.integer({ min: 1, max: 1000 }), removed: fc.boolean() }), { maxLength: 8 }), fc.integer({ min: 1, max: 2000 }), (hs, step) => {
        const c = new SimClock();
        const live: number[] = [];
        for (const h of hs) {
          const off = c.horizon(h.at);
          if (h.removed) off();
          else live.push(h.at);
        }
        const moved = c.advance(step);
        expect(moved).toBe(Math.min(step, ...live));
      }),
    );
  });

  it("counts working executions; ending a mark twice counts once", () => {
    const c = new SimClock();
    const a = c.busy();
    const b = c.busy();
    expect(c.workingCount).toBe(2);
    a();
    a();
    expect(c.workingCount).toBe(1);
    b();
    expect(c.workingCount).toBe(0);
  });
});
