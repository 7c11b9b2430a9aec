import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEcsAdapter } from "../../../functions/adapters/ecs.js";
import type { ReleaseSource } from "../../../functions/domain/release/index.js";
import { parseReleaseSources } from "../../../functions/domain/release/index.js";
import type { ReleaseConfig, ReleaseEvent } from "../../../functions/lib/release-input.js";
import { prepareEcsRelease } from "../../../functions/services/ecs/release.js";
import { startAccount, type Harness } from "../account/helpers.js";
import { ecsClients, type EcsHarness, WEB_SETUP } from "../account/ecs-fixture.js";
import { problemsOf } from "../../support/problems.js";

/**
 * PrepareEcsRelease against the simulated ECS (in-process SDK transport): the service's PRIMARY revision registered
 * again with the pushed image pinned by digest, once per push, nothing for a digest already running, and refusals
 * that name the field before anything is registered.
 */
const DIGEST = `sha256:${"ab".repeat(32)}`;
const source = (deployment: Record<string, unknown> = {}): ReleaseSource =>
  parseReleaseSources([
    {
      name: "web",
      platform: "ecs",
      application: "web-app",
      deploymentGroup: "web-prod",
      ecr: { repository: "web", tag: "release" },
      deployment: { ecs: { cluster: "prod", service: "web", targetGroups: ["web-blue", "web-green"], prodTrafficRoute: { listenerArn: "LISTENER" }, containerName: "web", containerPort: 80 }, deploymentConfig: "CodeDeployDefault.ECSAllAtOnce", ...deployment },
    },
  ])[0] as ReleaseSource;

let h: Harness;
let x: EcsHarness;
beforeEach(async () => {
  h = await startAccount(WEB_SETUP);
  x = ecsClients(h);
});
afterEach(() => {
  x.close();
  h.close?.();
});

function run(s: ReleaseSource, digest = DIGEST) {
  const withListener = JSON.parse(JSON.stringify(s).replace('"LISTENER"', JSON.stringify(x.arn("web:80"))));
  const config: ReleaseConfig = { sources: [withListener], policy: { hookFunctionPattern: "CodeDeployHook_*", ownFunctionPrefix: "stepdeploy-", region: "us-east-1", accountId: "123456789012" } };
  const event: ReleaseEvent = { releaseId: "web-1", deploymentId: "d-RELEASE01", source: withListener, trigger: { kind: "ecr", repository: "web", digest, tag: "release" } };
  return prepareEcsRelease({ ecs: createEcsAdapter(x.ecs) }, event, config);
}

const registered = () => h.account.callCounts()["ECS.RegisterTaskDefinition"] ?? 0;

describe("PrepareEcsRelease", () => {
  it("registers the PRIMARY revision again with the pushed image pinned by digest, and the deploy-ecs input for it", async () => {
    const plan = await run(source());
    expect(plan).toMatchObject({ platform: "ecs", skip: false, taskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3" });
    expect(plan.deployment).toMatchObject({ deploymentId: "d-RELEASE01", application: "web-app", deploymentGroup: "web-prod", revision: { taskDefinition: plan.taskDefinition }, deploymentConfig: "CodeDeployDefault.ECSAllAtOnce" });
    const td = await createEcsAdapter(x.ecs).describeTaskDefinition("web:3");
    expect((td.body.containerDefinitions as { image: string }[])[0]?.image).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/web@${DIGEST}`);
    // Everything else is the running revision's.
    const running = await createEcsAdapter(x.ecs).describeTaskDefinition("web:1");
    expect({ ...td.body, containerDefinitions: running.body.containerDefinitions }).toEqual(running.body);
  });

  it("registers one revision per push: a retried step reuses it; a service already running the digest deploys nothing", async () => {
    const first = await run(source());
    const again = await run(source());
    expect([again.taskDefinition, registered()]).toEqual([first.taskDefinition, 1]);
    expect(again.notes.at(-1)).toMatch(/already is that revision .*reused/);
    // Once the service runs web:3 (the deployment made it PRIMARY), the same digest has nothing to deploy.
    const service = x.ecsWorld.service(x.ecsWorld.cluster("prod"), "web");
    const ecs = createEcsAdapter(x.ecs);
    const ts = await ecs.createTaskSet({ cluster: "prod", service: "web", taskDefinition: first.taskDefinition, externalId: "d-RELEASE01", clientToken: "t1", launchType: "FARGATE", networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1"], securityGroups: ["sg-1"] } }, loadBalancers: [{ targetGroupArn: x.tg("web-green"), containerName: "web", containerPort: 80 }], scale: { unit: "PERCENT", value: 100 } } as never);
    await ecs.updateServicePrimaryTaskSet("prod", "web", ts.id);
    expect(service).toBeDefined();
    const skip = await run(source());
    expect([skip.skip, skip.reason, registered()]).toEqual([true, expect.stringMatching(/prod\/web already runs .*web@sha256:abab/), 1]);
  });

  it.each([
    ["a deployment setting deploy-ecs refuses", source({ deploymentConfig: "CodeDeployDefault.LambdaAllAtOnce" }), "release source 'web' deployment deploymentConfig"],
    ["a container the task definition does not have", source({ ecs: { cluster: "prod", service: "web", targetGroups: ["web-blue", "web-green"], prodTrafficRoute: { listenerArn: "LISTENER" }, containerName: "api", containerPort: 80 } }), "web.deployment.ecs.containerName: task definition arn:aws:ecs:us-east-1:123456789012:task-definition/web:1 has no container api"],
  ])("refuses %s before registering anything, naming the field", async (_what, s, problem) => {
    const error = await run(s).catch((e: Error) => e);
    expect(problemsOf("Release.InvalidConfiguration", () => { throw error; }).join("\n")).toContain(problem);
    expect(registered()).toBe(0);
  });
});
