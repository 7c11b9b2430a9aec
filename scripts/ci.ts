/**
 * The test orchestrator behind `npm test`. Runs, in order:
 *
 *   lint          biome lint .
 *   typecheck     tsc --noEmit -p .
 *   validate-asl  tsx scripts/validate-asl.ts
 *   vitest        vitest run (every test; the json reporter feeds the counts)
 *   package       osls package (offline, no credentials)
 *   check-cfn     tsx scripts/check-cfn.ts (skipped if package failed in this run)
 *
 * Each stage's output is streamed as it runs; then a summary table, and as the very last line
 * `N passed, N failed` where passed = passing vitest tests + passing other stages and
 * failed = failing vitest tests (or test files that did not load) + failing stages.
 * Exit code 1 if anything failed, 2 for a usage error.
 *
 *   npm test                                   # everything (what CI runs)
 *   npm test -- --only vitest                  # one stage; --only a,b or repeat --only
 *   npm test -- --skip package,check-cfn       # everything but these
 *   npm test -- --only vitest -- test/unit/deploy   # args after a second -- go to vitest
 *   npm test -- --list                         # stage names
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name: string): string => path.join(ROOT, "node_modules", ".bin", name);
const STAGE_TIMEOUT_MS = Number(process.env.CI_STAGE_TIMEOUT_MS ?? 20 * 60_000);

const CI_ENV: Record<string, string> = {
  SLS_TELEMETRY_DISABLED: "1",
  SLS_NOTIFICATIONS_MODE: "off",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
};

interface Stage {
  name: string;
  command: (extra: string[]) => string[];
  /** A stage whose output is only meaningful after another one succeeded in this run. */
  needs?: string;
  vitest?: boolean;
}

const VITEST_JSON = path.join(tmpdir(), `stepdeploy-vitest-${process.pid}-${Date.now()}.json`);

export const STAGES: Stage[] = [
  { name: "lint", command: () => [bin("biome"), "lint", "."] },
  { name: "typecheck", command: () => [bin("tsc"), "--noEmit", "-p", "."] },
  { name: "validate-asl", command: () => [bin("tsx"), "scripts/validate-asl.ts"] },
  {
    name: "vitest",
    vitest: true,
    command: (extra) => [bin("vitest"), "run", "--reporter=default", "--reporter=json", `--outputFile.json=${VITEST_JSON}`, ...extra],
  },
  { name: "package", command: () => [bin("osls"), "package", "--param=targetFunctionPattern=orders-*"] },
  { name: "check-cfn", needs: "package", command: () => [bin("tsx"), "scripts/check-cfn.ts"] },
];

interface Outcome {
  stage: string;
  status: "passed" | "failed" | "skipped";
  detail: string;
  seconds: number;
  /** Contribution to the closing line. */
  passed: number;
  failed: number;
}

interface Options {
  stages: Stage[];
  vitestArgs: string[];
}

class UsageError extends Error {}

export function parseArgs(argv: string[]): Options | "list" {
  const names = STAGES.map((s) => s.name);
  const only: string[] = [];
  const skip: string[] = [];
  const dash = argv.indexOf("--");
  const own = dash >= 0 ? argv.slice(0, dash) : argv;
  const vitestArgs = dash >= 0 ? argv.slice(dash + 1) : [];
  for (let i = 0; i < own.length; i++) {
    const arg = own[i] as string;
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (flag === "--list") return "list";
    if (flag === "--only" || flag === "--skip") {
      const value = inline ?? own[++i];
      if (!value) throw new UsageError(`${flag} needs a stage list, e.g. ${flag} vitest,lint`);
      (flag === "--only" ? only : skip).push(...value.split(",").map((s) => s.trim()).filter(Boolean));
    } else throw new UsageError(`unknown argument '${arg}' (use --only, --skip, --list, or -- <vitest args>)`);
  }
  for (const n of [...only, ...skip]) if (!names.includes(n)) throw new UsageError(`unknown stage '${n}'; stages: ${names.join(", ")}`);
  const stages = STAGES.filter((s) => (only.length === 0 || only.includes(s.name)) && !skip.includes(s.name));
  if (stages.length === 0) throw new UsageError("no stage selected");
  return { stages, vitestArgs };
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
  timedOut: boolean;
}

function run(argv: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    const [cmd, ...args] = argv as [string, ...string[]];
    let timedOut = false;
    let settled = false;
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, ...CI_ENV } });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
    }, STAGE_TIMEOUT_MS);
    const done = (r: RunResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    child.on("error", (error) => done({ code: null, signal: null, error, timedOut }));
    child.on("close", (code, signal) => done({ code, signal, timedOut }));
  });
}

function describeExit(r: RunResult): string {
  if (r.error) return `crashed: ${r.error.message}`;
  if (r.timedOut) return `timed out after ${Math.round(STAGE_TIMEOUT_MS / 1000)} s`;
  if (r.signal) return `killed by ${r.signal}`;
  return `exit ${r.code}`;
}

interface JestLikeReport {
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
  numTotalTestSuites?: number;
  testResults?: Array<{ name?: string; status?: string; message?: string; assertionResults?: Array<{ status?: string }> }>;
}

/** Counts from vitest's json reporter; files that failed without a failing test count once each. */
export function vitestCounts(report: JestLikeReport): { passed: number; failed: number; skipped: number; brokenFiles: string[] } {
  const brokenFiles = (report.testResults ?? [])
    .filter((f) => f.status === "failed" && !(f.assertionResults ?? []).some((a) => a.status === "failed"))
    .map((f) => path.relative(ROOT, f.name ?? "?"));
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + brokenFiles.length,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    brokenFiles,
  };
}

async function runStage(stage: Stage, index: number, total: number, vitestArgs: string[]): Promise<Outcome> {
  const argv = stage.command(vitestArgs);
  const shown = argv.map((a) => (a.startsWith(ROOT) ? path.relative(ROOT, a).replace(/^node_modules\/\.bin\//, "") : a)).join(" ");
  console.log(`\n━━━ [${index}/${total}] ${stage.name}: ${shown}`);
  const started = Date.now();
  if (stage.vitest) rmSync(VITEST_JSON, { force: true });
  const r = await run(argv);
  const seconds = (Date.now() - started) / 1000;
  const ok = !r.error && !r.timedOut && r.code === 0;

  if (!stage.vitest) {
    return { stage: stage.name, status: ok ? "passed" : "failed", detail: ok ? "" : describeExit(r), seconds, passed: ok ? 1 : 0, failed: ok ? 0 : 1 };
  }
  let report: JestLikeReport | undefined;
  try {
    if (existsSync(VITEST_JSON)) report = JSON.parse(readFileSync(VITEST_JSON, "utf8")) as JestLikeReport;
  } catch {
    report = undefined;
  } finally {
    rmSync(VITEST_JSON, { force: true });
  }
  if (!report) {
    // vitest died before writing its report: the stage itself is one failure.
    return { stage: stage.name, status: "failed", detail: `no json report (${describeExit(r)})`, seconds, passed: 0, failed: 1 };
  }
  const c = vitestCounts(report);
  let failed = c.failed;
  const notes = [`${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ""}`];
  if (c.brokenFiles.length) notes.push(`not loaded: ${c.brokenFiles.join(", ")}`);
  if (!ok && failed === 0) {
    // e.g. an unhandled error or no test files: vitest failed although no test did.
    failed = 1;
    notes.push(`vitest ${describeExit(r)}`);
  }
  return { stage: stage.name, status: failed === 0 ? "passed" : "failed", detail: notes.join("; "), seconds, passed: c.passed, failed };
}

function printSummary(outcomes: Outcome[]): void {
  const rows = outcomes.map((o) => [o.stage, o.status, `${o.seconds.toFixed(1)} s`, o.detail]);
  const header = ["stage", "result", "time", "detail"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  console.log(`\n━━━ summary`);
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const r of rows) console.log(line(r));
}

export async function main(argv: string[]): Promise<number> {
  const outcomes: Outcome[] = [];
  let exit = 0;
  try {
    const opts = parseArgs(argv);
    if (opts === "list") {
      for (const s of STAGES) console.log(s.name);
      return 0;
    }
    const selected = new Set(opts.stages.map((s) => s.name));
    let i = 0;
    for (const stage of opts.stages) {
      i++;
      const dependency = stage.needs ? outcomes.find((o) => o.stage === stage.needs) : undefined;
      if (dependency && dependency.status !== "passed") {
        console.log(`\n━━━ [${i}/${opts.stages.length}] ${stage.name}: skipped (${stage.needs} failed)`);
        outcomes.push({ stage: stage.name, status: "skipped", detail: `${stage.needs} failed`, seconds: 0, passed: 0, failed: 0 });
        continue;
      }
      const outcome = await runStage(stage, i, opts.stages.length, opts.vitestArgs);
      if (stage.needs && !selected.has(stage.needs)) outcome.detail = [outcome.detail, `used the existing output of ${stage.needs}`].filter(Boolean).join("; ");
      outcomes.push(outcome);
    }
  } catch (e) {
    const usage = e instanceof UsageError;
    console.error(`ci: ${usage ? "" : "crashed: "}${(e as Error).stack && !usage ? (e as Error).stack : (e as Error).message}`);
    outcomes.push({ stage: "ci", status: "failed", detail: usage ? "usage error" : "orchestrator crashed", seconds: 0, passed: 0, failed: 1 });
    exit = usage ? 2 : 1;
  }
  printSummary(outcomes);
  const passed = outcomes.reduce((n, o) => n + o.passed, 0);
  const failed = outcomes.reduce((n, o) => n + o.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  return exit || (failed > 0 ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
