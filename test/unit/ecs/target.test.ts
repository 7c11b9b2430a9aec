import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ecsLockKeys, parseEcsTarget } from "../../../functions/domain/ecs/index.js";
import { LISTENER, NLB_LISTENER, RULE, TARGET_INPUT, TEST_LISTENER, problemsOf } from "./fixtures.js";

describe("parseEcsTarget", () => {
  it("takes a service, a target group pair, a production listener and a test listener", () => {
    expect(parseEcsTarget(TARGET_INPUT)).toEqual({ kind: "ecs-service", ...TARGET_INPUT, targetGroups: ["web-blue", "web-green"] });
  });

  it("takes ARNs for the cluster, the service and the target groups, and a listener rule as the production route", () => {
    const t = parseEcsTarget({
      cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/prod",
      service: "arn:aws:ecs:us-east-1:123456789012:service/prod/web",
      targetGroups: ["arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/6d0ecf831eec9f09", "web-green"],
      prodTrafficRoute: { ruleArn: RULE },
    });
    expect([t.cluster, t.service, t.prodTrafficRoute, t.testTrafficRoute]).toEqual(["prod", "web", { ruleArn: RULE }, undefined]);
  });

  it.each([
    ["no target groups", { ...TARGET_INPUT, targetGroups: undefined }, "ecs.targetGroups: must list exactly two target groups"],
    ["one target group", { ...TARGET_INPUT, targetGroups: ["web-blue"] }, "ecs.targetGroups: must list exactly two"],
    ["the same target group twice", { ...TARGET_INPUT, targetGroups: ["web-blue", "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/6d0ecf831eec9f09"] }, "ecs.targetGroups: must be two different target groups"],
    ["a target group name with a space", { ...TARGET_INPUT, targetGroups: ["web blue", "web-green"] }, "ecs.targetGroups[0]: must be a target group name"],
    ["no production route", { ...TARGET_INPUT, prodTrafficRoute: undefined }, "ecs.prodTrafficRoute: is required"],
    ["a route with both forms", { ...TARGET_INPUT, prodTrafficRoute: { listenerArn: LISTENER, ruleArn: RULE } }, "ecs.prodTrafficRoute: must have exactly one of listenerArn, ruleArn"],
    ["a target group ARN as listener", { ...TARGET_INPUT, prodTrafficRoute: { listenerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/6d0ecf831eec9f09" } }, "ecs.prodTrafficRoute.listenerArn: must be an ELBv2 listener ARN"],
    ["a Network Load Balancer rule", { ...TARGET_INPUT, prodTrafficRoute: { ruleArn: RULE.replace("/app/", "/net/") } }, "Network Load Balancers have no listener rules"],
    ["the same route for test and production", { ...TARGET_INPUT, testTrafficRoute: { listenerArn: LISTENER } }, "ecs.testTrafficRoute: must differ from prodTrafficRoute"],
    ["routes on different load balancer types", { ...TARGET_INPUT, testTrafficRoute: { listenerArn: NLB_LISTENER } }, "ecs.testTrafficRoute: must be on the same load balancer"],
    ["a service of another cluster", { ...TARGET_INPUT, service: "arn:aws:ecs:us-east-1:123456789012:service/staging/web" }, "ecs.service: is a service of cluster staging, not prod"],
    ["a port out of range", { ...TARGET_INPUT, containerPort: 70000 }, "ecs.containerPort: must be a whole number from 1 to 65535"],
    ["an unknown field", { ...TARGET_INPUT, listener: LISTENER }, "ecs.listener: unknown field"],
  ])("refuses %s, naming the field", (_what, input, problem) => {
    expect(problemsOf(() => parseEcsTarget(input)).join("\n")).toContain(problem);
  });

  it("reports every problem at once", () => {
    expect(problemsOf(() => parseEcsTarget({ cluster: 1, service: "", targetGroups: [] })).map((p) => p.split(":")[0])).toEqual(["ecs.cluster", "ecs.service", "ecs.targetGroups", "ecs.prodTrafficRoute"]);
  });
});

describe("ecsLockKeys", () => {
  it("locks the service and every route the deployment moves", () => {
    expect(ecsLockKeys(parseEcsTarget(TARGET_INPUT))).toEqual(["ecs:prod/web", `elbv2:${LISTENER}`, `elbv2:${TEST_LISTENER}`]);
    expect(ecsLockKeys(parseEcsTarget({ ...TARGET_INPUT, testTrafficRoute: undefined, prodTrafficRoute: { ruleArn: RULE } }))).toEqual(["ecs:prod/web", `elbv2:${RULE}`]);
  });

  it("gives the same keys for a service named by name or by ARN", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z0-9_-]{1,20}$/), fc.stringMatching(/^[a-zA-Z0-9_-]{1,20}$/), (cluster, service) => {
        const byName = parseEcsTarget({ ...TARGET_INPUT, cluster, service });
        const byArn = parseEcsTarget({ ...TARGET_INPUT, cluster: `arn:aws:ecs:us-east-1:123456789012:cluster/${cluster}`, service: `arn:aws:ecs:us-east-1:123456789012:service/${cluster}/${service}` });
        expect(ecsLockKeys(byArn)).toEqual(ecsLockKeys(byName));
      }),
    );
  });
});
