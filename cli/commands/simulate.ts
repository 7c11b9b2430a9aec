import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { simulateRelease } from "../../local/simulate/release/run-release.js";
import { isTriggerEvent, loadReleaseScenario } from "../../local/simulate/release/scenario.js";
import { PROJECT_ROOT, simulateScenario } from "../../local/simulate/run-scenario.js";
import { loadScenario } from "../../local/simulate/scenario.js";
import { type CommandIO, ExitCode } from "../io.js";
import { printReleaseRun, printScenarioRun } from "../simulation/print-run.js";

/** The account and bundle a bare trigger event (events/triggers/*.json) is simulated against. */
const DEFAULT_RELEASE_BASE = `${PROJECT_ROOT}events/releases/s3-canary.json`;

function isRelease(file: string): boolean {
  try {
    const raw = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    return isTriggerEvent(raw) || "trigger" in raw;
  } catch {
    return false; // loadScenario reports it
  }
}

async function simulateReleaseFile(file: string, json: boolean, io: CommandIO): Promise<number> {
  const scenario = loadReleaseScenario(file, DEFAULT_RELEASE_BASE);
  const report = json ? await simulateRelease(scenario) : await printReleaseRun(scenario, io);
  if (json) io.out(JSON.stringify(report, null, 2));
  if (report.expectationFailures) return report.expectationFailures.length ? ExitCode.Failed : ExitCode.Ok;
  return report.releases.length > 0 && report.releases.every((r) => r.status === "SUCCEEDED") ? ExitCode.Ok : ExitCode.Failed;
}

export default async function simulate(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { json: { type: "boolean" } }, allowPositionals: true });
  const file = positionals[0];
  if (!file) {
    io.err("usage: stepdeploy simulate <scenario.json | release-scenario.json | trigger-event.json> [--json] [--verbose]");
    return ExitCode.Usage;
  }
  const json = Boolean(values.json);
  if (isRelease(file)) return simulateReleaseFile(file, json, io);
  const scenario = loadScenario(file);
  const report = json ? await simulateScenario(scenario) : await printScenarioRun(scenario, io);
  if (json) io.out(JSON.stringify(report, null, 2));
  // A scenario with `expect` is a check: its exit code says whether the expectation held.
  // Without one, the exit code is the deployment's outcome.
  if (report.expectationFailures) return report.expectationFailures.length ? ExitCode.Failed : ExitCode.Ok;
  return report.status === "SUCCEEDED" ? ExitCode.Ok : ExitCode.Failed;
}
