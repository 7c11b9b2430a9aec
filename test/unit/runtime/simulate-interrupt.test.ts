import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

/**
 * A release simulation interrupted with Ctrl-C (SIGINT) while its s3rver runs: the process still
 * ends by the signal, and s3rver's directory is gone. The child gets a private TMPDIR, so the test
 * sees only its own directories; an UpdateFunctionCode held for minutes keeps the release mid-run.
 */
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const CHILD = `
import { loadReleaseScenario } from ${JSON.stringify(join(ROOT, "local/simulate/release/scenario.ts"))};
import { simulateRelease } from ${JSON.stringify(join(ROOT, "local/simulate/release/run-release.ts"))};
const scenario = loadReleaseScenario(${JSON.stringify(join(ROOT, "events/releases/s3-canary.json"))});
scenario.account = { ...scenario.account, faults: [{ operation: "UpdateFunctionCode", kind: "timeout", holdMs: 600000 }] };
let told = false;
await simulateRelease(scenario, { onLine: (line) => { if (!told) console.log("running: " + line); told = true; } });
console.log("finished");
`;

describe("an interrupted release simulation", () => {
  it("removes its s3rver directory and still ends by the signal", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "stepdeploy-interrupt-"));
    dirs.push(tmp);
    const script = join(tmp, "child.mts");
    writeFileSync(script, CHILD);
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: tmp, POWERTOOLS_LOG_LEVEL: "SILENT", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("running:")) resolve();
      });
      child.stderr.on("data", (d: Buffer) => {
        out += d.toString();
      });
      void ended.then(() => reject(new Error(`the child ended before it was interrupted:\n${out}`)));
    });
    const s3rverDirs = () => readdirSync(tmp).filter((n) => n.startsWith("stepdeploy-s3rver-"));
    expect(s3rverDirs()).toHaveLength(1);
    child.kill("SIGINT");
    expect(await ended).toEqual({ code: null, signal: "SIGINT" });
    expect(out).not.toContain("finished");
    expect(s3rverDirs()).toEqual([]);
  }, 120_000);
});
