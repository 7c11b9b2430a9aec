import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, simulateScenario } from "../../local/simulate/run-scenario.js";
import { loadScenario } from "../../local/simulate/scenario.js";

/**
 * Every scenario in events/scenarios runs the real deploy-lambda ASL on the local engine against
 * the simulated account, and must meet the expectation it declares (final alias, error name,
 * event states, every weight change with its simulated time).
 */
const dir = join(PROJECT_ROOT, "events", "scenarios");
const files = readdirSync(dir).filter((f) => f.endsWith(".json"));

describe("events/scenarios", () => {
  it("covers the scenarios the issue lists", () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
  });

  it.each(files)("%s meets its expectation", async (file) => {
    const scenario = loadScenario(join(dir, file));
    expect(scenario.expect, `${file} declares no expectation`).toBeDefined();
    const report = await simulateScenario(scenario);
    expect(report.expectationFailures, JSON.stringify({ error: report.error, cause: report.cause, log: report.log }, null, 1)).toEqual([]);
    // Whatever happened, the alias is whole: fully old or fully new, never split, unless the
    // operator explicitly asked to leave traffic where it was.
    if (report.error !== "Deploy.StoppedWithoutRollback") expect(report.finalAlias?.additionalVersionWeights).toEqual({});
    // The registry agrees and the target's lock is free.
    const started = report.events.length > 0;
    if (started) {
      expect(report.registry.status).toBe(report.status === "SUCCEEDED" ? "Succeeded" : report.events.at(-1)?.detail.state === "STOP" ? "Stopped" : "Failed");
      expect(report.registry.lockHolder).toBeNull();
    }
    // Exactly one terminal event when the deployment started.
    const states = report.events.map((e) => e.detail.state);
    if (states.length) expect(states.filter((s) => s !== "START")).toHaveLength(1);
  });
});
