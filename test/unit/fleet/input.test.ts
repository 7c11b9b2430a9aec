import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseServerInput } from "../../../functions/domain/fleet/input.js";
import { problemsOf } from "../../support/problems.js";

const example = (): Record<string, unknown> => JSON.parse(readFileSync(new URL("../../../events/server/deploy-server.input.json", import.meta.url), "utf8"));

const problems = (raw: unknown) => problemsOf("Deploy.InvalidInput", () => parseServerInput(raw));

describe("the deploy-server input", () => {
  it("reads the console example with defaults filled in and the config resolved", () => {
    const { $schema: _s, pollSeconds: _p, ...rest } = example();
    expect(parseServerInput(rest)).toEqual({
      deploymentId: "d-SERVER001",
      application: "orders",
      deploymentGroup: "prod",
      deploymentGroupId: "orders.prod",
      target: { tags: { app: ["orders"], env: ["prod"] } },
      revision: { bucket: "orders-revisions", key: "orders/server-v2.zip", version: "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY", eTag: "d41d8cd98f00b204e9800998ecf8427e", bundleType: "zip" },
      targetGroups: [],
      classicLoadBalancers: [],
      config: { config: "CodeDeployDefault.HalfAtATime", minimumHealthyHosts: { type: "FLEET_PERCENT", value: 50 } },
      deploymentConfig: "CodeDeployDefault.HalfAtATime",
      pollSeconds: 15,
      // No alarms; the rollback default of every platform (on failure and on alarm).
      alarms: [],
      ignorePollAlarmFailure: false,
      outdatedInstancesStrategy: "UPDATE",
      terminationHookEnabled: false,
      autoRollback: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
    });
  });

  it("takes target groups by name or ARN", () => {
    const arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders-api/0123456789abcdef";
    expect(parseServerInput({ ...example(), targetGroups: ["orders-web", arn] }).targetGroups).toEqual(["orders-web", arn]);
  });

  it.each([
    [{ deploymentId: "d-1" }, "deploymentId: must be d- and 9 uppercase letters or digits"],
    [{ target: {} }, "target: needs tags, instanceIds, tagFilters or autoScalingGroups"],
    [{ target: { tagFilters: [{ Key: "app", Type: "VALUE_ONLY" }] } }, "target.tagFilters[0].Type: VALUE_ONLY is not supported"],
    [{ target: { tagFilters: [] } }, "target.tagFilters: must be a non-empty list of {Key, Value, Type}"],
    [{ target: { tags: {} } }, "target.tags: must map tag keys to a value or a list of values"],
    [{ target: { tags: { app: [] } } }, "target.tags.app"],
    [{ target: { instanceIds: ["i-0123456789abcdef0", "i-0123456789abcdef0"] } }, "target.instanceIds: lists an instance twice"],
    [{ target: { instanceIds: ["web-1"] } }, "target.instanceIds[0]: must be an EC2 instance id (i-...) or an on-premises managed node id (mi-...)"],
    [{ target: { names: ["x"] } }, "target.names: unknown field (tags, instanceIds, tagFilters, autoScalingGroups)"],
    [{ revision: { bucket: "b", key: "k", eTag: "e", bundleType: "YAML" } }, "revision.bundleType: must be zip, tar or tgz"],
    [{ revision: { bucket: "b", bundleType: "zip" } }, "revision.key: is required"],
    [{ pollSeconds: 0 }, "pollSeconds: must be an integer 1-300"],
    [{ targetGroups: [] }, "targetGroups: must list 1-10 target groups (leave it out for no load balancer)"],
    [{ targetGroups: ["web", "web"] }, "targetGroups: lists a target group twice"],
    [{ targetGroups: ["-web"] }, "targetGroups[0]: must be a target group name (1-32 of A-Z a-z 0-9 -) or ARN"],
    [{ targetGroups: Array.from({ length: 11 }, (_, k) => `tg-${k}`) }, "targetGroups: must list 1-10 target groups (CodeDeploy's limit)"],
    [{ classicLoadBalancers: [] }, "classicLoadBalancers: must list 1-10 Classic Load Balancers (leave it out for none)"],
    [{ classicLoadBalancers: ["web", "web"] }, "classicLoadBalancers: lists a load balancer twice"],
    [{ classicLoadBalancers: ["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/web"] }, "classicLoadBalancers[0]: must be a Classic Load Balancer name (1-32 of A-Z a-z 0-9 -, not starting or ending with -)"],
    [{ deploymentRoot: "relative/path" }, "deploymentRoot: must be an absolute path"],
    [{ deploymentConfig: "CodeDeployDefault.LambdaAllAtOnce" }, "deploymentConfig: unknown Server deployment config 'CodeDeployDefault.LambdaAllAtOnce'"],
    [{ deploymentConfig: { minimumHealthyHosts: { type: "FLEET_PERCENT", value: 100 } } }, "deploymentConfig.minimumHealthyHosts.value: FLEET_PERCENT must be below 100"],
    [{ instances: 3 }, "instances: unknown field"],
  ])("refuses %j, naming the field", (over, problem) => {
    expect(problems({ ...example(), ...over }).join("\n")).toContain(problem);
  });

  it("reports every problem at once", () => {
    expect(problems({ ...example(), deploymentId: "x", pollSeconds: 900, revision: { bucket: "b" } }).map((p) => p.split(":")[0])).toEqual(
      expect.arrayContaining(["deploymentId", "pollSeconds", "revision.key", "revision.bundleType"]),
    );
  });

  it("reads CodeDeploy's tag filters with the default type filled in", () => {
    const filters = [{ Key: "app", Value: "orders" }, { Key: "site", Type: "KEY_ONLY" }];
    expect(parseServerInput({ ...example(), target: { tagFilters: filters } }).target).toEqual({
      tagFilters: [
        { Key: "app", Value: "orders", Type: "KEY_AND_VALUE" },
        { Key: "site", Type: "KEY_ONLY" },
      ],
    });
  });

  it("accepts any non-empty set of well-formed instance ids, each once, and keeps their order", () => {
    const id = fc.oneof(fc.stringMatching(/^i-[0-9a-f]{17}$/), fc.stringMatching(/^mi-[0-9a-f]{17}$/));
    fc.assert(
      fc.property(fc.uniqueArray(id, { minLength: 1, maxLength: 20 }), (ids) => {
        expect(parseServerInput({ ...example(), target: { instanceIds: ids } }).target).toEqual({ instanceIds: ids });
      }),
    );
  });
});
