/**
 * Hostile-input benchmark: replays every case of the hostile-input table (test/hostile/cases, the same table the
 * test suite asserts) and measures what each costs. Each case's input is generated here, then attempted in a
 * fresh Node process running this file as one esbuild bundle (as a Lambda runs the code), so each case's time
 * and memory are its own. Per class: cases, how many were refused with the expected error and left nothing
 * behind, the worst wall and CPU time, the worst memory (peak RSS above the RSS before the attempt, sampled
 * every 5 ms and after it, and heap growth), and which case was slowest.
 *
 *   npx tsx bench/hostile.ts          prints the table, writes bench/results/hostile.json
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { HOSTILE_CASES } from "../test/hostile/cases/index.js";
import { bundleForNode, watchPeakRss } from "./child.js";
import { markdownTable } from "./table.js";

const HERE = fileURLToPath(import.meta.url);
const MiB = 1024 * 1024;

interface Measured {
  error: string | null;
  refused: boolean;
  wallMs: number;
  cpuMs: number;
  rssMb: number;
  heapMb: number;
}

export interface HostileRow {
  class: string;
  cases: number;
  rejected: number;
  worstWallMs: number;
  worstCpuMs: number;
  worstRssMb: number;
  worstHeapMb: number;
  slowest: string;
}

/** In the child: one attempt, measured from just before it starts. */
async function child(index: number, inputFile: string, sandbox: string): Promise<void> {
  const c = HOSTILE_CASES[index]!;
  const input: unknown = JSON.parse(await readFile(inputFile, "utf8"));
  const heap = process.memoryUsage().heapUsed;
  const rss = watchPeakRss();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const attempt = await c.surface.attempt(input, sandbox);
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const peak = rss.stop();
  const measured: Measured = {
    error: attempt.error?.name ?? null,
    refused: attempt.error?.name === c.expectError && attempt.changed.length === 0,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round((used.user + used.system) / 1000),
    rssMb: round((peak - rss.baseline) / MiB),
    heapMb: round(Math.max(0, process.memoryUsage().heapUsed - heap) / MiB),
  };
  process.stdout.write(`${JSON.stringify(measured)}\n`);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Runs every case; prints the table under a heading with `print` when given. */
export async function benchHostile(print?: (text: string) => void): Promise<HostileRow[]> {
  const work = await mkdtemp(join(tmpdir(), "stepdeploy-bench-hostile-"));
  const rows = new Map<string, HostileRow>();
  try {
    const bundled = join(work, "hostile-child.mjs");
    await bundleForNode(HERE, bundled);
    for (const [index, c] of HOSTILE_CASES.entries()) {
      const dir = await mkdtemp(join(work, "in-"));
      const sandbox = await mkdtemp(join(work, "sandbox-"));
      const inputFile = join(dir, "input.json");
      await writeFile(inputFile, JSON.stringify(await c.generate(dir)));
      const { stdout } = await promisify(execFile)(process.execPath, [bundled, "--child", String(index), inputFile, sandbox], {
        env: { ...process.env, POWERTOOLS_LOG_LEVEL: "SILENT" },
        maxBuffer: MiB,
      });
      await rm(dir, { recursive: true, force: true });
      await rm(sandbox, { recursive: true, force: true });
      const m = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Measured;
      const row = rows.get(c.class) ?? { class: c.class, cases: 0, rejected: 0, worstWallMs: 0, worstCpuMs: 0, worstRssMb: 0, worstHeapMb: 0, slowest: "" };
      row.cases++;
      if (m.refused) row.rejected++;
      if (m.wallMs >= row.worstWallMs) {
        row.worstWallMs = m.wallMs;
        row.slowest = c.name;
      }
      row.worstCpuMs = Math.max(row.worstCpuMs, m.cpuMs);
      row.worstRssMb = Math.max(row.worstRssMb, m.rssMb);
      row.worstHeapMb = Math.max(row.worstHeapMb, m.heapMb);
      rows.set(c.class, row);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const result = [...rows.values()];
  print?.("\n### Hostile inputs (test/hostile/cases; each case in a fresh process, default limits unless the case says scaled)\n");
  print?.(
    markdownTable(result, [
      { key: "class", title: "class" },
      { key: "cases", title: "count" },
      { key: "rejected", title: "rejected" },
      { key: "worstWallMs", title: "worst ms" },
      { key: "worstCpuMs", title: "worst CPU ms" },
      { key: "worstRssMb", title: "worst RSS +MB" },
      { key: "worstHeapMb", title: "worst heap +MB" },
      { key: "slowest", title: "slowest case" },
    ]),
  );
  return result;
}

const isMain = process.argv[1] !== undefined && (import.meta.url === pathToFileURL(process.argv[1]).href || process.argv[2] === "--child");
if (isMain && process.argv[2] === "--child") {
  await child(Number(process.argv[3]), process.argv[4]!, process.argv[5]!);
} else if (isMain) {
  const rows = await benchHostile(console.log);
  const out = fileURLToPath(new URL("./results/hostile.json", import.meta.url));
  await mkdir(join(out, ".."), { recursive: true });
  await writeFile(out, `${JSON.stringify({ node: process.version, at: new Date().toISOString(), rows }, null, 2)}\n`);
  console.log(`wrote ${out}`);
}
