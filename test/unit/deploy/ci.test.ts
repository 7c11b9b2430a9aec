import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseArgs, STAGES, vitestCounts } from "../../../scripts/ci.js";
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
  it("runs the stages in the documented order", () => {
    expect(STAGES.map((s) => s.name)).toEqual(["lint", "typecheck", "validate-asl", "vitest", "package", "check-cfn"]);
  });

  it("selects stages with --only/--skip and passes args after -- to vitest", () => {
    const names = (argv: string[]) => {
      const o = parseArgs(argv);
      return o === "list" ? o : o.stages.map((s) => s.name);
    };
    expect(names(["--only", "vitest"])).toEqual(["vitest"]);
    expect(names(["--only=lint,typecheck", "--only", "check-cfn"])).toEqual(["lint", "typecheck", "check-cfn"]);
    expect(names(["--skip", "package,check-cfn"])).toEqual(["lint", "typecheck", "validate-asl", "vitest"]);
    expect(names(["--list"])).toBe("list");
    const o = parseArgs(["--only", "vitest", "--", "test/unit/deploy", "-t", "x"]);
    expect(o !== "list" && o.vitestArgs).toEqual(["test/unit/deploy", "-t", "x"]);
    expect(() => parseArgs(["--only", "nope"])).toThrow(/unknown stage 'nope'/);
    expect(() => parseArgs(["--frobnicate"])).toThrow(/unknown argument/);
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
    const r = await ci("--only", "validate-asl");
    expect(r.code).toBe(0);
    expect(r.lines.at(-1)).toBe("1 passed, 0 failed");
    expect(r.lines).toContainEqual(expect.stringMatching(/^validate-asl\s+passed/));
  });

  it("counts a usage error as a failure, still ends with the closing line, exits non-zero", async () => {
    const r = await ci("--only", "nope");
    expect(r.code).toBe(2);
    expect(r.lines.at(-1)).toBe("0 passed, 1 failed");
  });
});
