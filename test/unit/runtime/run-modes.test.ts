import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideRunModes, RunRefused } from "../../../local/run/run-modes.js";

/** What `stepdeploy run` runs, switches with a notice, or refuses before anything is created or called. */
const base = { application: "a", deploymentGroup: "g", functionName: "orders", alias: "live", targetVersion: "4" };
const gate = { name: "errors", lambdaErrorRatePercent: 2 };

function refusal(input: Record<string, unknown>, realTime: boolean): RunRefused["problems"] | undefined {
  try {
    decideRunModes(input, { realTime });
    return undefined;
  } catch (e) {
    if (e instanceof RunRefused) return e.problems;
    throw e;
  }
}

describe("decideRunModes", () => {
  it.each([
    // [case, input extra, realTime, alarmMonitoring run with, notice?, refused fields]
    ["no alarms, nothing said", {}, false, "polling", false, []],
    ["alarms, monitoring left out: polling, said so", { alarms: ["e"] }, false, "polling", true, []],
    ["alarms, polling asked", { alarms: ["e"], alarmMonitoring: "polling" }, false, "polling", false, []],
    ["alarms, events asked: refused", { alarms: ["e"], alarmMonitoring: "events" }, false, undefined, false, ["alarmMonitoring"]],
    ["no alarms, events asked: nothing to miss", { alarmMonitoring: "events" }, false, "events", false, []],
    ["gates, compressed: refused", { metricGates: [gate] }, false, undefined, false, ["metricGates"]],
    ["gates, real time", { metricGates: [gate] }, true, "polling", false, []],
    ["both at once: both named", { alarms: ["e"], alarmMonitoring: "events", metricGates: [gate] }, false, undefined, false, ["alarmMonitoring", "metricGates"]],
  ] as const)("%s", (_, extra, realTime, monitoring, notice, refused) => {
    const input = { ...base, ...extra };
    const problems = refusal(input, realTime);
    expect((problems ?? []).map((p) => p.field)).toEqual(refused);
    if (problems) return;
    const modes = decideRunModes(input, { realTime });
    expect(modes.input).toEqual({ ...input, alarmMonitoring: monitoring });
    expect(modes.notices.length > 0).toBe(notice);
  });

  it("the notice says how often alarms are polled", () => {
    expect(decideRunModes({ ...base, alarms: ["e"], alarmPollSeconds: 15 }, { realTime: false }).notices).toEqual([
      "alarmMonitoring: polling every 15 s (run's default: a local run receives no CloudWatch alarm events; the deployed stack's default is events)",
    ]);
  });

  it("every refusal says what to do instead", () => {
    const problems = refusal({ ...base, alarms: ["e"], alarmMonitoring: "events", metricGates: [gate] }, false) ?? [];
    expect(problems[0]?.reason).toMatch(/leave the field out \(run polls by default\) or set it to "polling"$/);
    expect(problems[1]?.reason).toMatch(/add --real-time/);
  });

  it("property: a run never starts in a mode that needs what a local runner lacks, and never drops a field", () => {
    const monitoring = fc.constantFrom(undefined, "events", "polling");
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 3 }), monitoring, fc.boolean(), fc.boolean(), (alarms, alarmMonitoring, gates, realTime) => {
        const input: Record<string, unknown> = { ...base, alarms, ...(alarmMonitoring ? { alarmMonitoring } : {}), ...(gates ? { metricGates: [gate] } : {}) };
        const problems = refusal(input, realTime);
        const needsEvents = alarms.length > 0 && alarmMonitoring === "events";
        const needsRealTime = gates && !realTime;
        expect(problems !== undefined).toBe(needsEvents || needsRealTime);
        if (problems) return;
        const started = decideRunModes(input, { realTime }).input;
        expect(started).toMatchObject({ ...input, alarmMonitoring: alarmMonitoring ?? "polling" });
        expect(alarms.length > 0 && started.alarmMonitoring === "events").toBe(false);
      }),
    );
  });

  describe("deploy-server's weighted reroute (docs/ec2.md#weighted): its bakes poll in a local run", () => {
    const server = (routing: Record<string, unknown>, alarms = ["orders-5xx"]) => ({
      application: "a",
      deploymentGroup: "g",
      target: { tags: { fleet: "blue" } },
      alarms,
      blueGreen: { targetInstances: { tags: { fleet: "green" } }, trafficRouting: { prodTrafficRoute: { listenerArn: "arn" }, ...routing } },
    });
    it.each([
      ["alarms, nothing asked: polling, with a notice", server({}), "polling", true],
      ["alarms, polling asked: as asked", server({ alarmMonitoring: "polling", alarmPollSeconds: 10 }), "polling", false],
      ["no alarms: nothing to watch", server({}, []), undefined, false],
    ])("%s", (_label, input, monitoring, notice) => {
      const modes = decideRunModes(input, { realTime: true });
      expect((modes.input.blueGreen as { trafficRouting: { alarmMonitoring?: string } }).trafficRouting.alarmMonitoring).toBe(monitoring);
      expect(modes.notices.length > 0).toBe(notice);
    });
    it("events asked: refused naming the field", () => {
      expect(refusal(server({ alarmMonitoring: "events" }), true)?.map((p) => p.field)).toEqual(["blueGreen.trafficRouting.alarmMonitoring"]);
    });
  });
});
