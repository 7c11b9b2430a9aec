import path from "node:path";
import { PROJECT_ROOT } from "../../../local/simulate/run-scenario.js";
import { type PipelineRunReport, simulatePipeline } from "../../../local/simulate/pipeline/run-pipeline.js";
import { defaultScenario, type PipelineScenario, readScenarioFile } from "../../../local/simulate/pipeline/scenario.js";
import { type Command, type CommandIO, ExitCode } from "../../io.js";
import { issueLine, plural, readDefinitionArgs } from "./definition.js";

export const summary = "run a pipeline's compiled state machine locally against the simulated account (real buildspecs, approvals, deployments)";

const USAGE = `usage: stepdeploy pipeline simulate <definition> [--scenario <file>] [--source <dir>] [--resource <logicalId>] [--json]

  <definition>  the pipeline (any shape validate reads)
  --scenario    events/pipelines/*.json: the world, the starts, the operators' timeline, what to expect
                (its own "pipeline" is replaced by <definition>)
  --source      without a scenario: the folder every S3 source and CodeCommit branch holds (default: .)
  --json        print the report: steps (each start or command, then every execution's stages and
                actions and the events it caused), executions, events, builds, deployments, stats

exit codes: 0 the scenario's expect holds (without a scenario: the execution succeeded), 1 it does not,
            2 usage error, unreadable or invalid definition or scenario`;

function printReport(io: CommandIO, r: PipelineRunReport): void {
  io.out("");
  for (const e of r.executions) {
    io.out(`execution ${e.number} ${e.pipelineExecutionId} (${e.executionType === "ROLLBACK" ? "ROLLBACK" : e.trigger}): ${e.status}`);
    for (const [stage, s] of Object.entries(e.stages)) {
      io.out(`  ${stage.padEnd(14)} ${s.status.padEnd(10)}${s.attempt > 1 ? ` attempt ${s.attempt}` : ""}`);
      for (const [action, a] of Object.entries(s.actions)) {
        const detail = a.errorCode ? `${a.errorCode}${a.summary ? `: ${a.summary.slice(0, 100)}` : ""}` : (a.summary ?? "");
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
}

const simulate: Command = async (argv, io) => {
  const args = await readDefinitionArgs(argv, io, "simulate", USAGE, false, ["scenario", "source"]);
  if (typeof args === "number") return args;
  const { file, values, read } = args;
  if (!read.valid || !read.pipeline) {
    io.err(`${file}: invalid pipeline definition: ${plural(read.errors.length, "error")}`);
    for (const e of read.errors) io.err(`  ${issueLine(e)}`);
    return ExitCode.Usage;
  }
  let scenario: PipelineScenario;
  if (values.scenario) {
    const s = readScenarioFile(values.scenario, PROJECT_ROOT, read.pipeline);
    if (!s.ok) {
      io.err(`${values.scenario}: invalid pipeline scenario: ${plural(s.errors.length, "error")}`);
      for (const e of s.errors) io.err(`  ${issueLine(e)}`);
      return ExitCode.Usage;
    }
    scenario = s.scenario;
  } else {
    scenario = defaultScenario(read.pipeline, path.resolve(values.source ?? "."));
  }
  if (!values.json) io.out(`${scenario.name} - ${scenario.description}\npipeline ${read.pipeline.name} (${read.pipeline.pipelineType}, ${read.pipeline.executionMode}) from ${file}`);
  let report: PipelineRunReport;
  try {
    report = await simulatePipeline(scenario, { root: PROJECT_ROOT, ...(!values.json && { onLine: (l: string) => io.out(l) }) });
  } catch (e) {
    io.err(`stepdeploy pipeline simulate: ${(e as Error).message}`);
    return ExitCode.Usage;
  }
  if (values.json) io.out(JSON.stringify(report, null, 2));
  else printReport(io, report);
  return report.expectationFailures.length === 0 ? ExitCode.Ok : ExitCode.Failed;
};

export default simulate;
