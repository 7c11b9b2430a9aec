import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createEcsAdapter } from "../../../functions/adapters/ecs.js";
import { createElbv2Adapter } from "../../../functions/adapters/elbv2.js";
import { ECS_HOOK_EVENTS, ecsLifecycle, hooksThatRun, parseBlueGreen, parseEcsRevision, parseEcsTarget, resolveEcsConfig } from "../../../functions/domain/ecs/index.js";
import { planEcsDeployment } from "../../../functions/services/ecs/plan.js";
import { type EcsHarness, ecsClients } from "../account/ecs-fixture.js";
import { type Harness, startAccount } from "../account/helpers.js";

/**
 * The ECS scenarios' worlds agree with their inputs: the account builds, the timeline applies, the input's
 * target, revision, options and config are valid, every hook that would run exists, and the deployment's
 * plan (everything decided before a change) succeeds against the world.
 */
const DIR = join(import.meta.dirname, "../../../events/ecs/scenarios");
const scenarios = readdirSync(DIR).filter((f) => f.endsWith(".json")).map((f) => JSON.parse(readFileSync(join(DIR, f), "utf8")));
const hookKey = (event: string) => event[0]?.toLowerCase() + event.slice(1);

let h: Harness | undefined;
let x: EcsHarness | undefined;
afterEach(async () => {
  x?.close();
  await h?.close();
});

describe.each(scenarios.map((s) => [s.name, s]))("%s", (_name, s) => {
  it("builds its world and plans its deployment from it", async () => {
    expect(s.machine).toBe("deploy-ecs");
    h = await startAccount(s.account);
    h.account.applyTimeline(s.timeline ?? []);
    x = ecsClients(h);
    const target = parseEcsTarget(s.input.ecs);
    const { revision } = parseEcsRevision(s.input.revision);
    const blueGreen = parseBlueGreen(s.input.blueGreen);
    resolveEcsConfig(s.input.deploymentConfig);
    const hooks = Object.fromEntries(ECS_HOOK_EVENTS.flatMap((e) => (s.input.hooks?.[hookKey(e)] ? [[e, s.input.hooks[hookKey(e)]]] : [])));
    for (const { hook } of hooksThatRun(ecsLifecycle({ hooks, hasTestRoute: Boolean(target.testTrafficRoute), blueGreen }))) {
      expect(h.account.lambda.get(hook)).toBeDefined();
    }
    const plan = await planEcsDeployment({ loadBalancer: createElbv2Adapter(x.elbv2), ecs: createEcsAdapter(x.ecs) }, { deploymentId: "d-SCENARIO1", target, revision });
    expect([plan.blue, plan.green].map((a) => a.split("/")[1])).toEqual(["web-blue", "web-green"]);
    expect(plan.taskDefinitionArn).toMatch(/task-definition\/web:2$/);
  });
});
