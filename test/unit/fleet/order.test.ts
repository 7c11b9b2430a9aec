import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type FleetInstance, orderForDeployment } from "../../../functions/domain/fleet/index.js";

const i = (id: string, health: FleetInstance["health"], revision: FleetInstance["revision"]): FleetInstance => ({ id, health, revision });

describe("scheduling order (codedeploy-spec §2.4)", () => {
  it("unhealthy first, then unknown, old, current revision; ties keep discovery order", () => {
    const fleet = [i("a", "Healthy", "Current"), i("b", "Healthy", "Old"), i("c", "Unhealthy", "Current"), i("d", "Healthy", "Unknown"), i("e", "Healthy", "Old"), i("f", "Unhealthy", "Old")];
    expect(orderForDeployment(fleet).map((x) => x.id)).toEqual(["c", "f", "d", "b", "e", "a"]);
  });

  it("is a permutation whose ranks never decrease", () => {
    const inst = fc.record({ id: fc.string(), health: fc.constantFrom("Healthy", "Unhealthy"), revision: fc.constantFrom("Current", "Old", "Unknown") }) as fc.Arbitrary<FleetInstance>;
    const rank = (x: FleetInstance) => (x.health === "Unhealthy" ? 0 : { Unknown: 1, Old: 2, Current: 3 }[x.revision]);
    fc.assert(
      fc.property(fc.array(inst, { maxLength: 50 }), (fleet) => {
        const ordered = orderForDeployment(fleet);
        const key = (xs: FleetInstance[]) => xs.map((x) => JSON.stringify(x)).sort();
        expect(key(ordered)).toEqual(key(fleet));
        expect(ordered.length).toBe(fleet.length);
        for (let k = 1; k < ordered.length; k++) expect(rank(ordered[k - 1]!)).toBeLessThanOrEqual(rank(ordered[k]!));
      }),
    );
  });
});
