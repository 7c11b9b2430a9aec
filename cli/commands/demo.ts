import { join } from "node:path";
import { formatLogLine, formatOutcome } from "../../local/simulate/format.js";
import { formatReleaseOutcome } from "../../local/simulate/release/format.js";
import { simulateRelease } from "../../local/simulate/release/run-release.js";
import { loadReleaseScenario } from "../../local/simulate/release/scenario.js";
import { PROJECT_ROOT, simulateScenario } from "../../local/simulate/run-scenario.js";
import { loadScenario } from "../../local/simulate/scenario.js";
import { type CommandIO, ExitCode } from "../io.js";

export const summary = "the simulator demo: a canary whose alarm fires mid-bake and rolls back, a linear that succeeds, and an S3 upload delivered twice that releases itself once";

const DEMO = ["alarm-mid-bake", "linear-success"];

export default async function demo(_argv: string[], io: CommandIO): Promise<number> {
  io.out("stepdeploy demo - real state machine, real handlers, simulated AWS account, simulated clock\n");
  let ok = true;
  for (const name of DEMO) {
    const scenario = loadScenario(join(PROJECT_ROOT, "events", "scenarios", `${name}.json`));
    io.out(`== ${scenario.name}: ${scenario.description ?? ""}`);
    const report = await simulateScenario(scenario, { onLog: (e) => io.out(formatLogLine(e)) });
    io.out(`${formatOutcome(report)}\n`);
    ok &&= (report.expectationFailures ?? []).length === 0;
  }
  const release = loadReleaseScenario(join(PROJECT_ROOT, "events", "releases", "s3-duplicate-delivery.json"));
  io.out(`== ${release.name}: ${release.description ?? ""}`);
  const r = await simulateRelease(release, { onLine: (l) => io.out(`  world     ${l}`) });
  io.out(`${formatReleaseOutcome(r)}\n`);
  ok &&= (r.expectationFailures ?? []).length === 0;
  io.out("Try: npx stepdeploy simulate events/scenarios/<name>.json | events/releases/<name>.json | events/triggers/<event>.json [--json]   |   npx stepdeploy schedule <config>");
  return ok ? ExitCode.Ok : ExitCode.Failed;
}
