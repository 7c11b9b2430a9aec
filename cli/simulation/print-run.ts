import { formatLogLine, formatOutcome } from "../../local/simulate/format.js";
import { formatReleaseOutcome } from "../../local/simulate/release/format.js";
import { type ReleaseRunReport, simulateRelease } from "../../local/simulate/release/run-release.js";
import type { ReleaseScenario } from "../../local/simulate/release/scenario.js";
import { type SimulationReport, simulateScenario } from "../../local/simulate/run-scenario.js";
import type { Scenario } from "../../local/simulate/scenario.js";
import type { CommandIO } from "../io.js";
import { foldedTimeline } from "./folded-timeline.js";

/** The human form of `simulate` and `demo`: the scenario's title, its live timeline (repeats folded), the outcome. */
export async function printScenarioRun(scenario: Scenario, io: CommandIO, title = headline(scenario)): Promise<SimulationReport> {
  io.out(title);
  const timeline = foldedTimeline((l) => io.out(l));
  const report = await simulateScenario(scenario, { onLog: (e) => timeline.at(e.atSeconds, formatLogLine(e)) }).finally(() => timeline.flush());
  io.out(formatOutcome(report));
  return report;
}

/** The same for a release scenario: what the world did, then each release and the nested deployment. */
export async function printReleaseRun(scenario: ReleaseScenario, io: CommandIO, title = headline(scenario)): Promise<ReleaseRunReport> {
  io.out(title);
  const report = await simulateRelease(scenario, { onLine: (l) => io.out(`  world     ${l}`) });
  io.out(formatReleaseOutcome(report));
  return report;
}

function headline(s: { name: string; description?: string }): string {
  return `${s.name}${s.description ? ` - ${s.description}` : ""}`;
}
