import { join } from "node:path";
import { formatLogLine, formatOutcome } from "../../local/simulate/format.js";
import { PROJECT_ROOT, simulateScenario } from "../../local/simulate/run-scenario.js";
import { loadScenario } from "../../local/simulate/scenario.js";
import { type CommandIO, ExitCode } from "../io.js";

export const summary = "the simulator demo: a canary whose alarm fires mid-bake and rolls back, then a linear that succeeds";

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
  io.out("Try: npx stepdeploy simulate events/scenarios/<name>.json [--json]   |   npx stepdeploy schedule <config>");
  return ok ? ExitCode.Ok : ExitCode.Failed;
}
