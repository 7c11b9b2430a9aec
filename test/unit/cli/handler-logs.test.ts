import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { captureHandlerLogs } from "../../../cli/handler-logs.js";
import { memoryIO } from "../../../cli/io.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "stepdeploy-logs-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const INFO = '{"level":"INFO","message":"baking","deploymentId":"d-AAAAAAAA1"}\n';
const WARN = '{"level":"WARN","message":"deployment failed","deploymentId":"d-AAAAAAAA1"}\n';

describe("captureHandlerLogs", () => {
  it("sends what the handlers write on stdout and stderr to one file, and says where on stderr", () => {
    const io = memoryIO();
    const originals = [process.stdout.write, process.stderr.write];
    const logs = captureHandlerLogs(io, { command: "simulate", verbose: false, dir });
    process.stdout.write(INFO);
    process.stderr.write(WARN);
    process.stdout.write(Buffer.from(INFO));
    logs.finish();
    logs.finish();
    expect([process.stdout.write, process.stderr.write]).toEqual(originals);
    expect(io.stdout).toBe("");
    const m = /^handler logs: 3 lines \(1 WARN\) in (\S+) \(--verbose shows them here\)\n$/.exec(io.stderr);
    expect(m).not.toBeNull();
    expect(readFileSync(m?.[1] as string, "utf8")).toBe(INFO + WARN + INFO);
  });

  it("writes no file and says nothing when the handlers logged nothing", () => {
    const io = memoryIO();
    const before = readdirSync(dir).length;
    captureHandlerLogs(io, { command: "run", verbose: false, dir }).finish();
    expect(io.stderr).toBe("");
    expect(readdirSync(dir)).toHaveLength(before);
  });

  it("--verbose: the lines go to stderr as they come, stdout keeps only the command's output", () => {
    const io = memoryIO();
    const before = readdirSync(dir).length;
    const logs = captureHandlerLogs(io, { command: "demo", verbose: true, dir });
    process.stdout.write(INFO);
    io.out("timeline line");
    process.stderr.write(WARN);
    logs.finish();
    expect(io.stdout).toBe("timeline line\n");
    expect(io.stderr).toBe(INFO + WARN);
    expect(readdirSync(dir)).toHaveLength(before);
  });
});

describe("the real binary keeps handler logs out of its output", () => {
  const scenario = join(ROOT, "events/scenarios/alarm-mid-bake.json");
  const env = { ...process.env };
  delete env.POWERTOOLS_LOG_LEVEL; // as a user runs it: the handlers log at INFO
  const run = (...args: string[]) => promisify(execFile)(process.execPath, [join(ROOT, "bin/stepdeploy.mjs"), "simulate", scenario, ...args], { cwd: ROOT, env, timeout: 60_000 });

  it("--json: stdout is the report alone; the handlers' lines, with the deployment id, are in the file named on stderr", async () => {
    const { stdout, stderr } = await run("--json");
    const report = JSON.parse(stdout) as { deploymentId: string; error: string };
    expect(report.error).toBe("Deploy.AlarmTriggered");
    const m = /handler logs: (\d+) lines \(1 WARN\) in (\S+)/.exec(stderr);
    expect(m).not.toBeNull();
    const lines = readFileSync(m?.[2] as string, "utf8").trim().split("\n");
    expect(lines).toHaveLength(Number(m?.[1]));
    expect(lines.map((l) => JSON.parse(l) as { level: string; deploymentId?: string }).every((l) => l.deploymentId === report.deploymentId)).toBe(true);
    rmSync(m?.[2] as string);
  });

  it("the human timeline has no JSON line and no repeated line within a second; --verbose shows the WARN on stderr", async () => {
    const human = await run();
    const lines = human.stdout.split("\n");
    expect(lines.filter((l) => l.trimStart().startsWith("{"))).toEqual([]);
    const timeline = lines.filter((l) => /^ {2}t\+/.test(l));
    expect(new Set(timeline).size).toBe(timeline.length);
    expect(timeline).toContain("  t+  00:00  alarms   alarms read: orders-errors=OK  (x4)");
    rmSync(/ in (\S+) \(--verbose/.exec(human.stderr)?.[1] as string);

    const verbose = await run("--json", "--verbose");
    expect(JSON.parse(verbose.stdout).error).toBe("Deploy.AlarmTriggered");
    expect(verbose.stderr).toMatch(/"level":"WARN","message":"deployment failed"/);
    expect(verbose.stderr).not.toMatch(/handler logs: /);
  });
});
