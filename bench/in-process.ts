import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startDynalite } from "../local/emulators/dynalite.js";
import { readServerlessYml } from "../local/runtime/stack.js";
import { simulateScenario } from "../local/simulate/run-scenario.js";
import type { WorldTransport } from "../local/simulate/world.js";
import { benchScenario } from "./deployments.js";
import { markdownTable } from "./table.js";

/**
 * What one simulated deployment costs this process, with the SDK talking to the simulated account
 * and dynalite in-process (the SDK's request-handler seam, as `simulate`, the demo and the tests
 * run) and over HTTP on 127.0.0.1 (as before, and as `run --endpoint` still does). Per deployment:
 *  - execution: StartExecution to the end of the execution (the report's wall time);
 *  - whole run: opening the world, the execution, the report, closing the world (one shared dynalite);
 *  - CPU: process CPU time of the whole run (less sensitive than wall time to other work on the machine).
 *
 * Method. Warm: the steady state of a long-running process (a test worker, the benchmark, `simulate` of
 * several scenarios). The first deployments of a process run slower while V8 compiles the hot paths (SDK
 * middleware, serde, the engine): on this machine the canary's CPU falls for about the first 30 runs, so
 * every config and transport first runs `BENCH_IN_PROCESS_WARMUP` times (default 30, not counted); then
 * `BENCH_IN_PROCESS_RUNS` counted runs (default 15), the configs and transports alternating in each round,
 * so all see the same machine load. Cold: what one `simulate` pays, the first deployment in a fresh process
 * (`BENCH_IN_PROCESS_COLD` child processes per config and transport, default 3, median shown; started with
 * tsx like this one; imports and dynalite are ready before the clock starts, what the run itself loads and
 * compiles is counted, and under tsx that includes transforming the handler modules it imports). The children
 * find serverless.yml's parse in the user's on-disk cache (local/runtime/stack.ts), as every `simulate` after the
 * first on a machine does; the very first pays the YAML parse too (about 0.3-0.7 s of CPU more). Both are printed.
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
const WARMUP = Number(process.env.BENCH_IN_PROCESS_WARMUP ?? 30);
const COLD = Number(process.env.BENCH_IN_PROCESS_COLD ?? 3);
const HERE = fileURLToPath(import.meta.url);

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

/** One deployment of `label` over `transport`: its three figures. */
async function measureOnce(dynamo: Awaited<ReturnType<typeof startDynalite>>, label: string, config: string, transport: WorldTransport, id: string): Promise<Sample> {
  const scenario = benchScenario(label, config);
  scenario.input.deploymentId = id;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const report = await simulateScenario(scenario, { dynamo, transport });
  const wholeRunMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (report.status !== "SUCCEEDED") throw new Error(`${label} over ${transport}: ${report.status} ${report.error ?? ""}`);
  return { executionMs: report.stats.wallMs, wholeRunMs, cpuMs: (used.user + used.system) / 1000, apiCalls: report.stats.apiCallsTotal };
}

/** The first deployment of a fresh process (a child: `--cold <label> <transport>`). */
function coldSample(label: string, transport: WorldTransport): Sample {
  const r = spawnSync(process.execPath, ["--import", "tsx", HERE, "--cold", label, transport], {
    cwd: path.resolve(path.dirname(HERE), ".."),
    encoding: "utf8",
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: "SILENT", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  });
  const last = r.stdout?.trim().split("\n").at(-1);
  if (r.status !== 0 || !last) throw new Error(`cold ${label} over ${transport}: exit ${r.status}\n${r.stderr}`);
  return JSON.parse(last) as Sample;
}

export async function benchInProcess(print: (text: string) => void, runs = Number(process.env.BENCH_IN_PROCESS_RUNS ?? 15)): Promise<Record<string, unknown>[]> {
  // Cold first, one child at a time, before this process's own runs load the machine; every child finds the
  // stack's parse cached (this process reads it first).
  readServerlessYml(path.resolve(path.dirname(HERE), ".."));
  const cold = new Map<string, Sample[]>();
  for (let i = 0; i < COLD; i++) {
    for (const [label] of CONFIGS) for (const transport of TRANSPORTS) cold.set(`${label}|${transport}`, [...(cold.get(`${label}|${transport}`) ?? []), coldSample(label, transport)]);
  }
  const dynamo = await startDynalite("stepdeploy-local-registry");
  const samples = new Map<string, Sample[]>();
  let n = 0;
  try {
    for (let i = 0; i < WARMUP + runs; i++) {
      for (const [label, config] of CONFIGS) {
        for (const transport of TRANSPORTS) {
          const sample = await measureOnce(dynamo, label, config, transport, `d-IP${String(n++).padStart(7, "0")}`);
          if (i < WARMUP) continue;
          const key = `${label}|${transport}`;
          samples.set(key, [...(samples.get(key) ?? []), sample]);
        }
      }
    }
  } finally {
    await dynamo.close();
  }
  const rows = CONFIGS.flatMap(([label]) =>
    TRANSPORTS.map((transport) => {
      const s = samples.get(`${label}|${transport}`) ?? [];
      const first = cold.get(`${label}|${transport}`) ?? [];
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
        coldExecutionMs: percentile(first.map((x) => x.executionMs), 0.5),
        coldWholeRunMs: percentile(first.map((x) => x.wholeRunMs), 0.5),
        coldCpuMs: percentile(first.map((x) => x.cpuMs), 0.5),
      };
    }),
  );
  print(
    `\n### In-process cost per deployment (warm: median and p90 of ${runs} runs each after ${WARMUP} warm-up runs each, transports alternating; cold: median of the first deployment in ${COLD} fresh processes each; 2 hooks, 1 alarm)\n`,
  );
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
      { key: "coldExecutionMs", title: "cold execution ms" },
      { key: "coldWholeRunMs", title: "cold whole run ms" },
      { key: "coldCpuMs", title: "cold CPU ms" },
    ]),
  );
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
  const coldArg = process.argv.indexOf("--cold");
  if (coldArg > 0) {
    const [label, transport] = process.argv.slice(coldArg + 1) as [string, WorldTransport];
    const config = CONFIGS.find(([l]) => l === label)?.[1];
    if (!config) throw new Error(`--cold: no config ${label}`);
    const dynamo = await startDynalite("stepdeploy-local-registry");
    try {
      console.log(JSON.stringify(await measureOnce(dynamo, label, config, transport, "d-IPCOLD001")));
    } finally {
      await dynamo.close();
    }
  } else {
    await benchInProcess(console.log);
  }
}
