import { describe, expect, it } from "vitest";
import { simulateScenario } from "../../local/simulate/run-scenario.js";
import { loadScenario } from "../../local/simulate/scenario.js";
import { cli } from "../support/cli.js";

/**
 * `stepdeploy simulate events/ecs/scenarios/<x>.json` reports an ECS run as it reports a Lambda one: a live timeline
 * (listener weights and task set changes beside hooks, alarms and events), the routes and task sets at the end instead
 * of an alias, and the scenario's ECS expectations (finalRoutes, taskSets, prodWeights) checked.
 */
describe("stepdeploy simulate on ECS scenarios", () => {
  it("prints every weight change and task set change in time order, the routes and task sets at the end, and checks the expectation", async () => {
    const r = await cli("simulate", "events/ecs/scenarios/canary-success.json");
    expect(r.code, r.stderr).toBe(0);
    const traffic = r.stdout.split("\n").filter((l) => / (traffic|world) /.test(l));
    expect(traffic.map((l) => l.replace(/^ +t\+ +/, ""))).toEqual([
      "00:00  traffic  web:80 -> web-blue 100, web-green 0",
      "00:00  world    CreateTaskSet prod/web web:2 at 100% -> web-green",
      "00:35  traffic  web:8080 -> web-blue 0, web-green 100",
      "01:00  traffic  web:80 -> web-blue 90, web-green 10",
      "06:00  traffic  web:80 -> web-blue 0, web-green 100",
      "11:05  world    UpdateServicePrimaryTaskSet prod/web web:2 is primary",
      "11:05  world    DeleteTaskSet prod/web web:1 draining until 695 s",
    ]);
    expect(r.stdout).toMatch(/route +web:80 -> \{"web-blue":0,"web-green":100\} \(production\)/);
    expect(r.stdout).toMatch(/task sets web:2 PRIMARY/);
    expect(r.stdout).not.toMatch(/alias|missing/);
    expect(r.stdout).toMatch(/expect +met/);
  });

  it("an expectation the run does not meet is named: routes, task sets and production weights", async () => {
    const s = loadScenario("events/ecs/scenarios/linear-alarm-rollback.json");
    const report = await simulateScenario({
      ...s,
      expect: { ...(s.expect as NonNullable<typeof s.expect>), finalRoutes: { "web:80": { "web-blue": 0, "web-green": 100 } }, taskSets: [{ status: "PRIMARY", taskDefinition: "web:2" }], prodWeights: [0, 100] },
    });
    expect(report.ecs?.prodRoute).toBe("web:80");
    expect(report.timeline.map((t) => t.weight)).toEqual(report.ecs?.prodWeights.map((w) => w.weight));
    expect(report.expectationFailures).toEqual([
      'finalRoutes web:80: expected {"web-blue":0,"web-green":100}, got {"web-blue":100,"web-green":0}',
      'taskSets: expected [{"status":"PRIMARY","taskDefinition":"web:2"}], got [{"status":"PRIMARY","taskDefinition":"web:1"}]',
      `prodWeights: expected [0,100], got ${JSON.stringify(report.ecs?.prodWeights.map((w) => w.weight))}`,
    ]);
  });
});
