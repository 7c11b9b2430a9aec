import { afterEach, describe, expect, it } from "vitest";
import { type EcsRun, loadEcsScenario, runEcs } from "./ecs-support.js";

/**
 * The ECS scenarios of events/ecs/scenarios on the real deploy-ecs state machine: each ends with the listeners,
 * target groups and task sets it declares, and the production listener went through the declared weights.
 */
let run: EcsRun | undefined;
afterEach(async () => {
  await run?.world.close();
  run = undefined;
});

const FILES = [
  "canary-success.json",
  "green-never-healthy.json",
  "linear-alarm-rollback.json",
  "nlb-all-at-once.json",
  "ready-wait-continued.json",
  "ready-wait-expired-continue.json",
  "ready-wait-expired-stop.json",
  "stop-during-termination-wait.json",
  "test-traffic-hook-fails.json",
];

describe.each(FILES)("deploy-ecs scenario %s", (file) => {
  it("ends as declared: status, error, events, routes, task sets, production weights", async () => {
    const s = loadEcsScenario(file);
    run = await runEcs(s);
    expect(run.report.status, `${run.report.error}: ${run.report.cause}`).toBe(s.expect.status);
    if (s.expect.error) expect(run.report.error).toBe(s.expect.error);
    expect(run.states).toEqual(s.expect.events);
    for (const [resource, weights] of Object.entries(s.expect.finalRoutes ?? {})) expect(run.routes[resource] ?? run.routeAt(resource), resource).toEqual(weights);
    expect(run.taskSets).toEqual(s.expect.taskSets);
    if (s.expect.prodWeights) expect(run.prodHistory.map((h) => h.weights["web-green"] ?? 0)).toEqual(s.expect.prodWeights);
  });
});
