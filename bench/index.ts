import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchDeployments, benchRollbackReaction } from "./deployments.js";
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

async function main() {
  const started = Date.now();
  const deployments = await benchDeployments();
  console.log("\n### Lambda deployments (one successful run each, 2 hooks, 1 alarm polled every 60 s)\n");
  console.log(
    markdownTable(deployments, [
      { key: "config", title: "config" },
      { key: "simulatedSeconds", title: "simulated", format: mins },
      { key: "stateTransitions", title: "transitions" },
      { key: "historyEvents", title: "history events" },
      { key: "apiCalls", title: "AWS API calls" },
      { key: "lambdaInvocations", title: "our Lambda invocations" },
      { key: "hookInvocations", title: "hook invocations" },
      { key: "estimatedCostUsd", title: "est. cost", format: usd },
      { key: "wallMs", title: "local wall ms" },
    ]),
  );
  const reaction = await benchRollbackReaction();
  console.log("\n### Alarm rollback reaction (simulated seconds from ALARM to alias restored)\n");
  console.log(
    markdownTable(reaction, [
      { key: "mechanism", title: "mechanism" },
      { key: "pollSeconds", title: "poll s" },
      { key: "alarmAtSeconds", title: "alarm at s" },
      { key: "rolledBackAtSeconds", title: "restored at s" },
      { key: "reactionSeconds", title: "reaction s" },
    ]),
  );
  const extra: Record<string, unknown> = {};
  try {
    const bundle = (await import("./bundle.js")) as { benchBundle?: () => Promise<object[]> };
    if (bundle.benchBundle) {
      const rows = await bundle.benchBundle();
      extra.bundle = rows;
      console.log("\n### Revision bundle fetch + validate (100 MB, s3rver)\n");
      console.log(markdownTable(rows as Record<string, unknown>[], Object.keys(rows[0] ?? {}).map((k) => ({ key: k, title: k }))));
    }
  } catch (e) {
    console.error(`bundle bench skipped: ${(e as Error).message}`);
  }
  mkdirSync(join(here, "results"), { recursive: true });
  const out = { generatedAt: new Date().toISOString(), node: process.version, deployments, reaction, ...extra, totalWallMs: Date.now() - started };
  writeFileSync(join(here, "results", "bench.json"), `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nwrote bench/results/bench.json (${Date.now() - started} ms)`);
}

await main();
