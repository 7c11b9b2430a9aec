import { parseArgs } from "node:util";
import { formatLogLine, formatOutcome } from "../../local/simulate/format.js";
import { simulateScenario } from "../../local/simulate/run-scenario.js";
import { loadScenario } from "../../local/simulate/scenario.js";
import { type CommandIO, ExitCode } from "../io.js";

export const summary = "run a scenario (account + input + timeline) on the local engine against the simulated account";

export default async function simulate(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { json: { type: "boolean" } }, allowPositionals: true });
  const file = positionals[0];
  if (!file) {
    io.err("usage: stepdeploy simulate <scenario.json> [--json]");
    return ExitCode.Usage;
  }
  const scenario = loadScenario(file);
  if (!values.json) io.out(`${scenario.name}${scenario.description ? ` - ${scenario.description}` : ""}`);
  const report = await simulateScenario(scenario, { onLog: values.json ? undefined : (e) => io.out(formatLogLine(e)) });
  if (values.json) io.out(JSON.stringify(report, null, 2));
  else io.out(formatOutcome(report));
  // A scenario with `expect` is a check: its exit code says whether the expectation held.
  // Without one, the exit code is the deployment's outcome.
  if (report.expectationFailures) return report.expectationFailures.length ? ExitCode.Failed : ExitCode.Ok;
  return report.status === "SUCCEEDED" ? ExitCode.Ok : ExitCode.Failed;
}
