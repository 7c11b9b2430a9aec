import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { blueGreenOf, greenGroupName, MAX_WAIT_MINUTES } from "../../../functions/domain/fleet/blue-green.js";
import { parseServerInput } from "../../../functions/domain/fleet/input.js";
import { phaseSegments } from "../../../functions/domain/server-install/index.js";
import { problemsOf } from "../../support/problems.js";

const example = (): Record<string, unknown> => {
  const { $schema: _s, ...rest } = JSON.parse(readFileSync(new URL("../../../events/server/deploy-server.input.json", import.meta.url), "utf8"));
  return rest;
};
const problems = (raw: unknown) => problemsOf("Deploy.InvalidInput", () => parseServerInput(raw));
const withBlueGreen = (blueGreen: unknown, extra: Record<string, unknown> = {}) => ({ ...example(), targetGroups: ["orders-web"], blueGreen, ...extra });

describe("EC2 blue/green options", () => {
  it.each([
    [{}, { provisioning: "DISCOVER_EXISTING", readyWaitSeconds: 0, terminationWaitSeconds: 0 }],
    [{ deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT", waitTimeInMinutes: 30 } }, { provisioning: "DISCOVER_EXISTING", readyWaitSeconds: 0, terminationWaitSeconds: 0 }],
    [{ deploymentReadyOption: { actionOnTimeout: "STOP_DEPLOYMENT", waitTimeInMinutes: 30 } }, { provisioning: "DISCOVER_EXISTING", readyWaitSeconds: 1800, terminationWaitSeconds: 0 }],
    [{ terminateBlueInstancesOnDeploymentSuccess: { action: "KEEP_ALIVE", terminationWaitTimeInMinutes: 5 } }, { provisioning: "DISCOVER_EXISTING", readyWaitSeconds: 0, terminationWaitSeconds: null }],
    [{ greenFleetProvisioningOption: { action: "COPY_AUTO_SCALING_GROUP" }, terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: 2880 } }, { provisioning: "COPY_AUTO_SCALING_GROUP", readyWaitSeconds: 0, terminationWaitSeconds: 172_800 }],
  ] as const)("%j -> %j (CodeDeploy's defaults; ours for the termination wait: 0)", (raw, expected) => {
    expect(blueGreenOf(raw as Parameters<typeof blueGreenOf>[0])).toEqual(expected);
  });

  it.each([
    [withBlueGreen({ targetInstances: { tags: { fleet: "green" } } }, { targetGroups: undefined }), "targetGroups: is required for blue/green"],
    [withBlueGreen({}), "blueGreen.targetInstances: is required with DISCOVER_EXISTING"],
    [withBlueGreen({ targetInstances: { tags: { fleet: "green" } }, trafficRouting: { prodTrafficRoute: { listenerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/orders/0a0b0c0d0e0f1011/1213141516171819" } } }, { classicLoadBalancers: ["orders-classic"] }), "classicLoadBalancers: goes with the all-at-once reroute"],
    [withBlueGreen({ targetInstances: { tags: { fleet: "green" } } }, { targetGroups: undefined, classicLoadBalancers: undefined }), "targetGroups: is required for blue/green (or classicLoadBalancers)"],
    [withBlueGreen({ greenFleetProvisioningOption: { action: "COPY_AUTO_SCALING_GROUP" } }), "target.autoScalingGroups: must name exactly one Auto Scaling group"],
    [withBlueGreen({ greenFleetProvisioningOption: { action: "COPY_AUTO_SCALING_GROUP" }, targetInstances: { tags: { a: "b" } } }, { target: { autoScalingGroups: ["web"] } }), "blueGreen.targetInstances: is for DISCOVER_EXISTING"],
    [withBlueGreen({ targetInstances: { tags: { a: "b" } }, deploymentReadyOption: { actionOnTimeout: "STOP_DEPLOYMENT" } }), "blueGreen.deploymentReadyOption.waitTimeInMinutes: STOP_DEPLOYMENT needs waitTimeInMinutes"],
    [withBlueGreen({ targetInstances: { tags: { a: "b" } }, terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: 2881 } }), "blueGreen.terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes: must be a whole number of minutes from 0 to 2880"],
    [withBlueGreen({ targetInstances: { tags: { a: "b" } }, greenFleetProvisioningOption: { action: "COPY" } }), "blueGreen.greenFleetProvisioningOption.action: must be DISCOVER_EXISTING or COPY_AUTO_SCALING_GROUP"],
  ])("refuses a bad blue/green input, naming the field (%#)", (raw, problem) => {
    expect(problems(raw).join("\n")).toContain(problem);
  });

  it("takes Classic Load Balancers (a group's elbInfoList) instead of target groups, or beside them", () => {
    const raw = withBlueGreen({ targetInstances: { tags: { fleet: "green" } } }, { targetGroups: undefined, classicLoadBalancers: ["orders-classic"] });
    expect(parseServerInput(raw)).toMatchObject({ targetGroups: [], classicLoadBalancers: ["orders-classic"], blueGreen: { provisioning: "DISCOVER_EXISTING" } });
  });

  it("any wait from 0 to 2880 minutes is taken in seconds; anything else is refused", () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 4000 }), fc.boolean(), (minutes, keep) => {
        const raw = withBlueGreen({ targetInstances: { tags: { fleet: "green" } }, terminateBlueInstancesOnDeploymentSuccess: { action: keep ? "KEEP_ALIVE" : "TERMINATE", terminationWaitTimeInMinutes: minutes } });
        if (minutes < 0 || minutes > MAX_WAIT_MINUTES) return problems(raw).length === 1;
        return parseServerInput(raw).blueGreen?.terminationWaitSeconds === (keep ? null : minutes * 60);
      }),
    );
  });

  it("the copy is named as CodeDeploy names it, within Auto Scaling's 255 characters", () => {
    expect(greenGroupName("prod", "d-ABCDEFGH1")).toBe("CodeDeploy_prod_d-ABCDEFGH1");
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 300 }), (group) => greenGroupName(group, "d-ABCDEFGH1").length <= 255));
  });
});

describe("the commands of each phase (codedeploy-spec §3.1, §3.3)", () => {
  it.each([
    ["inPlace", false, [["ApplicationStop", "DownloadBundle", "BeforeInstall", "Install", "AfterInstall", "ApplicationStart", "ValidateService"]], [undefined], [true]],
    ["inPlace", true, [["BeforeBlockTraffic"], ["AfterBlockTraffic", "ApplicationStop", "DownloadBundle", "BeforeInstall", "Install", "AfterInstall", "ApplicationStart", "ValidateService", "BeforeAllowTraffic"], ["AfterAllowTraffic"]], ["BlockTraffic", "AllowTraffic", undefined], [false, false, true]],
    ["install", true, [["ApplicationStop", "DownloadBundle", "BeforeInstall", "Install", "AfterInstall", "ApplicationStart", "ValidateService"]], [undefined], [true]],
    ["allow", true, [["BeforeAllowTraffic"], ["AfterAllowTraffic"]], ["AllowTraffic", undefined], [false, false]],
    ["block", true, [["BeforeBlockTraffic"], ["AfterBlockTraffic"]], ["BlockTraffic", undefined], [false, false]],
    ["restore", true, [["BeforeAllowTraffic"], ["AfterAllowTraffic"]], ["AllowTraffic", undefined], [false, false]],
  ] as const)("%s (load balancer %s)", (phase, lb, events, traffic, records) => {
    const segments = phaseSegments(phase, lb);
    expect(segments.map((s) => s.events)).toEqual(events);
    expect(segments.map((s) => s.traffic)).toEqual(traffic);
    expect(segments.map((s) => s.records)).toEqual(records);
    // Only a rollback's restore takes every script from the instance's last revision (the originals' own).
    expect(segments.map((s) => s.fromLastRevision ?? false)).toEqual(segments.map(() => phase === "restore"));
  });

  it("a blue/green rollback runs the reroute's traffic events backwards: allow on the originals, then block on green", () => {
    const originals = phaseSegments("restore", true).flatMap((s) => [...s.events, ...(s.traffic ? [s.traffic] : [])]);
    const green = phaseSegments("block", true).flatMap((s) => [...s.events, ...(s.traffic ? [s.traffic] : [])]);
    expect([...originals, ...green]).toEqual(["BeforeAllowTraffic", "AllowTraffic", "AfterAllowTraffic", "BeforeBlockTraffic", "BlockTraffic", "AfterBlockTraffic"]);
  });

  it("a blue/green deployment runs every event of the table once, the traffic events by the workflow, on the fleet the table names", () => {
    const green = [...phaseSegments("install", true), ...phaseSegments("allow", true)].flatMap((s) => [...s.events, ...(s.traffic ? [s.traffic] : [])]);
    const blue = phaseSegments("block", true).flatMap((s) => [...s.events, ...(s.traffic ? [s.traffic] : [])]);
    expect(green).toEqual(["ApplicationStop", "DownloadBundle", "BeforeInstall", "Install", "AfterInstall", "ApplicationStart", "ValidateService", "BeforeAllowTraffic", "AllowTraffic", "AfterAllowTraffic"]);
    expect(blue).toEqual(["BeforeBlockTraffic", "BlockTraffic", "AfterBlockTraffic"]);
  });
});
