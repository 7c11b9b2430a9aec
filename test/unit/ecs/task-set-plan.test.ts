import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { installClientToken, parseEcsTarget, planTaskSet } from "../../../functions/domain/ecs/index.js";
import { GREEN, TARGET_INPUT, TD } from "./fixtures.js";

const target = parseEcsTarget(TARGET_INPUT);
const network = { subnets: ["subnet-1"], securityGroups: ["sg-1"], assignPublicIp: "DISABLED" as const };
const original = { launchType: "FARGATE", platformVersion: "1.4.0", networkConfiguration: { awsvpcConfiguration: network } };
const plan = (revision: object, orig: object = original) => planTaskSet({ target, revision: { taskDefinition: TD, ...revision }, taskDefinitionArn: TD, greenTargetGroupArn: GREEN, original: orig, deploymentId: "d-ABCDEF123" });

describe("planTaskSet", () => {
  it("creates the replacement at 100% on the green target group, with the original's network, launch type and platform", () => {
    expect(plan({})).toEqual({
      cluster: "prod",
      service: "web",
      taskDefinition: TD,
      externalId: "d-ABCDEF123",
      clientToken: "d-ABCDEF123-install",
      loadBalancers: [{ targetGroupArn: GREEN, containerName: "web", containerPort: 80 }],
      networkConfiguration: { awsvpcConfiguration: network },
      launchType: "FARGATE",
      platformVersion: "1.4.0",
      scale: { value: 100, unit: "PERCENT" },
    });
  });

  it("takes the revision's container, network, platform version and capacity providers over the group's and the original's", () => {
    const p = plan({ containerName: "api", containerPort: 8080, platformVersion: "LATEST", networkConfiguration: { subnets: ["subnet-2"] }, capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] });
    expect(p.loadBalancers).toEqual([{ targetGroupArn: GREEN, containerName: "api", containerPort: 8080 }]);
    expect([p.networkConfiguration, p.platformVersion, p.capacityProviderStrategy, p.launchType]).toEqual([{ awsvpcConfiguration: { subnets: ["subnet-2"] } }, "LATEST", [{ capacityProvider: "FARGATE_SPOT", weight: 1 }], undefined]);
  });

  it("keeps the original's capacity provider strategy rather than its launch type", () => {
    const p = plan({}, { capacityProviderStrategy: [{ capacityProvider: "FARGATE", base: 1 }] });
    expect([p.capacityProviderStrategy, p.launchType, p.networkConfiguration]).toEqual([[{ capacityProvider: "FARGATE", base: 1 }], undefined, undefined]);
  });

  it("needs a container from the revision or the group", () => {
    const bare = parseEcsTarget({ ...TARGET_INPUT, containerName: undefined, containerPort: undefined });
    expect(() => planTaskSet({ target: bare, revision: { taskDefinition: TD }, taskDefinitionArn: TD, greenTargetGroupArn: GREEN, original, deploymentId: "d-1" })).toThrow(
      "revision.containerName: is required: the appspec's LoadBalancerInfo.ContainerName or the group's containerName; revision.containerPort: is required",
    );
  });

  it("derives a client token ECS accepts (at most 36 characters), one per deployment", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^d-[A-Z0-9]{9}$/), fc.stringMatching(/^d-[A-Z0-9]{9}$/), (a, b) => {
        expect(installClientToken(a).length).toBeLessThanOrEqual(36);
        expect(installClientToken(a) === installClientToken(b)).toBe(a === b);
      }),
    );
  });
});
