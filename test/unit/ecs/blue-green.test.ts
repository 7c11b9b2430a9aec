import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_BLUE_GREEN, MAX_READY_WAIT_MINUTES, MAX_TERMINATION_WAIT_MINUTES, parseBlueGreen } from "../../../functions/domain/ecs/index.js";
import { problemsOf } from "./fixtures.js";

describe("parseBlueGreen", () => {
  it("defaults to no termination wait, no ready wait and a 60-minute install timeout", () => {
    expect(parseBlueGreen(undefined)).toEqual({ terminationWaitMinutes: 0, installTimeoutMinutes: 60 });
  });

  it("takes the group's options and lets the deployment override each", () => {
    const group = parseBlueGreen({ terminationWaitMinutes: 60, readyWait: { waitMinutes: 30, actionOnTimeout: "STOP_DEPLOYMENT" } });
    expect(parseBlueGreen({ terminationWaitMinutes: 5 }, "blueGreen", group)).toEqual({ terminationWaitMinutes: 5, installTimeoutMinutes: 60, readyWait: { waitMinutes: 30, actionOnTimeout: "STOP_DEPLOYMENT" } });
    expect(parseBlueGreen({ readyWait: null }, "blueGreen", group)).toEqual({ terminationWaitMinutes: 60, installTimeoutMinutes: 60 });
  });

  it("CONTINUE_DEPLOYMENT without minutes is CodeDeploy's reroute-at-once", () => {
    expect(parseBlueGreen({ readyWait: { actionOnTimeout: "CONTINUE_DEPLOYMENT" } }).readyWait).toEqual({ waitMinutes: 0, actionOnTimeout: "CONTINUE_DEPLOYMENT" });
  });

  it.each([
    [{ terminationWaitMinutes: 2881 }, "blueGreen.terminationWaitMinutes: must be a whole number of minutes from 0 to 2880"],
    [{ terminationWaitMinutes: 1.5 }, "blueGreen.terminationWaitMinutes"],
    [{ installTimeoutMinutes: 0 }, "blueGreen.installTimeoutMinutes: must be a whole number of minutes from 1 to 60"],
    [{ readyWait: { waitMinutes: 10 } }, "blueGreen.readyWait.actionOnTimeout: must be CONTINUE_DEPLOYMENT or STOP_DEPLOYMENT"],
    [{ readyWait: { actionOnTimeout: "STOP_DEPLOYMENT" } }, "blueGreen.readyWait.waitMinutes: is required with STOP_DEPLOYMENT"],
    [{ readyWait: { waitMinutes: 0, actionOnTimeout: "STOP_DEPLOYMENT" } }, "from 1 to 7200"],
    [{ readyWait: { waitMinutes: 7201, actionOnTimeout: "CONTINUE_DEPLOYMENT" } }, "from 0 to 7200"],
    [{ terminationWait: 5 }, "blueGreen.terminationWait: unknown field"],
    ["60", "blueGreen: must be an object"],
  ])("refuses %j", (raw, problem) => {
    expect(problemsOf(() => parseBlueGreen(raw)).join("\n")).toContain(problem);
  });

  it("accepts exactly the whole minutes CodeDeploy accepts", () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: MAX_TERMINATION_WAIT_MINUTES + 10 }), fc.integer({ min: -10, max: MAX_READY_WAIT_MINUTES + 10 }), (termination, ready) => {
        const ok = (f: () => unknown) => {
          try {
            f();
            return true;
          } catch {
            return false;
          }
        };
        expect(ok(() => parseBlueGreen({ terminationWaitMinutes: termination }))).toBe(termination >= 0 && termination <= MAX_TERMINATION_WAIT_MINUTES);
        expect(ok(() => parseBlueGreen({ readyWait: { waitMinutes: ready, actionOnTimeout: "STOP_DEPLOYMENT" } }))).toBe(ready >= 1 && ready <= MAX_READY_WAIT_MINUTES);
      }),
    );
  });

  it("never changes the defaults object", () => {
    parseBlueGreen({ terminationWaitMinutes: 9 });
    expect(DEFAULT_BLUE_GREEN).toEqual({ terminationWaitMinutes: 0, installTimeoutMinutes: 60 });
  });
});
