import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { executionArnOf, instanceCounts, lastServerRevision, rollbackConfigOf, rollbackInputOf, type ServerRun, serverLockKey } from "../../../functions/domain/fleet/run.js";

const run: ServerRun = {
  deploymentId: "d-FAILED001",
  application: "orders",
  deploymentGroup: "prod",
  deploymentGroupId: "orders.prod",
  lockKey: serverLockKey("orders", "prod"),
  alarms: ["orders-5xx"],
  ignorePollAlarmFailure: false,
  autoRollback: { enabled: true, events: ["DEPLOYMENT_FAILURE"] },
  deploymentConfig: "CodeDeployDefault.HalfAtATime",
  pollSeconds: 15,
  eventDetail: {},
  resources: [],
};
const revision = { bucket: "b", key: "orders-v1.zip", bundleType: "zip" as const, eTag: "e1" };

describe("server runs in the registry (domain/fleet/run.ts)", () => {
  it("property: the instance counts add up to the fleet; pending while running, skipped once ended", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.nat(), fc.nat(), fc.boolean(), (total, s, f, ended) => {
        const succeeded = s % (total + 1);
        const failed = f % (total - succeeded + 1);
        const c = instanceCounts({ total, succeeded, failed }, ended);
        expect(c.succeeded + c.failed + c.pending + c.skipped).toBe(total);
        expect(ended ? c.pending : c.skipped).toBe(0);
      }),
    );
  });

  it.each([
    // The failed deployment's config when its minimum leaves room on the rollback's instances, else OneAtATime.
    ["CodeDeployDefault.HalfAtATime", 4, "CodeDeployDefault.HalfAtATime"],
    ["CodeDeployDefault.HalfAtATime", 1, "CodeDeployDefault.OneAtATime"],
    [{ minimumHealthyHosts: { type: "HOST_COUNT", value: 6 } }, 2, "CodeDeployDefault.OneAtATime"],
    [{ minimumHealthyHosts: { type: "HOST_COUNT", value: 1 } }, 2, { minimumHealthyHosts: { type: "HOST_COUNT", value: 1 } }],
    [undefined, 1, "CodeDeployDefault.OneAtATime"],
  ])("rollback config of %j on %i instances: %j", (config, n, expected) => {
    expect(rollbackConfigOf(config, n)).toEqual(expected);
  });

  it("the rollback input: a new id, the last good revision, only the instances that got the new one, no alarms, never rolled back itself", () => {
    expect(rollbackInputOf(run, "d-ROLLBACK1", { deploymentId: "d-GOOD00001", revision }, ["i-0123456789abcdef0", "i-0123456789abcdef1"])).toEqual({
      deploymentId: "d-ROLLBACK1",
      application: "orders",
      deploymentGroup: "prod",
      deploymentGroupId: "orders.prod",
      target: { instanceIds: ["i-0123456789abcdef0", "i-0123456789abcdef1"] },
      revision,
      deploymentConfig: "CodeDeployDefault.HalfAtATime",
      pollSeconds: 15,
      autoRollback: { enabled: false },
      rollbackOf: "d-FAILED001",
      description: "Rollback of d-FAILED001 to the revision of d-GOOD00001",
    });
  });

  it("a rollback behind target groups moves its instances in the same target groups (one left deregistered by the failure comes back)", () => {
    const input = rollbackInputOf({ ...run, targetGroups: ["web", "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/0123456789abcdef"] }, "d-ROLLBACK1", { deploymentId: "d-GOOD00001", revision }, ["i-0123456789abcdef0"]);
    expect(input["targetGroups"]).toEqual(["web", "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/0123456789abcdef"]);
    expect(rollbackInputOf(run, "d-ROLLBACK1", { deploymentId: "d-GOOD00001", revision }, ["i-0123456789abcdef0"])).not.toHaveProperty("targetGroups");
    // behind Classic Load Balancers too (elbInfoList): the rollback moves its instances through the same ones
    const classic = rollbackInputOf({ ...run, classicLoadBalancers: ["orders-classic"] }, "d-ROLLBACK1", { deploymentId: "d-GOOD00001", revision }, ["i-0123456789abcdef0"]);
    expect(classic["classicLoadBalancers"]).toEqual(["orders-classic"]);
    expect(rollbackInputOf(run, "d-ROLLBACK1", { deploymentId: "d-GOOD00001", revision }, ["i-0123456789abcdef0"])).not.toHaveProperty("classicLoadBalancers");
  });

  it.each([
    [undefined, undefined],
    [{ platform: "Lambda", target: { revision } }, undefined],
    [{ platform: "Server", target: { deploymentGroupId: "x" } }, undefined],
    [{ platform: "Server", target: { revision } }, revision],
  ])("the last successful revision of %j", (last, expected) => {
    const record = last && { application: "orders", deploymentGroup: "prod", deploymentId: "d-GOOD00001", deploymentConfigName: "x", endTime: "2026-01-01T00:00:00.000Z", ...last };
    expect(lastServerRevision(record as never)).toEqual(expected);
  });

  it("a rollback's execution ARN is the one Step Functions gives it", () => {
    expect(executionArnOf("arn:aws:states:us-east-1:123456789012:stateMachine:stepdeploy-dev-deploy-server", "d-ROLLBACK1")).toBe("arn:aws:states:us-east-1:123456789012:execution:stepdeploy-dev-deploy-server:d-ROLLBACK1");
  });
});
