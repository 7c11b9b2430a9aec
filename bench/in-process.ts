import path from "node:path";
import { pathToFileURL } from "node:url";
import { startDynalite } from "../local/emulators/dynalite.js";
import { simulateScenario } from "../local/simulate/run-scenario.js";
import type { WorldTransport } from "../local/simulate/world.js";
import { benchScenario } from "./deployments.js";
import { markdownTable } from "./table.js";

/**
 * What one simulated deployment costs this process, with the SDK talking to the simulated account
 * and dynalite in-process (the SDK's request-handler seam, as `simulate`, the demo and the tests
 * run) and over HTTP on 127.0.0.1 (as before, and as `run --endpoint` still does). The runs
 * alternate between the two, so both see the same machine load; the first runs of each kind warm up
 * and are not counted. Per deployment:
 *  - execution: StartExecution to the end of the execution (the report's wall time);
 *  - whole run: opening the world, the execution, the report, closing the world (one shared dynalite);
 *  - CPU: process CPU time of the whole run (less sensitive than wall time to other work on the machine).
 * `BENCH_IN_PROCESS_RUNS` changes the number of runs (default 15 per config and transport);
 * `BENCH_IN_PROCESS_CONFIGS=canary` and `BENCH_IN_PROCESS_TRANSPORTS=in-process` (comma lists) keep some
 * of them. `npx tsx bench/in-process.ts` runs this table alone (npm run bench runs all of them).
 */
const kept = <T>(all: readonly T[], env: string | undefined, label: (t: T) => string): T[] => {
  const wanted = env?.split(",").map((s) => s.trim()).filter(Boolean);
  return wanted?.length ? all.filter((t) => wanted.includes(label(t))) : [...all];
};
const CONFIGS = kept(
  [
    ["canary", "CodeDeployDefault.LambdaCanary10Percent5Minutes"],
    ["linear", "CodeDeployDefault.LambdaLinear10PercentEvery1Minute"],
    ["all-at-once", "CodeDeployDefault.LambdaAllAtOnce"],
  ] as const,
  process.env.BENCH_IN_PROCESS_CONFIGS,
  ([label]) => label,
);
const TRANSPORTS = kept<WorldTransport>(["in-process", "http"], process.env.BENCH_IN_PROCESS_TRANSPORTS, (t) => t);
const WARMUP = 2;

interface Sample {
  executionMs: number;
  wholeRunMs: number;
  cpuMs: number;
  apiCalls: number;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN);
};

export async function benchInProcess(print: (text: string) => void, runs = Number(process.env.BENCH_IN_PROCESS_RUNS ?? 15)): Promise<Record<string, unknown>[]> {
  const dynamo = await startDynalite("stepdeploy-local-registry");
  const samples = new Map<string, Sample[]>();
  let n = 0;
  try {
    for (let i = 0; i < WARMUP + runs; i++) {
      for (const [label, config] of CONFIGS) {
        for (const transport of TRANSPORTS) {
          const scenario = benchScenario(label, config);
          scenario.input.deploymentId = `d-IP${String(n++).padStart(7, "0")}`;
          const cpu = process.cpuUsage();
          const started = performance.now();
          const report = await simulateScenario(scenario, { dynamo, transport });
          const wholeRunMs = performance.now() - started;
          const used = process.cpuUsage(cpu);
          if (report.status !== "SUCCEEDED") throw new Error(`${label} over ${transport}: ${report.status} ${report.error ?? ""}`);
          if (i < WARMUP) continue;
          const key = `${label}|${transport}`;
          samples.set(key, [...(samples.get(key) ?? []), { executionMs: report.stats.wallMs, wholeRunMs, cpuMs: (used.user + used.system) / 1000, apiCalls: report.stats.apiCallsTotal }]);
        }
      }
    }
  } finally {
    await dynamo.close();
  }
  const rows = CONFIGS.flatMap(([label]) =>
    TRANSPORTS.map((transport) => {
      const s = samples.get(`${label}|${transport}`) ?? [];
      const pick = (k: keyof Sample) => s.map((x) => x[k]);
      return {
        config: label,
        transport,
        runs: s.length,
        apiCalls: s[0]?.apiCalls ?? 0,
        executionMedianMs: percentile(pick("executionMs"), 0.5),
        executionP90Ms: percentile(pick("executionMs"), 0.9),
        wholeRunMedianMs: percentile(pick("wholeRunMs"), 0.5),
        wholeRunP90Ms: percentile(pick("wholeRunMs"), 0.9),
        cpuMedianMs: percentile(pick("cpuMs"), 0.5),
      };
    }),
  );
  print(`\n### In-process cost per deployment (median and p90 of ${runs} runs each, transports alternating; 2 hooks, 1 alarm)\n`);
  print(
    markdownTable(rows, [
      { key: "config", title: "config" },
      { key: "transport", title: "SDK transport" },
      { key: "apiCalls", title: "AWS API calls" },
      { key: "executionMedianMs", title: "execution median ms" },
      { key: "executionP90Ms", title: "execution p90 ms" },
      { key: "wholeRunMedianMs", title: "whole run median ms" },
      { key: "wholeRunP90Ms", title: "whole run p90 ms" },
      { key: "cpuMedianMs", title: "CPU median ms" },
    ]),
  );
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
  await benchInProcess(console.log);
}
