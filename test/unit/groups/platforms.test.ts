import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValidationErrors } from "../../../functions/domain/errors.js";
import { parseDeployEcsInput } from "../../../functions/domain/ecs/input.js";
import { parseServerInput } from "../../../functions/domain/fleet/input.js";
import {
  deployInputOf,
  ecsDeployInputOf,
  findGroup,
  parseGroupDeployment,
  parseGroups,
  revisionProblems,
  serverDeployInputOf,
} from "../../../functions/domain/groups/index.js";

/** ECS and Server deployment groups (docs/groups.md): CodeDeploy's fields, validated, and expanded into the deploy-ecs and deploy-server inputs. */
const PROD = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2";
const TEST = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65";
const ecsGroup = (over: Record<string, unknown> = {}) => ({
  ecsServices: [{ clusterName: "prod", serviceName: "web" }],
  loadBalancerInfo: { targetGroupPairInfoList: [{ targetGroups: [{ name: "web-blue" }, { name: "web-green" }], prodTrafficRoute: { listenerArns: [PROD] }, testTrafficRoute: { listenerArns: [TEST] } }] },
  ...over,
});
const serverGroup = (over: Record<string, unknown> = {}) => ({ ec2TagFilters: [{ Key: "app", Value: "orders", Type: "KEY_AND_VALUE" }], ...over });
const doc = (platform: string, groups: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ applications: { app: { computePlatform: platform, deploymentGroups: groups } }, ...extra });

function problems(raw: unknown): { field: string; reason: string }[] {
  try {
    parseGroups(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationErrors);
    return (e as ValidationErrors).problems;
  }
  return [];
}

function refusal(fn: () => unknown): ValidationErrors {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationErrors);
    return e as ValidationErrors;
  }
  throw new Error("expected a refusal");
}

describe("ECS deployment groups", () => {
  it("hold CodeDeploy's ECS fields in the shape deploy-ecs takes them, with ECS defaults", () => {
    const g = findGroup(parseGroups(doc("ECS", { web: ecsGroup() })), "app", "web");
    expect(g).toMatchObject({
      computePlatform: "ECS",
      deploymentConfigName: "CodeDeployDefault.ECSAllAtOnce",
      ecs: { cluster: "prod", service: "web", targetGroups: ["web-blue", "web-green"], prodTrafficRoute: { listenerArn: PROD }, testTrafficRoute: { listenerArn: TEST } },
      blueGreen: { terminationWaitMinutes: 0 },
      hooks: {},
    });
  });

  it.each([
    [{ ecsServices: [] }, "ecsServices", "exactly one service"],
    [{ ecsServices: [{ clusterName: "prod", serviceName: "web/x" }] }, "ecsServices[0].serviceName", "1-255 of A-Z a-z 0-9 _ -"],
    [{ loadBalancerInfo: { targetGroupPairInfoList: [{ targetGroups: [{ name: "a" }], prodTrafficRoute: { listenerArns: [PROD] } }] } }, "loadBalancerInfo.targetGroupPairInfoList[0].targetGroups", "exactly two target groups"],
    [{ loadBalancerInfo: { targetGroupPairInfoList: [{ targetGroups: [{ name: "a" }, { name: "a" }], prodTrafficRoute: { listenerArns: [PROD] } }] } }, "loadBalancerInfo.targetGroupPairInfoList[0].targetGroups[1].name", "must differ"],
    [{ loadBalancerInfo: { targetGroupPairInfoList: [{ targetGroups: [{ name: "a" }, { name: "b" }], prodTrafficRoute: { listenerArns: ["listener-80"] } }] } }, "loadBalancerInfo.targetGroupPairInfoList[0].prodTrafficRoute.listenerArns[0]", "ELBv2 listener ARN"],
    [{ loadBalancerInfo: { targetGroupPairInfoList: [{ targetGroups: [{ name: "a" }, { name: "b" }], prodTrafficRoute: { listenerArns: [PROD] }, testTrafficRoute: { listenerArns: [PROD] } }] } }, "loadBalancerInfo.targetGroupPairInfoList[0].testTrafficRoute.listenerArns[0]", "must differ from the production listener"],
    [{ blueGreenDeploymentConfiguration: { terminateBlueInstancesOnDeploymentSuccess: { action: "KEEP_ALIVE" } } }, "blueGreenDeploymentConfiguration.terminateBlueInstancesOnDeploymentSuccess.action", "KEEP_ALIVE is for EC2 fleets"],
    [{ blueGreenDeploymentConfiguration: { terminateBlueInstancesOnDeploymentSuccess: { terminationWaitTimeInMinutes: 2881 } } }, "blueGreenDeploymentConfiguration.terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes", "from 0 to 2880"],
    [{ blueGreenDeploymentConfiguration: { deploymentReadyOption: { actionOnTimeout: "STOP_DEPLOYMENT" } } }, "blueGreenDeploymentConfiguration.deploymentReadyOption.waitTimeInMinutes", "1 or more with STOP_DEPLOYMENT"],
    [{ deploymentStyle: { deploymentType: "IN_PLACE", deploymentOption: "WITH_TRAFFIC_CONTROL" } }, "deploymentStyle.deploymentType", "must be BLUE_GREEN"],
    [{ deploymentConfigName: "CodeDeployDefault.LambdaAllAtOnce" }, "deploymentConfigName", "is a Lambda config"],
    [{ deploymentConfigName: "CodeDeployDefault.OneAtATime" }, "deploymentConfigName", "OneAtATime"],
    [{ hooks: { beforeInstall: "CodeDeployHook_x", applicationStart: "y" } }, "hooks.applicationStart", "unknown field"],
    // A Lambda group's field on an ECS group is named as such.
    [{ target: { functionName: "orders", alias: "live" } }, "target", "is a field of Lambda deployment groups, not of ECS ones"],
    [{ ec2TagFilters: [] }, "ec2TagFilters", "is a field of Server deployment groups, not of ECS ones"],
  ])("refuses %j naming %s", (over, field, reason) => {
    const found = problems(doc("ECS", { web: ecsGroup(over) }));
    expect(found).toContainEqual({ field: `applications.app.deploymentGroups.web.${field}`, reason: expect.stringContaining(reason) });
  });

  it("an ECS field on a Lambda group is named as such; a Lambda config on an ECS group, an ECS one on a Lambda group, a service in two groups", () => {
    expect(problems(doc("Lambda", { live: { target: { functionName: "orders", alias: "live" }, ecsServices: [] } }))).toEqual([
      { field: "applications.app.deploymentGroups.live.ecsServices", reason: expect.stringContaining("is a field of ECS deployment groups, not of Lambda ones") },
    ]);
    expect(problems(doc("Lambda", { live: { target: { functionName: "orders", alias: "live" }, deploymentConfigName: "CodeDeployDefault.ECSAllAtOnce" } }))).toEqual([
      { field: "applications.app.deploymentGroups.live.deploymentConfigName", reason: expect.stringContaining("is an ECS config") },
    ]);
    expect(problems(doc("ECS", { a: ecsGroup(), b: ecsGroup() }))).toEqual([{ field: "applications.app.deploymentGroups.b.ecsServices", reason: expect.stringContaining("ecs:prod/web is already the service of app/a") }]);
  });

  it("property: every valid ECS group expands, with any AppSpec, into an input deploy-ecs accepts with the group's service, routes and waits", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("CodeDeployDefault.ECSAllAtOnce", "CodeDeployDefault.ECSCanary10Percent5Minutes", "CodeDeployDefault.ECSLinear10PercentEvery1Minutes", "Custom"),
        fc.integer({ min: 0, max: 2880 }),
        fc.option(fc.record({ actionOnTimeout: fc.constantFrom("CONTINUE_DEPLOYMENT", "STOP_DEPLOYMENT"), waitTimeInMinutes: fc.integer({ min: 1, max: 7200 }) }), { nil: undefined }),
        fc.boolean(),
        fc.integer({ min: 1, max: 99 }),
        (config, termination, ready, withTest, revision) => {
          const group = ecsGroup({
            deploymentConfigName: config,
            blueGreenDeploymentConfiguration: { terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: termination }, ...(ready ? { deploymentReadyOption: ready } : {}) },
            hooks: { afterInstall: "CodeDeployHook_after" },
          });
          if (!withTest) (group.loadBalancerInfo.targetGroupPairInfoList[0] as Record<string, unknown>).testTrafficRoute = undefined;
          const groups = parseGroups(doc("ECS", { web: group }, { deploymentConfigs: { Custom: { trafficRoutingConfig: { type: "TimeBasedLinear", timeBasedLinear: { linearPercentage: 25, linearInterval: 1 } } } } }));
          const appspec = `version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: web:${revision}\n        LoadBalancerInfo: { ContainerName: web, ContainerPort: 80 }\nHooks:\n  - BeforeInstall: CodeDeployHook_before\n`;
          const request = parseGroupDeployment({ application: "app", deploymentGroup: "web", revision: { appSpecContent: appspec } });
          const input = parseDeployEcsInput(ecsDeployInputOf(groups, findGroup(groups, "app", "web") as never, request, appspec));
          expect(input.target).toMatchObject({ cluster: "prod", service: "web", targetGroups: ["web-blue", "web-green"], prodTrafficRoute: { listenerArn: PROD } });
          expect(input.target.testTrafficRoute).toEqual(withTest ? { listenerArn: TEST } : undefined);
          expect(input.revision.taskDefinition).toBe(`web:${revision}`);
          expect(input.blueGreen.terminationWaitMinutes).toBe(termination);
          expect(input.blueGreen.readyWait).toEqual(ready ? { waitMinutes: ready.waitTimeInMinutes, actionOnTimeout: ready.actionOnTimeout } : undefined);
          // The group's hook and the AppSpec's, side by side.
          expect(input.hooks).toEqual({ AfterInstall: "CodeDeployHook_after", BeforeInstall: "CodeDeployHook_before" });
          expect(input.deploymentConfig).toEqual(config === "Custom" ? groups.deploymentConfigs.Custom : config);
        },
      ),
    );
  });

  it.each([
    [{ targetVersion: "4" }, "revision.targetVersion", "is for Lambda groups"],
  ])("refuses the revision %j of an ECS group naming %s", (revision, field, reason) => {
    const groups = parseGroups(doc("ECS", { web: ecsGroup() }));
    const g = findGroup(groups, "app", "web");
    const e = refusal(() => ecsDeployInputOf(groups, g as never, parseGroupDeployment({ application: "app", deploymentGroup: "web", revision }), ""));
    expect([e.name, e.problems]).toEqual(["Deploy.InvalidRevision", [{ field, reason: expect.stringContaining(reason) }]]);
  });

  it("an ECS group sent to deploy-lambda names the machine to start", () => {
    const groups = parseGroups(doc("ECS", { web: ecsGroup() }));
    const e = refusal(() => deployInputOf(groups, findGroup(groups, "app", "web"), parseGroupDeployment({ application: "app", deploymentGroup: "web", revision: { appSpecContent: "x" } }), "x"));
    expect(e.problems).toEqual([{ field: "deploymentGroup", reason: "app/web is an ECS group: start the deploy-ecs state machine, not deploy-lambda" }]);
  });
});

const BG = { deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" }, blueGreenDeploymentConfiguration: { greenFleetProvisioningOption: { action: "DISCOVER_EXISTING" } } };
const LISTENER = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/orders/0a0b0c0d0e0f1011/1213141516171819";
const PAIR = { targetGroups: [{ name: "orders-blue" }, { name: "orders-green" }], prodTrafficRoute: { listenerArns: [LISTENER] } };

describe("Server deployment groups", () => {
  it("find instances by EC2 tags, on-premises tags and Auto Scaling group names; default OneAtATime", () => {
    const groups = parseGroups(doc("Server", { fleet: serverGroup({ onPremisesInstanceTagFilters: [{ Key: "site", Type: "KEY_ONLY" }], autoScalingGroups: ["orders-asg"] }) }));
    const g = findGroup(groups, "app", "fleet");
    expect(g.deploymentConfigName).toBe("CodeDeployDefault.OneAtATime");
    const request = parseGroupDeployment({ application: "app", deploymentGroup: "fleet", revision: { s3: { bucket: "b", key: "r.zip", bundleType: "zip" } } });
    const input = parseServerInput(serverDeployInputOf(groups, g as never, request, "d-ABCDEFGHI"));
    expect(input).toMatchObject({
      deploymentId: "d-ABCDEFGHI",
      deploymentGroupId: g.id,
      target: {
        tagFilters: [
          { Key: "app", Value: "orders", Type: "KEY_AND_VALUE" },
          { Key: "site", Type: "KEY_ONLY" },
          { Key: "aws:autoscaling:groupName", Value: "orders-asg", Type: "KEY_AND_VALUE" },
        ],
      },
      revision: { bucket: "b", key: "r.zip", bundleType: "zip" },
      config: { config: "CodeDeployDefault.OneAtATime" },
    });
    expect(input.revision.eTag).toBeUndefined();
  });

  it.each([
    [{ ec2TagFilters: undefined }, "", "names no instances"],
    [{ ec2TagFilters: [{ Key: "app" }] }, ".ec2TagFilters[0].Value", "is required with KEY_AND_VALUE"],
    [{ ec2TagFilters: [{ Key: "app", Value: "x", Type: "VALUE_ONLY" }] }, ".ec2TagFilters[0].Type", "VALUE_ONLY is not supported"],
    [{ deploymentConfigName: "CodeDeployDefault.ECSAllAtOnce" }, ".deploymentConfigName", "unknown Server deployment config"],
    [{ deploymentConfigName: "Canary" }, ".deploymentConfigName", "traffic routing applies only to Lambda and ECS"],
    [{ deploymentStyle: { deploymentType: "CANARY", deploymentOption: "WITHOUT_TRAFFIC_CONTROL" } }, ".deploymentStyle.deploymentType", "must be IN_PLACE or BLUE_GREEN"],
    [{ deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" } }, ".loadBalancerInfo", "is required with BLUE_GREEN"],
    [{ blueGreenDeploymentConfiguration: {} }, ".blueGreenDeploymentConfiguration", "goes with deploymentStyle.deploymentType BLUE_GREEN"],
    [{ deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" }, loadBalancerInfo: { targetGroupInfoList: [{ name: "web" }] }, blueGreenDeploymentConfiguration: { terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: 3000 } } }, ".blueGreenDeploymentConfiguration.terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes", "from 0 to 2880"],
    [{ loadBalancerInfo: {} }, ".loadBalancerInfo.targetGroupInfoList", "is required (or elbInfoList"],
    [{ loadBalancerInfo: { targetGroupInfoList: "web" } }, ".loadBalancerInfo.targetGroupInfoList", "must be a list of {name}"],
    [{ loadBalancerInfo: { targetGroupInfoList: [] } }, ".loadBalancerInfo.targetGroupInfoList", "1-10 target groups"],
    [{ loadBalancerInfo: { targetGroupInfoList: [{ name: "web" }, { name: "web" }] } }, ".loadBalancerInfo.targetGroupInfoList", "twice"],
    [{ loadBalancerInfo: { elbInfoList: [{ name: "classic" }, { name: "classic" }] } }, ".loadBalancerInfo.elbInfoList", "twice"],
    [{ loadBalancerInfo: { elbInfoList: [{ name: "-classic" }] } }, ".loadBalancerInfo.elbInfoList[0].name", "Classic Load Balancer name"],
    [{ ...BG, loadBalancerInfo: { targetGroupPairInfoList: [PAIR], elbInfoList: [{ name: "classic" }] } }, ".loadBalancerInfo.targetGroupPairInfoList", "goes alone"],
    [{ loadBalancerInfo: { targetGroupPairInfoList: [] } }, ".loadBalancerInfo.targetGroupPairInfoList", "exactly one target group pair"],
    [{ loadBalancerInfo: { targetGroupPairInfoList: [PAIR] } }, ".loadBalancerInfo.targetGroupPairInfoList", "is for ECS and BLUE_GREEN EC2 groups"],
    [{ ...BG, loadBalancerInfo: { targetGroupPairInfoList: [PAIR, PAIR] } }, ".loadBalancerInfo.targetGroupPairInfoList", "exactly one target group pair"],
    [{ ...BG, loadBalancerInfo: { targetGroupPairInfoList: [{ ...PAIR, targetGroups: [{ name: "orders-blue" }] }] } }, ".loadBalancerInfo.targetGroupPairInfoList[0].targetGroups", "exactly two target groups"],
    [{ ...BG, loadBalancerInfo: { targetGroupPairInfoList: [{ ...PAIR, targetGroups: [{ name: "orders-blue" }, { name: "orders-blue" }] }] } }, ".loadBalancerInfo.targetGroupPairInfoList[0].targetGroups[1].name", "must differ"],
    [{ ...BG, loadBalancerInfo: { targetGroupPairInfoList: [{ ...PAIR, prodTrafficRoute: { listenerArns: ["orders"] } }] } }, ".loadBalancerInfo.targetGroupPairInfoList[0].prodTrafficRoute.listenerArns[0]", "listener ARN"],
    [{ ...BG, loadBalancerInfo: { targetGroupPairInfoList: [{ ...PAIR, testTrafficRoute: { listenerArns: [`${LISTENER.slice(0, -1)}9`] } }] } }, ".loadBalancerInfo.targetGroupPairInfoList[0].testTrafficRoute", "moves the production route only"],
    [{ ...BG, loadBalancerInfo: { targetGroupPairInfoList: [PAIR], targetGroupInfoList: [{ name: "web" }] } }, ".loadBalancerInfo.targetGroupPairInfoList", "goes alone"],
    [{ ...BG, loadBalancerInfo: { targetGroupPairInfoList: [PAIR] }, trafficRoutingConfigName: "CodeDeployDefault.HalfAtATime" }, ".trafficRoutingConfigName", "is an EC2/on-premises (Server) config"],
    [{ ...BG, loadBalancerInfo: { targetGroupPairInfoList: [PAIR] }, trafficRoutingConfigName: "Most90" }, ".trafficRoutingConfigName", "Most90 is a Server config"],
    [{ ...BG, loadBalancerInfo: { targetGroupPairInfoList: [PAIR] }, trafficRoutingConfigName: "CodeDeployDefault.LambdaCanary10Percent5Minutes" }, ".trafficRoutingConfigName", "Lambda"],
    [{ ...BG, loadBalancerInfo: { targetGroupInfoList: [{ name: "web" }] }, trafficRoutingConfigName: "CodeDeployDefault.ECSAllAtOnce" }, ".trafficRoutingConfigName", "goes with loadBalancerInfo.targetGroupPairInfoList"],
    [{ loadBalancerInfo: { targetGroupInfoList: [{ name: "web" }] }, alarmMonitoring: "polling" }, ".alarmMonitoring", "goes with loadBalancerInfo.targetGroupPairInfoList"],
    [{ ...BG, loadBalancerInfo: { targetGroupPairInfoList: [PAIR] }, metricGates: [{ name: "e", lambdaErrorRatePercent: 5 }] }, ".metricGates[0].lambdaErrorRatePercent", "measures a Lambda version"],
    [{ ...BG, loadBalancerInfo: { targetGroupPairInfoList: [PAIR] }, metricGates: [{ name: "e", metric: { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", stat: "Sum" }, threshold: 1, comparison: "GreaterThanThreshold", intervalSeconds: 10 }] }, ".metricGates[0].intervalSeconds", "from 60"],
    [{ deploymentStyle: { deploymentType: "IN_PLACE", deploymentOption: "WITH_TRAFFIC_CONTROL" } }, ".loadBalancerInfo", "is required with WITH_TRAFFIC_CONTROL"],
    [{ deploymentStyle: { deploymentType: "IN_PLACE", deploymentOption: "WITHOUT_TRAFFIC_CONTROL" }, loadBalancerInfo: { targetGroupInfoList: [{ name: "web" }] } }, ".deploymentStyle.deploymentOption", "yet loadBalancerInfo names target groups"],
    [{ triggerConfigurations: [] }, ".triggerConfigurations", "is a field of Lambda and ECS deployment groups, not of Server ones"],
  ])("refuses %j naming the field", (over, field, reason) => {
    const found = problems(doc("Server", { fleet: serverGroup(over) }, { deploymentConfigs: { Canary: { trafficRoutingConfig: { type: "AllAtOnce" } }, Most90: { minimumHealthyHosts: { type: "FLEET_PERCENT", value: 90 } } } }));
    expect(found).toContainEqual({ field: `applications.app.deploymentGroups.fleet${field}`, reason: expect.stringContaining(reason) });
  });

  it.each([
    ["loadBalancerInfo alone (traffic control implied)", { loadBalancerInfo: { targetGroupInfoList: [{ name: "orders-web" }, { name: "orders-api" }] } }, ["orders-web", "orders-api"]],
    ["WITH_TRAFFIC_CONTROL and loadBalancerInfo", { loadBalancerInfo: { targetGroupInfoList: [{ name: "orders-web" }] }, deploymentStyle: { deploymentType: "IN_PLACE", deploymentOption: "WITH_TRAFFIC_CONTROL" } }, ["orders-web"]],
    ["no load balancer", { deploymentStyle: { deploymentType: "IN_PLACE", deploymentOption: "WITHOUT_TRAFFIC_CONTROL" } }, []],
    ["Classic Load Balancers (elbInfoList) only", { loadBalancerInfo: { elbInfoList: [{ name: "orders-classic" }] } }, [], ["orders-classic"]],
    ["both lists, as CodeDeploy takes them", { loadBalancerInfo: { targetGroupInfoList: [{ name: "orders-web" }], elbInfoList: [{ name: "orders-classic" }, { name: "orders-old" }] } }, ["orders-web"], ["orders-classic", "orders-old"]],
    ["BLUE_GREEN behind a Classic Load Balancer only", { ...BG, loadBalancerInfo: { elbInfoList: [{ name: "orders-classic" }] } }, [], ["orders-classic"]],
    ["BLUE_GREEN behind both", { ...BG, loadBalancerInfo: { targetGroupInfoList: [{ name: "orders-web" }], elbInfoList: [{ name: "orders-classic" }] } }, ["orders-web"], ["orders-classic"]],
  ])("%s: the deploy-server input carries the target groups and Classic Load Balancers", (_label, over, targetGroups, classic: string[] = []) => {
    const groups = parseGroups(doc("Server", { fleet: serverGroup(over) }));
    const green = "deploymentStyle" in over && over.deploymentStyle.deploymentType === "BLUE_GREEN" ? { targetInstances: { tagFilters: [{ Key: "fleet", Value: "green" }] } } : {};
    const request = parseGroupDeployment({ application: "app", deploymentGroup: "fleet", revision: { s3: { bucket: "b", key: "r.zip", bundleType: "zip" } }, ...green });
    const input = parseServerInput(serverDeployInputOf(groups, findGroup(groups, "app", "fleet") as never, request, "d-ABCDEFGHI"));
    expect([input.targetGroups, input.classicLoadBalancers]).toEqual([targetGroups, classic]);
  });

  it("a BLUE_GREEN group: DISCOVER_EXISTING takes the deployment's targetInstances as green, COPY_AUTO_SCALING_GROUP its Auto Scaling group; targetInstances on an in-place group is refused", () => {
    const bg = { deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" }, loadBalancerInfo: { targetGroupInfoList: [{ name: "orders-web" }] } };
    const groups = parseGroups(
      doc("Server", {
        discover: serverGroup({ ...bg, blueGreenDeploymentConfiguration: { terminateBlueInstancesOnDeploymentSuccess: { action: "KEEP_ALIVE" } } }),
        copy: serverGroup({ ...bg, ec2TagFilters: undefined, autoScalingGroups: ["orders-asg"], blueGreenDeploymentConfiguration: { greenFleetProvisioningOption: { action: "COPY_AUTO_SCALING_GROUP" } } }),
        inPlace: serverGroup(),
      }),
    );
    const request = (group: string, extra: Record<string, unknown> = {}) => parseGroupDeployment({ application: "app", deploymentGroup: group, revision: { s3: { bucket: "b", key: "r.zip", bundleType: "zip" } }, ...extra });
    const green = { targetInstances: { tagFilters: [{ Key: "fleet", Value: "green", Type: "KEY_AND_VALUE" }] } };
    expect(parseServerInput(serverDeployInputOf(groups, findGroup(groups, "app", "discover") as never, request("discover", green), "d-ABCDEFGHI"))).toMatchObject({
      target: { tagFilters: [{ Key: "app", Value: "orders" }] },
      blueGreen: { provisioning: "DISCOVER_EXISTING", terminationWaitSeconds: null, targetInstances: { tagFilters: [{ Key: "fleet", Value: "green" }] } },
    });
    expect(parseServerInput(serverDeployInputOf(groups, findGroup(groups, "app", "copy") as never, request("copy"), "d-ABCDEFGHI"))).toMatchObject({ target: { autoScalingGroups: ["orders-asg"] }, blueGreen: { provisioning: "COPY_AUTO_SCALING_GROUP" } });
    expect(refusal(() => serverDeployInputOf(groups, findGroup(groups, "app", "inPlace") as never, request("inPlace", green), "d-ABCDEFGHI")).problems).toEqual([{ field: "targetInstances", reason: expect.stringContaining("InvalidTargetInstancesException") }]);
  });

  it.each([
    ["CodeDeploy's ECS canary by name", "CodeDeployDefault.ECSCanary10Percent5Minutes", "CodeDeployDefault.ECSCanary10Percent5Minutes"],
    ["a custom traffic-routing config of the file, as the config itself", "Canary", { trafficRoutingConfig: { type: "AllAtOnce" } }],
    ["none: all at once", undefined, "CodeDeployDefault.ECSAllAtOnce"],
  ])("a BLUE_GREEN group with a target group pair (%s) compiles to the weighted reroute: targetGroups [blue, green] and blueGreen.trafficRouting", (_label, name, config) => {
    const configs = { deploymentConfigs: { Canary: { trafficRoutingConfig: { type: "AllAtOnce" } } } };
    const groups = parseGroups(doc("Server", { fleet: serverGroup({ ...BG, loadBalancerInfo: { targetGroupPairInfoList: [PAIR] }, ...(name ? { trafficRoutingConfigName: name } : {}) }) }, configs));
    const request = parseGroupDeployment({ application: "app", deploymentGroup: "fleet", revision: { s3: { bucket: "b", key: "r.zip", bundleType: "zip" } }, targetInstances: { tagFilters: [{ Key: "fleet", Value: "green" }] } });
    const input = parseServerInput(serverDeployInputOf(groups, findGroup(groups, "app", "fleet") as never, request, "d-ABCDEFGHI"));
    expect(input.targetGroups).toEqual(["orders-blue", "orders-green"]);
    expect(input.blueGreen?.trafficRouting).toEqual({ prodTrafficRoute: { listenerArn: LISTENER }, deploymentConfig: config, alarmMonitoring: "events" });
    // the green install's batches stay the group's Server config
    expect(input.config.config).toBe("CodeDeployDefault.OneAtATime");
  });

  it("a pair group's bakes watch as its alarmMonitoring, alarmPollSeconds and metricGates say (the deployment's trafficRouting)", () => {
    const gate = { name: "green-5xx", metric: { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", dimensions: { TargetGroup: "orders-green" }, stat: "Sum" }, threshold: 5, comparison: "GreaterThanThreshold", intervalSeconds: 60 };
    const groups = parseGroups(doc("Server", { fleet: serverGroup({ ...BG, loadBalancerInfo: { targetGroupPairInfoList: [PAIR] }, alarmMonitoring: "polling", alarmPollSeconds: 10, metricGates: [gate] }) }));
    const request = parseGroupDeployment({ application: "app", deploymentGroup: "fleet", revision: { s3: { bucket: "b", key: "r.zip", bundleType: "zip" } }, targetInstances: { tagFilters: [{ Key: "fleet", Value: "green" }] } });
    const input = parseServerInput(serverDeployInputOf(groups, findGroup(groups, "app", "fleet") as never, request, "d-ABCDEFGHI"));
    expect(input.blueGreen?.trafficRouting).toMatchObject({ alarmMonitoring: "polling", alarmPollSeconds: 10, metricGates: [gate] });
  });

  it("a custom minimumHealthyHosts config is a Server config; a Lambda or ECS group naming it is refused", () => {
    const configs = { deploymentConfigs: { Most90: { minimumHealthyHosts: { type: "FLEET_PERCENT", value: 90 } } } };
    const groups = parseGroups(doc("Server", { fleet: serverGroup({ deploymentConfigName: "Most90" }) }, configs));
    const request = parseGroupDeployment({ application: "app", deploymentGroup: "fleet", revision: { s3: { bucket: "b", key: "r.tgz", bundleType: "tgz", eTag: "abc" } } });
    expect(parseServerInput(serverDeployInputOf(groups, findGroup(groups, "app", "fleet") as never, request, "d-ABCDEFGHI"))).toMatchObject({
      config: { config: "custom", minimumHealthyHosts: { type: "FLEET_PERCENT", value: 90 } },
      revision: { eTag: "abc" },
    });
    expect(problems(doc("ECS", { web: ecsGroup({ deploymentConfigName: "Most90" }) }, configs))).toEqual([
      { field: "applications.app.deploymentGroups.web.deploymentConfigName", reason: expect.stringContaining("Most90 is a Server config") },
    ]);
  });

  it.each([
    [{ revision: { appSpecContent: "version: 0.0" } }, "revision.appSpecContent", "a Server revision is an archive in S3"],
    [{ revision: { targetVersion: "4" } }, "revision.targetVersion", "is for Lambda groups"],
    [{ revision: { s3: { bucket: "b", key: "a.yml", bundleType: "YAML" } } }, "revision.s3.bundleType", "an archive (zip, tar or tgz)"],
    [{ revision: { s3: { bucket: "b", key: "a.zip", bundleType: "zip" } }, queue: true }, "queue", "a second deployment of the group is refused"],
    [{ revision: { s3: { bucket: "b", key: "a.zip", bundleType: "zip" } }, ignoreAlarmsFiringAtStart: true }, "ignoreAlarmsFiringAtStart", "alarms are read before each batch"],
  ])("refuses %j of a Server group naming %s", (over, field, reason) => {
    const groups = parseGroups(doc("Server", { fleet: serverGroup() }));
    const g = findGroup(groups, "app", "fleet");
    const request = parseGroupDeployment({ application: "app", deploymentGroup: "fleet", ...over });
    expect(revisionProblems(g, request)).toEqual([{ field, reason: expect.stringContaining(reason) }]);
    expect(refusal(() => serverDeployInputOf(groups, g as never, request, "d-ABCDEFGHI")).name).toBe("Deploy.InvalidRevision");
  });

  it("the group's alarms and rollback reach deploy-server, CreateDeployment's overrides replacing them", () => {
    const groups = parseGroups(doc("Server", { fleet: serverGroup({ alarmConfiguration: { enabled: true, alarms: [{ name: "fleet-5xx" }] }, autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE"] } }) }));
    const g = findGroup(groups, "app", "fleet") as never;
    const s3 = { bucket: "b", key: "a.zip", bundleType: "zip" };
    expect(parseServerInput(serverDeployInputOf(groups, g, parseGroupDeployment({ application: "app", deploymentGroup: "fleet", revision: { s3 } }), "d-ABCDEFGHI"))).toMatchObject({
      alarms: ["fleet-5xx"],
      autoRollback: { enabled: true, events: ["DEPLOYMENT_FAILURE"] },
    });
    const request = parseGroupDeployment({ application: "app", deploymentGroup: "fleet", revision: { s3 }, overrideAlarmConfiguration: { enabled: false }, autoRollbackConfiguration: { enabled: false } });
    expect(parseServerInput(serverDeployInputOf(groups, g, request, "d-ABCDEFGHI"))).toMatchObject({ alarms: [], autoRollback: { enabled: false, events: [] } });
  });

  it("property: the group's filters, in order, are the deploy-server input's, whatever mix of EC2, on-premises and Auto Scaling groups", () => {
    const filter = fc.oneof(
      fc.record({ Key: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), Value: fc.stringMatching(/^[a-z0-9]{1,8}$/), Type: fc.constant("KEY_AND_VALUE" as const) }),
      fc.record({ Key: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), Type: fc.constant("KEY_ONLY" as const) }),
    );
    fc.assert(
      fc.property(fc.array(filter, { maxLength: 4 }), fc.array(filter, { maxLength: 4 }), fc.array(fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/), { maxLength: 3 }), (ec2, onPrem, asgs) => {
        fc.pre(ec2.length + onPrem.length + asgs.length > 0);
        const groups = parseGroups(doc("Server", { fleet: { ec2TagFilters: ec2, onPremisesInstanceTagFilters: onPrem, autoScalingGroups: asgs } }));
        const request = parseGroupDeployment({ application: "app", deploymentGroup: "fleet", revision: { s3: { bucket: "b", key: "r.zip", bundleType: "zip" } } });
        const input = parseServerInput(serverDeployInputOf(groups, findGroup(groups, "app", "fleet") as never, request, "d-ABCDEFGHI"));
        expect(input.target.tagFilters).toEqual([...ec2, ...onPrem, ...asgs.map((n) => ({ Key: "aws:autoscaling:groupName", Value: n, Type: "KEY_AND_VALUE" }))]);
      }),
    );
  });
});

describe("the events/groups examples", () => {
  it.each(["deploy-orders-live.input.json", "deploy-web-prod.input.json"])("%s is a group deployment of a group of config/groups.local.yml", (file) => {
    const request = parseGroupDeployment(JSON.parse(readFileSync(`events/groups/${file}`, "utf8")));
    const groups = parseGroups(readFileSync("config/groups.local.yml", "utf8"));
    expect(revisionProblems(findGroup(groups, request.application, request.deploymentGroup), request)).toEqual([]);
  });
});
