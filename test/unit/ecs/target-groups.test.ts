import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ServiceTaskSet, chooseBlueGreen, forwardFor } from "../../../functions/domain/ecs/index.js";
import { BLUE, GREEN, TD } from "./fixtures.js";

const primaryOn = (tg: string, id = "ecs-svc/1"): ServiceTaskSet => ({ id, status: "PRIMARY", taskDefinition: TD, targetGroupArns: [tg] });
const route = (name: string, forward: { targetGroupArn: string; weight: number }[]) => ({ name, forward });
const pairOf: [string, string] = [BLUE, GREEN];

describe("chooseBlueGreen", () => {
  it("blue is the PRIMARY task set's target group, green the other", () => {
    const start = chooseBlueGreen(pairOf, [primaryOn(GREEN)], route("listener", [{ targetGroupArn: GREEN, weight: 1 }]));
    expect([start.blue, start.green, start.original.id]).toEqual([GREEN, BLUE, "ecs-svc/1"]);
  });

  it("alternates the target groups deployment after deployment (the end state of one is the start of the next)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.boolean(), (deployments, startOnGreen) => {
        let primaryTg = startOnGreen ? GREEN : BLUE;
        let prod = forwardFor({ blue: primaryTg, green: primaryTg === BLUE ? GREEN : BLUE }, 0);
        const used: string[] = [];
        for (let i = 0; i < deployments; i++) {
          const start = chooseBlueGreen(pairOf, [primaryOn(primaryTg, `ecs-svc/${i}`)], route("listener", prod), route("test listener", prod));
          used.push(start.green);
          prod = forwardFor(start, 100);
          primaryTg = start.green;
        }
        for (let i = 1; i < used.length; i++) expect(used[i]).not.toBe(used[i - 1]);
      }),
    );
  });

  it.each([
    ["no PRIMARY task set", [] as ServiceTaskSet[], [{ targetGroupArn: BLUE, weight: 1 }], "the service has 0 PRIMARY task sets"],
    ["a leftover ACTIVE task set", [primaryOn(BLUE), { id: "ecs-svc/2", status: "ACTIVE", taskDefinition: TD, targetGroupArns: [GREEN] }], [{ targetGroupArn: BLUE, weight: 1 }], "ecs-svc/2 ACTIVE"],
    ["a PRIMARY task set on another target group", [primaryOn(`${BLUE}x`)], [{ targetGroupArn: BLUE, weight: 1 }], "not to exactly one of the pair"],
    ["a production listener that splits traffic", [primaryOn(BLUE)], forwardFor({ blue: BLUE, green: GREEN }, 10), "listener forwards web-blue=90, web-green=10"],
    ["a production listener that serves the other target group", [primaryOn(BLUE)], [{ targetGroupArn: GREEN, weight: 1 }], "not everything to web-blue"],
  ])("refuses %s (Deploy.TargetNotReady)", (_what, sets, forward, message) => {
    expect(() => chooseBlueGreen(pairOf, sets, route("listener", forward))).toThrow(message);
    try {
      chooseBlueGreen(pairOf, sets, route("listener", forward));
    } catch (e) {
      expect((e as Error).name).toBe("Deploy.TargetNotReady");
    }
  });

  it("refuses a test listener left on the replacement", () => {
    expect(() => chooseBlueGreen(pairOf, [primaryOn(BLUE)], route("listener", [{ targetGroupArn: BLUE, weight: 1 }]), route("test listener", [{ targetGroupArn: GREEN, weight: 1 }]))).toThrow("test listener forwards web-green=1");
  });
});
