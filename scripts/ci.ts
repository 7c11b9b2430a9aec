/**
 * The test orchestrator behind `npm test`. Stages, and what each waits for:
 *
 *   lint          biome lint .
 *   typecheck     tsc --noEmit -p .                       after lint
 *   validate-asl  tsx scripts/validate-asl.ts             after typecheck
 *   package       osls package (scripts/package-service.ts: the run's only packaging; offline)
 *   check-cfn     tsx scripts/check-cfn.ts                needs package (skipped if it failed)
 *   vitest        vitest run, the shared and isolated projects (vitest.config.ts): all but the
 *                 fault-injection suites and the template tests (both cores; --coverage with
 *                 thresholds on functions/); starts at once
 *   templates     vitest run --project=packaged: the tests of the packaged stack, which read
 *                 package's output instead of packaging again   after package
 *   fault-injection  vitest run --project=fault-injection, without coverage: the longest files by far
 *                 (v8 coverage made them about 45% slower) start at once, on the machine's spare time;
 *                 the deployments suite is three files (two halves of its runs, the racing pairs) so
 *                 that both workers share it rather than one running it alone at the end
 *   pack          tsx scripts/check-package.ts: npm pack, install the tarball into a temporary
 *                 prefix with --omit=dev, run the installed CLI   after validate-asl and check-cfn
 *
 * "after" only orders; "needs" also skips the stage when the other one did not pass. Stages start
 * as soon as they may, so lint/typecheck overlap package, and fault-injection and pack (mostly
 * network and disk) overlap everything. vitest's output streams as it runs; the others' is printed
 * as one block when each ends (streamed too when a single stage is selected). Then a
 * summary table, and as the very last line `N passed, N failed` where passed = passing vitest tests
 * + passing other stages and failed = failing vitest tests (or test files that did not load) +
 * failing stages. Exit code 1 if anything failed, 2 for a usage error.
 *
 * The machine is CPU-bound (2 cores): the sum of the stages' CPU, not their order, bounds the wall
 * time. CPU seconds (user+sys, this machine, 2026-12-02, load average 4-8 from other work, which
 * inflates them): lint 3, typecheck 33-40, validate-asl 6 (most of it asl-validator compiling its
 * schemas again for every file), package 44 (esbuild 34, the framework 10; 85-116 while
 * serverless-esbuild started every handler's build at once, each in a kept incremental context:
 * docs/deploy.md#bundling), check-cfn 2.5, vitest 270 (v8 coverage adds about 30% to the
 * in-process tests it measures: test/workflows 69 without, 89 with), templates 17.5,
 * fault-injection 112 (1,000 deployments, 100 racing pairs, 100 releases, 60 + 60 ECS; the
 * earlier table's 215 was also taken under others' load, and the runs are random), pack 38 (not
 * measured again; its wall time is npm install's disk and network). About 530 in all: 4 min 25 s
 * on an idle machine with perfect packing. Only templates, check-cfn, typecheck, validate-asl and
 * pack wait for another stage, so vitest, fault injection and package keep both cores busy from
 * the start. A whole `npm test` on the nearly idle machine (2026-12-02 19:17 UTC): 260 s wall,
 * about 480 CPU-s (445 seen by time(1), plus esbuild's 34, which it does not see), every stage
 * passed; the vitest stage (259 s) is the critical path. Per simulated deployment (the bulk of
 * vitest and fault injection), the AWS SDK's own request pipeline (serialization, endpoint rules,
 * SigV4, retries, parsing) is about 35% of the CPU, dynalite 12%, GC 7%, the engine and the
 * simulated account about 5% each.
 *
 *   npm test                                   # everything (what CI runs)
 *   npm test -- --only vitest                  # one stage; --only a,b or repeat --only
 *   npm test -- --skip package,check-cfn       # everything but these
 *   npm test -- --only vitest -- test/unit/deploy   # args after a second -- go to the vitest stage
 *                                                    # (which then runs just those, without coverage)
 *   npm test -- --list                         # stage names
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { OSLS_ENV, PACKAGE_ARGS, PACKAGED_DIR_ENV } from "./package-service.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name: string): string => path.join(ROOT, "node_modules", ".bin", name);
/** Longer than the longest test's own timeout (the fault-injection suite allows itself 30 minutes). */
const STAGE_TIMEOUT_MS = Number(process.env.CI_STAGE_TIMEOUT_MS ?? 45 * 60_000);

/**
 * Each stage runs in its own process group, so a timeout (or Ctrl-C here) ends the whole stage:
 * killing only vitest's main process left its workers running the suite on.
 */
const running = new Set<number>();
const killGroup = (pid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
};
function forwardSignals(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      for (const pid of running) killGroup(pid, signal);
      process.exit(130);
    });
  }
}

export interface Stage {
  name: string;
  command: (extra: string[]) => string[];
  /** Stages whose output this one reads: it waits for them and is skipped if one did not pass. */
  needs?: string[];
  /** Stages that end before this one starts (to share the two cores sensibly); their outcome does not matter. */
  after?: string[];
  /** Runs vitest: its json report gives the test counts. */
  vitest?: boolean;
  /** Streams its output (one stage at a time may). */
  stream?: boolean;
}

const vitestJson = (stage: string) => path.join(tmpdir(), `stepdeploy-${stage}-${process.pid}.json`);
/** vitest.config.ts's projects: the fault-injection suites and the template tests are projects of their own. */
const MAIN_PROJECTS = ["--project=shared", "--project=isolated"];
const FAULT_PROJECT = "--project=fault-injection";
const PACKAGED_PROJECT = "--project=packaged";
const vitestRun = (stage: string, args: string[]) => [bin("vitest"), "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson(stage)}`, ...args];

export const STAGES: Stage[] = [
  { name: "lint", command: () => [bin("biome"), "lint", "."] },
  { name: "typecheck", after: ["lint"], command: () => [bin("tsc"), "--noEmit", "-p", "."] },
  { name: "validate-asl", after: ["typecheck"], command: () => [bin("tsx"), "scripts/validate-asl.ts"] },
  { name: "package", command: () => [bin("osls"), ...PACKAGE_ARGS] },
  { name: "check-cfn", needs: ["package"], command: () => [bin("tsx"), "scripts/check-cfn.ts"] },
  {
    name: "vitest",
    vitest: true,
    stream: true,
    // Coverage (thresholds in vitest.config.ts) only when the whole suite runs: a subset cannot meet them.
    command: (extra) => vitestRun("vitest", extra.length ? extra : ["--coverage", ...MAIN_PROJECTS]),
  },
  { name: "templates", vitest: true, after: ["package"], command: () => vitestRun("templates", [PACKAGED_PROJECT]) },
  { name: "fault-injection", vitest: true, command: () => vitestRun("fault-injection", [FAULT_PROJECT]) },
  { name: "pack", after: ["validate-asl", "check-cfn"], command: () => [bin("tsx"), "scripts/check-package.ts"] },
];

export interface Outcome {
  stage: string;
  status: "passed" | "failed" | "skipped";
  detail: string;
  seconds: number;
  /** Contribution to the closing line. */
  passed: number;
  failed: number;
}

export interface Options {
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

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
  timedOut: boolean;
  /** What the stage printed, when it was not streamed. */
  output: string;
}

export function run(argv: string[], opts: { live: boolean; env: Record<string, string>; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((resolve) => {
    const [cmd, ...args] = argv as [string, ...string[]];
    let timedOut = false;
    let settled = false;
    const chunks: Buffer[] = [];
    const stdio = opts.live ? (["ignore", "inherit", "inherit"] as const) : (["ignore", "pipe", "pipe"] as const);
    const child = spawn(cmd, args, { cwd: ROOT, stdio: [...stdio], env: { ...process.env, ...OSLS_ENV, ...opts.env }, detached: true });
    const pid = child.pid;
    if (pid) running.add(pid);
    child.stdout?.on("data", (c: Buffer) => chunks.push(c));
    child.stderr?.on("data", (c: Buffer) => chunks.push(c));
    const timer = setTimeout(() => {
      timedOut = true;
      if (pid) killGroup(pid, "SIGTERM");
      setTimeout(() => pid && killGroup(pid, "SIGKILL"), 5_000).unref();
    }, opts.timeoutMs ?? STAGE_TIMEOUT_MS);
    const done = (r: Omit<RunResult, "output">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (pid) running.delete(pid);
      resolve({ ...r, output: Buffer.concat(chunks).toString("utf8") });
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

export interface StageRun {
  index: number;
  total: number;
  vitestArgs: string[];
  /** Print the stage's output as it comes (else as one block when it ends). */
  live: boolean;
  env: Record<string, string>;
}

async function runStage(stage: Stage, r: StageRun): Promise<Outcome> {
  const argv = stage.command(r.vitestArgs);
  const shown = argv.map((a) => (a.startsWith(ROOT) ? path.relative(ROOT, a).replace(/^node_modules\/\.bin\//, "") : a)).join(" ");
  const header = `\n━━━ [${r.index}/${r.total}] ${stage.name}: ${shown}`;
  if (r.live) console.log(header);
  const started = Date.now();
  const json = vitestJson(stage.name);
  if (stage.vitest) rmSync(json, { force: true });
  const result = await run(argv, { live: r.live, env: r.env });
  const seconds = (Date.now() - started) / 1000;
  if (!r.live) process.stdout.write(`${header} (${seconds.toFixed(1)} s)\n${result.output}`);
  const ok = !result.error && !result.timedOut && result.code === 0;

  if (!stage.vitest) {
    return { stage: stage.name, status: ok ? "passed" : "failed", detail: ok ? "" : describeExit(result), seconds, passed: ok ? 1 : 0, failed: ok ? 0 : 1 };
  }
  let report: JestLikeReport | undefined;
  try {
    if (existsSync(json)) report = JSON.parse(readFileSync(json, "utf8")) as JestLikeReport;
  } catch {
    report = undefined;
  } finally {
    rmSync(json, { force: true });
  }
  if (!report) {
    // vitest died before writing its report: the stage itself is one failure.
    return { stage: stage.name, status: "failed", detail: `no json report (${describeExit(result)})`, seconds, passed: 0, failed: 1 };
  }
  const c = vitestCounts(report);
  let failed = c.failed;
  const notes = [`${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ""}`];
  if (c.brokenFiles.length) notes.push(`not loaded: ${c.brokenFiles.join(", ")}`);
  if (!ok && failed === 0) {
    // e.g. coverage under its thresholds, an unhandled error or no test files: vitest failed although no test did.
    failed = 1;
    notes.push(`vitest ${describeExit(result)}`);
  }
  return { stage: stage.name, status: failed === 0 ? "passed" : "failed", detail: notes.join("; "), seconds, passed: c.passed, failed };
}

/**
 * Runs the selected stages, each as soon as the selected stages it needs or comes after have ended.
 * Outcomes come back in STAGES order.
 */
export async function runStages(opts: Options, runner: (stage: Stage, r: StageRun) => Promise<Outcome> = runStage): Promise<Outcome[]> {
  const selected = new Map(opts.stages.map((s, i) => [s.name, i]));
  const outcomes = new Map<string, Promise<Outcome>>();
  const outcomeOf = (stage: Stage): Promise<Outcome> => {
    let p = outcomes.get(stage.name);
    if (p) return p;
    p = (async () => {
      const waits = [...(stage.needs ?? []), ...(stage.after ?? [])].filter((n) => selected.has(n));
      const before = await Promise.all(waits.map((n) => outcomeOf(opts.stages[selected.get(n) as number] as Stage)));
      const index = (selected.get(stage.name) as number) + 1;
      const blocked = before.find((o) => stage.needs?.includes(o.stage) && o.status !== "passed");
      if (blocked) {
        console.log(`\n━━━ [${index}/${opts.stages.length}] ${stage.name}: skipped (${blocked.stage} ${blocked.status})`);
        return { stage: stage.name, status: "skipped", detail: `${blocked.stage} ${blocked.status}`, seconds: 0, passed: 0, failed: 0 } satisfies Outcome;
      }
      // The template tests read this run's packaged output instead of packaging again.
      const env: Record<string, string> = stage.vitest && before.some((o) => o.stage === "package" && o.status === "passed") ? { [PACKAGED_DIR_ENV]: ROOT } : {};
      const outcome = await runner(stage, { index, total: opts.stages.length, vitestArgs: opts.vitestArgs, live: Boolean(stage.stream) || opts.stages.length === 1, env });
      const reused = (stage.needs ?? []).filter((n) => !selected.has(n));
      if (reused.length) outcome.detail = [outcome.detail, `used the existing output of ${reused.join(", ")}`].filter(Boolean).join("; ");
      return outcome;
    })();
    outcomes.set(stage.name, p);
    return p;
  };
  return Promise.all(opts.stages.map(outcomeOf));
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
    forwardSignals();
    outcomes.push(...(await runStages(opts)));
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
