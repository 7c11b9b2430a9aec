import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { type Outcome, parseArgs, run, runStages, STAGES, type Stage, type StageRun, vitestCounts } from "../../../scripts/ci.js";
import { PACKAGED_DIR_ENV } from "../../../scripts/package-service.js";
import { ROOT } from "./package-fixture.js";

async function ci(...args: string[]): Promise<{ code: number; lines: string[] }> {
  try {
    const { stdout } = await promisify(execFile)(path.join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/ci.ts", ...args], { cwd: ROOT });
    return { code: 0, lines: stdout.trimEnd().split("\n") };
  } catch (e) {
    const err = e as { code?: number; stdout?: string };
    return { code: err.code ?? -1, lines: (err.stdout ?? "").trimEnd().split("\n") };
  }
}

describe("scripts/ci.ts", () => {
  it("lists the stages in the documented order", () => {
    expect(STAGES.map((s) => s.name)).toEqual(["lint", "typecheck", "validate-asl", "package", "check-cfn", "vitest", "templates", "fault-injection", "pack"]);
  });

  it("selects stages with --only/--skip and passes args after -- to vitest", () => {
    const names = (argv: string[]) => {
      const o = parseArgs(argv);
      return o === "list" ? o : o.stages.map((s) => s.name);
    };
    expect(names(["--only", "vitest"])).toEqual(["vitest"]);
    expect(names(["--only=lint,typecheck", "--only", "check-cfn"])).toEqual(["lint", "typecheck", "check-cfn"]);
    expect(names(["--skip", "package,check-cfn,pack,fault-injection"])).toEqual(["lint", "typecheck", "validate-asl", "vitest", "templates"]);
    expect(names(["--list"])).toBe("list");
    const o = parseArgs(["--only", "vitest", "--", "test/unit/deploy", "-t", "x"]);
    expect(o !== "list" && o.vitestArgs).toEqual(["test/unit/deploy", "-t", "x"]);
    expect(() => parseArgs(["--only", "nope"])).toThrow(/unknown stage 'nope'/);
    expect(() => parseArgs(["--frobnicate"])).toThrow(/unknown argument/);
  });

  describe("scheduling", () => {
    /** Runs the selected stages with a fake runner; `fail` lists stages that fail. Records starts and ends in order. */
    async function schedule(only: string[], fail: string[] = []) {
      const log: string[] = [];
      const runs = new Map<string, StageRun>();
      // vitest lasts until pack has started (or a second has passed): pack must not wait for it.
      let packStarted = () => {};
      const packStart = new Promise<void>((resolve) => {
        packStarted = resolve;
        setTimeout(resolve, 1000).unref();
      });
      const opts = parseArgs(["--only", only.join(",")]);
      if (opts === "list") throw new Error("unexpected");
      const outcomes = await runStages(opts, async (stage: Stage, r: StageRun): Promise<Outcome> => {
        log.push(`start ${stage.name}`);
        runs.set(stage.name, r);
        if (stage.name === "pack") packStarted();
        await (stage.name === "vitest" ? packStart : new Promise((resolve) => setImmediate(resolve)));
        log.push(`end ${stage.name}`);
        const ok = !fail.includes(stage.name);
        return { stage: stage.name, status: ok ? "passed" : "failed", detail: "", seconds: 0, passed: ok ? 1 : 0, failed: ok ? 0 : 1 };
      });
      return { log, runs, outcomes };
    }
    const precedes = (log: string[], a: string, b: string) => log.indexOf(a) >= 0 && log.indexOf(a) < log.indexOf(b);

    it("starts independent stages together and each stage after what it waits for", async () => {
      const { log, outcomes } = await schedule(STAGES.map((s) => s.name));
      expect(outcomes.map((o) => o.stage)).toEqual(STAGES.map((s) => s.name));
      expect(log.slice(0, 4).sort()).toEqual(["start fault-injection", "start lint", "start package", "start vitest"]);
      expect(precedes(log, "end lint", "start typecheck")).toBe(true);
      expect(precedes(log, "end typecheck", "start validate-asl")).toBe(true);
      expect(precedes(log, "end package", "start check-cfn")).toBe(true);
      expect(precedes(log, "end package", "start templates")).toBe(true);
      expect(precedes(log, "end check-cfn", "start pack")).toBe(true);
      expect(precedes(log, "end validate-asl", "start pack")).toBe(true);
      expect(precedes(log, "start pack", "end vitest")).toBe(true);
    });

    it("the template tests read package's output only when package passed in this run; check-cfn is skipped when it failed", async () => {
      const passed = await schedule(["package", "check-cfn", "vitest", "templates"]);
      expect(passed.runs.get("templates")?.env).toEqual({ [PACKAGED_DIR_ENV]: expect.any(String) });
      expect(passed.runs.get("vitest")?.env).toEqual({});
      expect(passed.runs.get("vitest")?.live).toBe(true);
      expect(passed.runs.get("templates")?.live).toBe(false);
      expect(passed.runs.get("check-cfn")?.live).toBe(false);
      const all = await schedule(["vitest", "fault-injection"]);
      expect([all.runs.get("vitest")?.live, all.runs.get("fault-injection")?.live]).toEqual([true, false]);
      expect(all.runs.get("fault-injection")?.env).toEqual({});

      const failed = await schedule(["package", "check-cfn", "templates"], ["package"]);
      expect(failed.runs.get("templates")?.env).toEqual({});
      expect(failed.outcomes.map((o) => [o.stage, o.status])).toEqual([
        ["package", "failed"],
        ["check-cfn", "skipped"],
        ["templates", "passed"],
      ]);
    });

    it("a stage that only comes after a failed one still runs; one selected alone streams its output", async () => {
      const r = await schedule(["lint", "typecheck"], ["lint"]);
      expect(r.outcomes.map((o) => o.status)).toEqual(["failed", "passed"]);
      const alone = await schedule(["check-cfn"]);
      expect(alone.runs.get("check-cfn")?.live).toBe(true);
      expect(alone.outcomes[0]?.detail).toBe("used the existing output of package");
    });
  });

  it("a stage that runs out of time is ended with everything it started (vitest's workers too)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "stepdeploy-ci-"));
    const pidFile = path.join(dir, "grandchild.pid");
    try {
      const r = await run(["sh", "-c", `sleep 60 & echo $! > ${pidFile}; wait`], { live: false, env: {}, timeoutMs: 500 });
      expect(r.timedOut).toBe(true);
      const grandchild = Number(readFileSync(pidFile, "utf8"));
      // Gone, or a zombie waiting for whoever adopted it to reap it: either way it no longer runs. The signal is
      // delivered when the kernel next schedules it, which under load can come after the shell's own exit: these
      // are real processes, so the check allows them up to the stage's SIGKILL grace (5 s) to act on it.
      const state = () => (existsSync(`/proc/${grandchild}/stat`) ? readFileSync(`/proc/${grandchild}/stat`, "utf8").split(") ")[1]?.[0] : "gone");
      for (let i = 0; i < 200 && !["gone", "Z"].includes(state() ?? ""); i++) await new Promise((r) => setTimeout(r, 25));
      expect(["gone", "Z"]).toContain(state());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the vitest stage runs everything but the fault-injection suites and the template tests with coverage, or exactly the files given", () => {
    const command = (name: string, extra: string[] = []) => STAGES.find((s) => s.name === name)?.command(extra).slice(2) ?? [];
    expect(command("vitest")).toEqual(expect.arrayContaining(["--coverage", "--project=shared", "--project=isolated"]));
    expect(command("vitest")).not.toContain("--project=fault-injection");
    expect(command("vitest")).not.toContain("--project=packaged");
    expect(command("fault-injection")).toContain("--project=fault-injection");
    expect(command("fault-injection")).not.toContain("--coverage");
    expect(command("templates")).toContain("--project=packaged");
    expect(command("templates")).not.toContain("--coverage");
    const subset = command("vitest", ["test/unit/deploy"]);
    expect(subset).toContain("test/unit/deploy");
    expect(subset.filter((a) => a === "--coverage" || a.startsWith("--project"))).toEqual([]);
  });

  it("counts failing tests, and test files that did not load, from vitest's json report", () => {
    expect(
      vitestCounts({
        numPassedTests: 7,
        numFailedTests: 2,
        numPendingTests: 1,
        testResults: [
          { name: path.join(ROOT, "test/a.test.ts"), status: "failed", assertionResults: [{ status: "failed" }, { status: "passed" }] },
          { name: path.join(ROOT, "test/b.test.ts"), status: "failed", message: "SyntaxError", assertionResults: [] },
          { name: path.join(ROOT, "test/c.test.ts"), status: "passed", assertionResults: [{ status: "passed" }] },
        ],
      }),
    ).toEqual({ passed: 7, failed: 3, skipped: 1, brokenFiles: ["test/b.test.ts"] });
  });

  it("ends with exactly 'N passed, N failed' on the last line and exits 0 when all passed", async () => {
    // The cheapest real stage (biome lint, a second of CPU): what is checked is the orchestrator's report.
    const r = await ci("--only", "lint");
    expect(r.code).toBe(0);
    expect(r.lines.at(-1)).toBe("1 passed, 0 failed");
    expect(r.lines).toContainEqual(expect.stringMatching(/^lint\s+passed/));
  });

  it("counts a usage error as a failure, still ends with the closing line, exits non-zero", async () => {
    const r = await ci("--only", "nope");
    expect(r.code).toBe(2);
    expect(r.lines.at(-1)).toBe("0 passed, 1 failed");
  });
});
