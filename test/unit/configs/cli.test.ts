import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../../cli/command-table.js";
import schedule from "../../../cli/commands/schedule.js";
import { memoryIO } from "../../../cli/io.js";
import { main } from "../../../cli/main.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

async function run(...argv: string[]) {
  const io = memoryIO();
  const code = await schedule(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe("stepdeploy schedule --json", () => {
  it("prints exactly {config, steps, totalSeconds} for a predefined name", async () => {
    const r = await run("CodeDeployDefault.LambdaLinear10PercentEvery1Minute", "--json");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(["config", "steps", "totalSeconds"]);
    expect(doc).toEqual({
      config: "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
      steps: Array.from({ length: 10 }, (_, k) => ({ atSeconds: k * 60, weight: (k + 1) * 10 })),
      totalSeconds: 540,
    });
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("accepts inline JSON in CodeDeploy's shape, --json before the argument", async () => {
    const r = await run("--json", '{"deploymentConfigName":"Linear30","trafficRoutingConfig":{"type":"TimeBasedLinear","timeBasedLinear":{"linearPercentage":30,"linearInterval":2}}}');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      config: "Linear30",
      steps: [
        { atSeconds: 0, weight: 30 },
        { atSeconds: 120, weight: 60 },
        { atSeconds: 240, weight: 90 },
        { atSeconds: 360, weight: 100 },
      ],
      totalSeconds: 360,
    });
  });

  describe("@file", () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "stepdeploy-schedule-"));
      await writeFile(join(dir, "steps.json"), JSON.stringify({ steps: [{ weight: 1, bakeMinutes: 5 }, { weight: 10, bakeMinutes: 10 }, { weight: 50, bakeMinutes: 10 }] }));
      await writeFile(join(dir, "broken.json"), "{ steps: ");
      await writeFile(join(dir, "bad.json"), JSON.stringify({ steps: [{ weight: 50, bakeMinutes: 5 }, { weight: 10, bakeMinutes: 5 }] }));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it("reads a step list from a file", async () => {
      const r = await run(`@${join(dir, "steps.json")}`, "--json");
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({
        config: "custom",
        steps: [
          { atSeconds: 0, weight: 1 },
          { atSeconds: 300, weight: 10 },
          { atSeconds: 900, weight: 50 },
          { atSeconds: 1500, weight: 100 },
        ],
        totalSeconds: 1500,
      });
    });

    it.each([
      ["missing.json", /cannot read .*missing\.json/],
      ["broken.json", /broken\.json is not valid JSON/],
      ["bad.json", /deploymentConfig\.steps\[1\]\.weight: must be greater than the previous step's weight 50/],
    ])("%s → exit 2 with the reason on stderr", async (file, message) => {
      const r = await run(`@${join(dir, file)}`, "--json");
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(message);
    });
  });
});

describe("stepdeploy schedule (table)", () => {
  it("prints the header, every step and the timing note", async () => {
    const r = await run("CodeDeployDefault.ECSLinear10PercentEvery3Minutes");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("CodeDeployDefault.ECSLinear10PercentEvery3Minutes: TimeBasedLinear: 10% every 3 minutes (ECS)");
    expect(lines).toContain("   #  at (mm:ss)  weight  bake until next");
    expect(lines).toContain("   1  00:00          10%  03:00");
    expect(lines).toContain("  10  27:00         100%  -");
    expect(r.stdout).toContain("100% at 27:00 (1620 s) after T0, in 10 shifts.");
    expect(r.stdout).toMatch(/Timing: Linear, model A \(UNCONFIRMED in CodeDeploy\)/);
    expect(r.stdout).toContain("T0 = start of AllowTraffic");
  });

  it("shows a step list's note", async () => {
    const r = await run('{"steps":[{"weight":10,"bakeMinutes":1}]}');
    expect(r.stdout).toContain("custom: Step list: 10% for 1 minute, then 100%");
    expect(r.stdout).toContain("Timing: Step list (stepdeploy extension)");
  });

  it("--list prints the 14 names, --list --json as an array", async () => {
    const text = await run("--list");
    expect(text.stdout.trim().split("\n")).toHaveLength(14);
    expect(text.stdout).toMatch(/^CodeDeployDefault\.ECSLinear10PercentEvery1Minutes +TimeBasedLinear: 10% every 1 minute \(ECS\)$/m);
    const json = await run("--list", "--json");
    expect(JSON.parse(json.stdout)).toHaveLength(14);
  });

  it("--help prints usage and exits 0", async () => {
    const r = await run("--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("usage: stepdeploy schedule");
  });
});

describe("stepdeploy schedule errors (exit 2, stderr only)", () => {
  it.each([
    { argv: ["CodeDeployDefault.ECSLinear10PercentEvery1Minute", "--json"], message: /DeploymentConfigDoesNotExistException.*Did you mean 'CodeDeployDefault\.ECSLinear10PercentEvery1Minutes'\?/ },
    { argv: ["CodeDeployDefault.OneAtATime"], message: /InvalidComputePlatformException/ },
    {
      argv: ['{"trafficRoutingConfig":{"type":"TimeBasedCanary","timeBasedCanary":{"canaryPercentage":0,"canaryInterval":3000}}}'],
      message: /canaryPercentage: must be an integer from 1 to 99, got 0[^\n]*\n[^\n]*canaryInterval: is 3000 minutes/,
    },
    { argv: ["{not json"], message: /the argument is not valid JSON/ },
    { argv: [], message: /expected exactly one config, got 0/ },
    { argv: ["a", "b"], message: /expected exactly one config, got 2/ },
    { argv: ["--bogus"], message: /Unknown option '--bogus'/ },
    { argv: ["--list", "x"], message: /--list takes no config argument/ },
    { argv: ["@"], message: /'@' must be followed by a file path/ },
  ])("$argv", async ({ argv, message }) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
  });

  it("names the error type", async () => {
    const r = await run("nope");
    expect(r.stderr.startsWith("stepdeploy schedule: invalid deployment config (Deploy.InvalidConfig):\n  deploymentConfig: no deployment config named 'nope'")).toBe(true);
  });
});

describe("wiring", () => {
  it("is registered in the CLI with a summary", async () => {
    expect(COMMANDS.schedule.summary).toMatch(/schedule/);
    const io = memoryIO();
    expect(await main(["schedule", "CodeDeployDefault.LambdaAllAtOnce", "--json"], io)).toBe(0);
    expect(JSON.parse(io.stdout)).toEqual({ config: "CodeDeployDefault.LambdaAllAtOnce", steps: [{ atSeconds: 0, weight: 100 }], totalSeconds: 0 });
  });

  it("the real binary prints the schedule as JSON", async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["bin/stepdeploy.mjs", "schedule", "CodeDeployDefault.LambdaCanary10Percent5Minutes", "--json"], { cwd: ROOT });
    expect(stderr).toBe("");
    expect(JSON.parse(stdout)).toEqual({
      config: "CodeDeployDefault.LambdaCanary10Percent5Minutes",
      steps: [
        { atSeconds: 0, weight: 10 },
        { atSeconds: 300, weight: 100 },
      ],
      totalSeconds: 300,
    });
  });

  it("the real binary exits 2 on an unknown config", async () => {
    const error = await promisify(execFile)(process.execPath, ["bin/stepdeploy.mjs", "schedule", "CodeDeployDefault.Nope", "--json"], { cwd: ROOT }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(error).toMatchObject({ code: 2, stdout: "" });
    expect((error as { stderr: string }).stderr).toContain("DeploymentConfigDoesNotExistException");
  });
});
