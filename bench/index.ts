import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchDeployments, benchRollbackReaction } from "./deployments.js";
import { benchQueue } from "./queue.js";
import { benchReleases } from "./releases.js";
import { startDynalite } from "../local/emulators/dynalite.js";
import { markdownTable } from "./table.js";

/**
 * `npm run bench`: prints Markdown tables (pasted into the README) and writes bench/results/bench.json.
 * Every figure comes from running the real state machine and handlers against the simulated account.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const here = fileURLToPath(new URL(".", import.meta.url));
const usd = (v: unknown) => `$${Number(v).toFixed(6)}`;
const mins = (v: unknown) => `${(Number(v) / 60).toFixed(1)} min`;

const sections: string[] = [];
const print = (text: string) => {
  console.log(text);
  sections.push(text);
};

/** Replaces the README's benchmark section (between the bench markers) with this run's tables. */
function updateReadme(body: string) {
  const path = join(here, "..", "README.md");
  const readme = readFileSync(path, "utf8");
  const start = "<!-- bench:start -->";
  const end = "<!-- bench:end -->";
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i < 0 || j < i) return;
  writeFileSync(path, `${readme.slice(0, i + start.length)}\n${body.trim()}\n${readme.slice(j)}`);
}

async function main() {
  const started = Date.now();
  const dynamo = await startDynalite("stepdeploy-local-registry");
  const deployments = await benchDeployments(dynamo);
  print("\n### Lambda deployments (one successful run each, 2 hooks, 1 alarm)\n");
  print(
    markdownTable(deployments, [
      { key: "config", title: "config" },
      { key: "monitoring", title: "alarms" },
      { key: "simulatedSeconds", title: "simulated", format: mins },
      { key: "stateTransitions", title: "transitions" },
      { key: "budget", title: "budget (3n+12)" },
      { key: "floor", title: "floor (2n-1)" },
      { key: "awsSample", title: "aws-samples deployer (2+5n)" },
      { key: "historyEvents", title: "history events (all executions)" },
      { key: "largestExecutionHistory", title: "largest execution's history", format: (v) => (Number(v) > 25000 ? `**${v}** (over the 25,000 cap)` : String(v)) },
      { key: "apiCalls", title: "AWS API calls" },
      { key: "lambdaInvocations", title: "our Lambda invocations" },
      { key: "hookInvocations", title: "hook invocations" },
      { key: "estimatedCostUsd", title: "est. cost", format: usd },
      { key: "wallMs", title: "local wall ms" },
    ]),
  );
  const reaction = await benchRollbackReaction(dynamo);
  await dynamo.close();
  print("\n### Alarm rollback reaction (simulated seconds from ALARM to alias restored)\n");
  print(
    markdownTable(reaction, [
      { key: "mechanism", title: "mechanism" },
      { key: "pollSeconds", title: "poll s" },
      { key: "alarmAtSeconds", title: "alarm at s" },
      { key: "rolledBackAtSeconds", title: "restored at s" },
      { key: "reactionSeconds", title: "reaction s" },
    ]),
  );
  const extra: Record<string, unknown> = {};
  const queue = await benchQueue(3);
  extra.queue = queue;
  print("\n### Queue (queue: true): a canary holds the alias, three more wait in line (10%/5-min canaries)\n");
  print(
    markdownTable(queue, [
      { key: "deployment", title: "deployment" },
      { key: "status", title: "status" },
      { key: "waitedSeconds", title: "started at (simulated s)" },
      { key: "stateTransitions", title: "transitions" },
      { key: "historyEvents", title: "history events" },
      { key: "estimatedCostUsd", title: "est. cost", format: usd },
      { key: "wallMsWholeRun", title: "local wall ms (all four)" },
    ]),
  );
  extra.inProcess = await (await import("./in-process.js")).benchInProcess(print);
  const releases = await benchReleases();
  extra.releases = releases;
  print("\n### Releases from trigger events (release execution + nested deployment, summed)\n");
  print(
    markdownTable(releases, [
      { key: "scenario", title: "events/releases" },
      { key: "outcome", title: "release" },
      { key: "releases", title: "releases started" },
      { key: "published", title: "published" },
      { key: "simulatedSeconds", title: "simulated", format: mins },
      { key: "stateTransitions", title: "transitions" },
      { key: "historyEvents", title: "history events" },
      { key: "apiCalls", title: "AWS API calls" },
      { key: "lambdaInvocations", title: "Lambda invocations" },
      { key: "estimatedCostUsd", title: "est. cost", format: usd },
      { key: "wallMs", title: "local wall ms" },
    ]),
  );
  try {
    const bundle = (await import("./bundle.js")) as { benchBundle?: () => Promise<object[]> };
    if (bundle.benchBundle) {
      const rows = await bundle.benchBundle();
      extra.bundle = rows;
      print("\n### Revision bundle fetch + validate (100 MB, s3rver)\n");
      print(markdownTable(rows as Record<string, unknown>[], Object.keys(rows[0] ?? {}).map((k) => ({ key: k, title: k }))));
    }
  } catch (e) {
    console.error(`bundle bench skipped: ${(e as Error).message}`);
  }
  const pipelines = await (await import("./pipelines.js")).benchPipelines();
  extra.pipelines = pipelines;
  print("\n### Pipelines (one run per shape: compiled graph on the local engine, CodePipeline V1/V2 prices for the same run)\n");
  print(markdownTable(pipelines, Object.keys(pipelines[0] ?? {}).map((key) => ({ key, title: key }))));
  extra.startup = await (await import("./startup.js")).benchStartup(print);
  extra.hostile = await (await import("./hostile.js")).benchHostile(print);
  extra.server = await (await import("./server.js")).benchServer(print);
  extra.ecs = await (await import("./ecs.js")).benchEcs(print);
  mkdirSync(join(here, "results"), { recursive: true });
  const out = { generatedAt: new Date().toISOString(), node: process.version, deployments, reaction, ...extra, totalWallMs: Date.now() - started };
  writeFileSync(join(here, "results", "bench.json"), `${JSON.stringify(out, null, 2)}\n`);
  updateReadme(`Measured on ${out.generatedAt.slice(0, 10)} with Node ${process.version}, 2 cores. Full data: bench/results/bench.json.\n${sections.join("\n")}`);
  console.log(`\nwrote bench/results/bench.json and the README's benchmark section (${Date.now() - started} ms)`);
}

await main();
