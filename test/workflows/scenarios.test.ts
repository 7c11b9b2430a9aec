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
    // Whatever happened, the alias is whole: fully old or fully new, never split.
    expect(report.finalAlias.additionalVersionWeights).toEqual({});
    // Exactly one terminal event when the deployment started.
    const states = report.events.map((e) => e.detail.state);
    if (states.length) expect(states.filter((s) => s !== "START")).toHaveLength(1);
  });
});
