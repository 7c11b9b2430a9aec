import { describe, expect, it } from "vitest";
import schedule from "../../../cli/commands/schedule.js";
import { memoryIO } from "../../../cli/io.js";

async function run(...argv: string[]) {
  const io = memoryIO();
  const code = await schedule(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe("stepdeploy schedule <server config> --instances N", () => {
  it.each([
    { config: '{"minimumHealthyHosts":{"type":"HOST_COUNT","value":6}}', n: "9", json: { config: "custom", instances: 9, minimumHealthyHosts: { type: "HOST_COUNT", value: 6 }, minHealthy: 6, batches: [3, 3, 3] } },
    { config: '{"minimumHealthyHosts":{"type":"FLEET_PERCENT","value":40}}', n: "9", json: { config: "custom", instances: 9, minimumHealthyHosts: { type: "FLEET_PERCENT", value: 40 }, minHealthy: 4, batches: [5, 4] } },
    { config: "CodeDeployDefault.HalfAtATime", n: "9", json: { config: "CodeDeployDefault.HalfAtATime", instances: 9, minimumHealthyHosts: { type: "FLEET_PERCENT", value: 50 }, minHealthy: 5, batches: [4, 4, 1] } },
    { config: "CodeDeployDefault.OneAtATime", n: "9", json: { config: "CodeDeployDefault.OneAtATime", instances: 9, minimumHealthyHosts: { type: "MOST_CONCURRENCY", value: 1 }, minHealthy: 8, batches: Array(9).fill(1) } },
    { config: "CodeDeployDefault.AllAtOnce", n: "9", json: { config: "CodeDeployDefault.AllAtOnce", instances: 9, minimumHealthyHosts: { type: "HOST_COUNT", value: 0 }, minHealthy: 0, batches: [9] } },
  ])("$config on $n: --json prints the plan as one line", async ({ config, n, json }) => {
    const r = await run(config, "--instances", n, "--json");
    expect(r).toEqual({ code: 0, stdout: `${JSON.stringify(json)}\n`, stderr: "" });
    expect(Object.keys(JSON.parse(r.stdout))).toEqual(["config", "instances", "minimumHealthyHosts", "minHealthy", "batches"]);
  });

  it("95% of 10 exits 1 naming HEALTH_CONSTRAINTS_INVALID, printing no plan", async () => {
    const r = await run('{"minimumHealthyHosts":{"type":"FLEET_PERCENT","value":95}}', "--instances", "10", "--json");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/HEALTH_CONSTRAINTS_INVALID: custom needs 10 healthy instances \(FLEET_PERCENT 95\) of 10/);
  });

  it.each([
    { label: "no instances", argv: ["CodeDeployDefault.AllAtOnce", "--instances", "0"], code: 1, says: "NO_INSTANCES" },
    { label: "over 1000", argv: ["CodeDeployDefault.AllAtOnce", "--instances", "1001"], code: 1, says: "OVER_MAX_INSTANCES" },
    { label: "a Lambda config", argv: ["CodeDeployDefault.LambdaAllAtOnce", "--instances", "3"], code: 2, says: "unknown Server deployment config" },
    { label: "a bad count", argv: ["CodeDeployDefault.AllAtOnce", "--instances", "three"], code: 2, says: "--instances must be a whole number" },
    { label: "a bad custom value", argv: ['{"minimumHealthyHosts":{"type":"FLEET_PERCENT","value":100}}', "--instances", "3"], code: 2, says: "deploymentConfig.minimumHealthyHosts.value: FLEET_PERCENT must be below 100" },
  ])("$label: exit $code", async ({ argv, code, says }) => {
    const r = await run(...argv);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(says);
  });

  it("prints the batches and the rules for humans", async () => {
    const r = await run("CodeDeployDefault.OneAtATime", "--instances", "3");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("MOST_CONCURRENCY 1 -> 2 of 3 instances must stay healthy");
    expect(r.stdout).toContain("batch 3: 1 instance (3-3)");
    expect(r.stdout).toContain("a failure on the last instance still succeeds");
  });
});
