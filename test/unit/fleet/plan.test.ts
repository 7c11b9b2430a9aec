import { describe, expect, it } from "vitest";
import { FleetError, planFleet, resolveServerConfig } from "../../../functions/domain/fleet/index.js";
import { runFleet } from "./run-fleet.js";

const plan = (config: unknown, instances: number) => planFleet(resolveServerConfig(config), instances);
const hostCount = (value: number) => ({ minimumHealthyHosts: { type: "HOST_COUNT", value } });
const percent = (value: number) => ({ minimumHealthyHosts: { type: "FLEET_PERCENT", value } });
const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FleetError);
    return { name: (e as FleetError).name, code: (e as FleetError).code, message: (e as FleetError).message };
  }
  throw new Error("expected a FleetError");
};

describe("the spec's worked examples (codedeploy-spec §1.2, §2.1, §2.2)", () => {
  it.each([
    { label: "9 instances, HOST_COUNT 6: batches of 3", config: hostCount(6), n: 9, min: 6, batches: [3, 3, 3] },
    { label: "9 instances, FLEET_PERCENT 40: min ceil(3.6) = 4, batches of 5 then 4", config: percent(40), n: 9, min: 4, batches: [5, 4] },
    { label: "HalfAtATime on 9: min 5 (rounded up), batches of 4 (rounded down), 4, 1", config: "CodeDeployDefault.HalfAtATime", n: 9, min: 5, batches: [4, 4, 1] },
    { label: "OneAtATime on 9: one at a time", config: "CodeDeployDefault.OneAtATime", n: 9, min: 8, batches: [1, 1, 1, 1, 1, 1, 1, 1, 1] },
    { label: "AllAtOnce on 9: all 9", config: "CodeDeployDefault.AllAtOnce", n: 9, min: 0, batches: [9] },
    { label: "10 instances, min 9: one at a time", config: hostCount(9), n: 10, min: 9, batches: Array(10).fill(1) },
    { label: "10 instances, min 8: two at a time", config: hostCount(8), n: 10, min: 8, batches: [2, 2, 2, 2, 2] },
    { label: "10 instances, min 0: all at once", config: hostCount(0), n: 10, min: 0, batches: [10] },
    { label: "OneAtATime on 1 instance", config: "CodeDeployDefault.OneAtATime", n: 1, min: 0, batches: [1] },
    { label: "HalfAtATime on 1 instance: min 1 leaves no room", config: "CodeDeployDefault.HalfAtATime", n: 2, min: 1, batches: [1, 1] },
    { label: "the default is OneAtATime", config: undefined, n: 3, min: 2, batches: [1, 1, 1] },
    { label: "FLEET_PERCENT 0 is all at once", config: percent(0), n: 4, min: 0, batches: [4] },
    { label: "FLEET_PERCENT 99 of 1000: min 990, batches of 10", config: percent(99), n: 1000, min: 990, batches: Array(100).fill(10) },
  ])("$label", ({ config, n, min, batches }) => {
    const p = plan(config, n);
    expect(p.minHealthy).toBe(min);
    expect(p.batches).toEqual(batches);
    expect(p.instances).toBe(n);
  });

  it("prints OneAtATime as GetDeploymentConfig returns it", () => {
    expect(plan("CodeDeployDefault.OneAtATime", 4).minimumHealthyHosts).toEqual({ type: "MOST_CONCURRENCY", value: 1 });
    expect(plan("CodeDeployDefault.HalfAtATime", 4).minimumHealthyHosts).toEqual({ type: "FLEET_PERCENT", value: 50 });
  });

  it.each([
    { label: "95% of 10 rounds up to 10", config: percent(95), n: 10, code: "HEALTH_CONSTRAINTS_INVALID", says: "needs 10 healthy instances (FLEET_PERCENT 95) of 10" },
    { label: "HOST_COUNT equal to the fleet", config: hostCount(9), n: 9, code: "HEALTH_CONSTRAINTS_INVALID", says: "nothing was deployed" },
    { label: "HOST_COUNT above the fleet", config: hostCount(12), n: 3, code: "HEALTH_CONSTRAINTS_INVALID", says: "needs 12" },
    { label: "HalfAtATime on 1 instance", config: "CodeDeployDefault.HalfAtATime", n: 1, code: "HEALTH_CONSTRAINTS_INVALID", says: "needs 1 healthy instance (" },
    { label: "no instances", config: "CodeDeployDefault.AllAtOnce", n: 0, code: "NO_INSTANCES", says: "tags or Auto Scaling group names" },
    { label: "1001 instances", config: "CodeDeployDefault.AllAtOnce", n: 1001, code: "OVER_MAX_INSTANCES", says: "at most 1000" },
  ])("$label: $code", ({ config, n, code, says }) => {
    const e = failure(() => plan(config, n));
    expect(e.code).toBe(code);
    expect(e.message).toContain(says);
  });
});

describe("success and failure while running (codedeploy-spec §1.2, §2.2, §2.3)", () => {
  const ok = (n: number, ...failing: number[]) => Array.from({ length: n }, (_, k) => !failing.includes(k));
  it.each([
    { label: "OneAtATime on 9, the last instance fails: succeeds", config: "CodeDeployDefault.OneAtATime", results: ok(9, 8), outcome: "succeed", attempted: 9 },
    { label: "OneAtATime on 9, the third fails: stops at once", config: "CodeDeployDefault.OneAtATime", results: ok(9, 2), outcome: "fail", attempted: 3 },
    { label: "OneAtATime on 1, it fails", config: "CodeDeployDefault.OneAtATime", results: ok(1, 0), outcome: "fail", attempted: 1 },
    { label: "min 9 of 10: the first fails, stops", config: hostCount(9), results: ok(10, 0), outcome: "fail", attempted: 1 },
    { label: "min 8 of 10: two fail in the first batch, stops", config: hostCount(8), results: ok(10, 0, 1), outcome: "fail", attempted: 2 },
    { label: "min 8 of 10: one fails, the next batch is one instance", config: hostCount(8), results: ok(10, 0), outcome: "succeed", attempted: 10, batches: [2, 1, 1, 1, 1, 1, 1, 1, 1] },
    { label: "min 8 of 10: the last instance is the second to fail: succeeds", config: hostCount(8), results: ok(10, 3, 9), outcome: "succeed", attempted: 10 },
    { label: "HalfAtATime on 9: 4 fail in the first batch, stops", config: "CodeDeployDefault.HalfAtATime", results: ok(9, 0, 1, 2, 3), outcome: "fail", attempted: 4 },
    { label: "HalfAtATime on 9: 1 fails, the second batch is 3, the third 2", config: "CodeDeployDefault.HalfAtATime", results: ok(9, 0), outcome: "succeed", attempted: 9, batches: [4, 3, 2] },
    { label: "AllAtOnce: 8 of 9 fail, one success is enough", config: "CodeDeployDefault.AllAtOnce", results: ok(9, 0, 1, 2, 3, 4, 5, 6, 7), outcome: "succeed", attempted: 9 },
    { label: "AllAtOnce: all fail", config: "CodeDeployDefault.AllAtOnce", results: ok(3, 0, 1, 2), outcome: "fail", attempted: 3 },
    { label: "HOST_COUNT 0: all fail", config: hostCount(0), results: ok(2, 0, 1), outcome: "fail", attempted: 2 },
  ])("$label", ({ config, results, outcome, attempted, batches }) => {
    const run = runFleet(plan(config, results.length), results);
    expect(run.outcome).toBe(outcome);
    expect(run.attempted).toBe(attempted);
    if (outcome === "fail") expect(run.code).toBe("HEALTH_CONSTRAINTS");
    if (batches) expect(run.batches).toEqual(batches);
  });
});

describe("config validation names the field and CodeDeploy's exception", () => {
  it.each([
    { config: "CodeDeployDefault.ThirdAtATime", field: "deploymentConfig", says: "unknown Server deployment config" },
    { config: "CodeDeployDefault.LambdaAllAtOnce", field: "deploymentConfig", says: "predefined: CodeDeployDefault.AllAtOnce" },
    { config: percent(100), field: "deploymentConfig.minimumHealthyHosts.value", says: "below 100" },
    { config: hostCount(-1), field: "deploymentConfig.minimumHealthyHosts.value", says: "integer ≥ 0" },
    { config: hostCount(1.5), field: "deploymentConfig.minimumHealthyHosts.value", says: "InvalidMinimumHealthyHostValueException" },
    { config: { minimumHealthyHosts: { type: "MOST_CONCURRENCY", value: 1 } }, field: "deploymentConfig.minimumHealthyHosts.type", says: "cannot be set" },
    { config: { minimumHealthyHosts: { type: "HOST_COUNT", value: 1, extra: 1 } }, field: "deploymentConfig.minimumHealthyHosts.extra", says: "unknown field" },
    { config: { trafficRoutingConfig: { type: "AllAtOnce" } }, field: "deploymentConfig.trafficRoutingConfig", says: "only to Lambda and ECS" },
    { config: { computePlatform: "Lambda", minimumHealthyHosts: { type: "HOST_COUNT", value: 1 } }, field: "deploymentConfig.computePlatform", says: "InvalidComputePlatformException" },
    { config: { deploymentConfigName: "CodeDeployDefault.Mine", ...hostCount(1) }, field: "deploymentConfig.deploymentConfigName", says: "may not start with" },
    { config: {}, field: "deploymentConfig.minimumHealthyHosts", says: "required" },
    { config: 5, field: "deploymentConfig", says: "config name or an object" },
  ])("$field: $says", ({ config, field, says }) => {
    expect(() => resolveServerConfig(config)).toThrow(expect.objectContaining({ name: "Deploy.InvalidInput", field, message: expect.stringContaining(says) }));
  });

  it("keeps a custom config's name", () => {
    expect(resolveServerConfig({ deploymentConfigName: "ThreeAtATime", computePlatform: "Server", ...hostCount(3) })).toEqual({ config: "ThreeAtATime", minimumHealthyHosts: { type: "HOST_COUNT", value: 3 } });
  });
});
