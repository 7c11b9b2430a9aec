import { formatLogLine, formatOutcome } from "../../local/simulate/format.js";
import { formatReleaseOutcome } from "../../local/simulate/release/format.js";
import { type ReleaseRunReport, simulateRelease } from "../../local/simulate/release/run-release.js";
import type { ReleaseScenario } from "../../local/simulate/release/scenario.js";
import { PROJECT_ROOT, type SimulationReport, simulateScenario } from "../../local/simulate/run-scenario.js";
import type { Scenario } from "../../local/simulate/scenario.js";
import { type PipelineRunReport, simulatePipeline } from "../../local/simulate/pipeline/run-pipeline.js";
import type { PipelineScenario } from "../../local/simulate/pipeline/scenario.js";
import { plural } from "../commands/pipeline/definition.js";
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

/** A pipeline scenario: its steps and CodePipeline events as they happen, then each execution's stages and actions, builds, deployments. */
export async function printPipelineRun(scenario: PipelineScenario, io: CommandIO, title = headline(scenario)): Promise<PipelineRunReport> {
  io.out(title);
  const r = await simulatePipeline(scenario, { root: PROJECT_ROOT, onLine: (l) => io.out(l) });
  io.out("");
  for (const e of r.executions) {
    io.out(`execution ${e.number} ${e.pipelineExecutionId} (${e.executionType === "ROLLBACK" ? "ROLLBACK" : e.trigger}): ${e.status}`);
    for (const [stage, s] of Object.entries(e.stages)) {
      io.out(`  ${stage.padEnd(14)} ${s.status}${s.attempt > 1 ? ` (attempt ${s.attempt})` : ""}`);
      for (const [action, a] of Object.entries(s.actions)) {
        const detail = a.errorCode ? `${a.errorCode}${a.summary ? `: ${readableFailure(a.summary).slice(0, 160)}` : ""}` : (a.summary ?? "");
        io.out(`    ${action.padEnd(18)} ${a.status.padEnd(10)} ${detail}`.trimEnd());
      }
    }
  }
  for (const b of r.builds) io.out(`build ${b.id}: ${b.status}${b.failure ? ` (${b.failure})` : ""}${b.wallMs !== undefined ? `, ${b.wallMs} ms of commands` : ""}${Object.keys(b.exported).length ? `, exported ${Object.entries(b.exported).map(([k, v]) => `${k}=${v}`).join(" ")}` : ""}`);
  for (const d of r.deployments) io.out(`deployment ${d.name}: ${d.status}${d.error ? ` (${d.error})` : ""}`);
  const s = r.stats;
  io.out(`${plural(r.executions.length, "execution")}, ${plural(r.events.length, "event")}; ${s.stateTransitions} state transitions, ${s.lambdaInvocations} Lambda invocations, about $${s.estimatedCostUsd} on AWS; ${s.simulatedSeconds} simulated s in ${s.wallMs} ms`);
  if (r.expectationFailures.length === 0) io.out("expectations: all held");
  else for (const f of r.expectationFailures) io.out(`NOT AS EXPECTED: ${f}`);
  return r;
}

/** A failed task's summary is often the integration's JSON (a Build, a DescribeExecution): its reason, not the JSON. */
function readableFailure(summary: string): string {
  try {
    const o = JSON.parse(summary) as { FailureReason?: string; Error?: string; Cause?: string };
    if (o.FailureReason) return o.FailureReason;
    if (o.Error) return `${o.Error}${o.Cause ? `: ${o.Cause}` : ""}`;
  } catch {
    // not JSON: the summary says it as it is
  }
  return summary;
}

function headline(s: { name: string; description?: string }): string {
  return `${s.name}${s.description ? ` - ${s.description}` : ""}`;
}
