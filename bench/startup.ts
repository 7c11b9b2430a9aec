import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCli, DIST, ROOT } from "../scripts/build-cli.mjs";
import { markdownTable } from "./table.js";

/**
 * CLI start-up, side by side with `node -e 0` on the same machine: every command below is started
 * as a child process RUNS times, in turn (node -e 0, then each form, then again), so a drift in the
 * machine's speed touches all of them alike. Wall time from spawn to exit; min and median.
 *
 * Forms: the package as installed (bin + dist, no sources next to it), the checkout's bin (which
 * first checks that dist/ is not older than the sources), and the same sources run through tsx
 * without a build (how the CLI ran before it was bundled; its help then also imported every command).
 */
const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 15);
const SCHEDULE = ["schedule", "CodeDeployDefault.LambdaCanary10Percent5Minutes"];

interface Row {
  command: string;
  form: string;
  minMs: number;
  medianMs: number;
  ratio: number;
}

/** bin/ and dist/ laid out as `npm install` lays out the package: no scripts/, so no build check. */
function installedLayout(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "stepdeploy-startup-"));
  mkdirSync(join(dir, "bin"));
  copyFileSync(join(ROOT, "bin", "stepdeploy.mjs"), join(dir, "bin", "stepdeploy.mjs"));
  spawnSync("cp", ["-R", DIST, join(dir, "dist")]);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function wallMs(argv: string[]): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, POWERTOOLS_LOG_LEVEL: "SILENT" } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`node ${argv.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

export async function benchStartup(print: (text: string) => void): Promise<Row[]> {
  await buildCli();
  const installed = installedLayout();
  const viaTsx = (args: string[]) => ["--import", "tsx", "--input-type=module", "-e", `const { main } = await import("./cli/main.ts"); process.exitCode = await main(${JSON.stringify(args)});`];
  const cases: Array<{ command: string; form: string; argv: string[] }> = [{ command: "node -e 0", form: "-", argv: ["-e", "0"] }];
  for (const [command, args] of [
    ["--help", ["--help"]],
    [SCHEDULE.join(" "), SCHEDULE],
  ] as const) {
    cases.push(
      { command, form: "installed package", argv: [join(installed.dir, "bin", "stepdeploy.mjs"), ...args] },
      { command, form: "checkout (bin/stepdeploy.mjs)", argv: [join(ROOT, "bin", "stepdeploy.mjs"), ...args] },
      { command, form: "sources through tsx, no build", argv: viaTsx([...args]) },
    );
  }
  const times = cases.map(() => [] as number[]);
  try {
    for (const c of cases) wallMs(c.argv); // warm-up: file cache, compile cache
    for (let i = 0; i < RUNS; i++) for (const [k, c] of cases.entries()) times[k]?.push(wallMs(c.argv));
  } finally {
    installed.remove();
  }
  const base = median(times[0] ?? []);
  const rows = cases.map((c, k) => ({ command: c.command, form: c.form, minMs: Math.min(...(times[k] ?? [])), medianMs: median(times[k] ?? []), ratio: median(times[k] ?? []) / base }));
  print(`\n### CLI start-up (wall ms from spawn to exit, ${RUNS} runs each in turn; ratio = median / median of node -e 0)\n`);
  print(
    markdownTable(rows, [
      { key: "command", title: "command" },
      { key: "form", title: "form" },
      { key: "minMs", title: "min ms", format: (v) => Number(v).toFixed(0) },
      { key: "medianMs", title: "median ms", format: (v) => Number(v).toFixed(0) },
      { key: "ratio", title: "x node -e 0", format: (v) => `${Number(v).toFixed(2)}x` },
    ]),
  );
  return rows;
}
