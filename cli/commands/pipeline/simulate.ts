import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../../../local/simulate/run-scenario.js";
import { type PipelineRunReport, simulatePipeline } from "../../../local/simulate/pipeline/run-pipeline.js";
import { defaultScenario, type PipelineScenario, readScenarioFile } from "../../../local/simulate/pipeline/scenario.js";
import { type Command, ExitCode } from "../../io.js";
import { printPipelineRun } from "../../simulation/print-run.js";
import { issueLine, plural, readDefinitionArgs } from "./definition.js";

export const summary = "run a pipeline's compiled state machine locally against the simulated account (real buildspecs, approvals, deployments)";

const USAGE = `usage: stepdeploy pipeline simulate <definition> [--scenario <file>] [--source <dir>] [--resource <logicalId>] [--json]

  <definition>  the pipeline (any shape validate reads)
  --scenario    events/pipelines/*.json: the world, the starts, the operators' timeline, what to expect
                (its own "pipeline" is replaced by <definition>)
                without it: the scenario of events/pipelines/ written for <definition>, if there is one
  --source      without a scenario: the folder every S3 source and CodeCommit branch holds (default: .);
                given, the generic run is made even when a scenario exists for <definition>
  --json        print the report: steps (each start or command, then every execution's stages and
                actions and the events it caused), executions, events, builds, deployments, stats

exit codes: 0 the scenario's expect holds (without a scenario: the execution succeeded), 1 it does not,
            2 usage error, unreadable or invalid definition or scenario`;

/** The first scenario of events/pipelines/ whose `pipeline` is this definition file, if any. */
function scenarioFor(file: string): string | undefined {
  const rel = path.relative(PROJECT_ROOT, path.resolve(file));
  const dir = path.join(PROJECT_ROOT, "events", "pipelines");
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
    try {
      if ((JSON.parse(readFileSync(path.join(dir, name), "utf8")) as { pipeline?: unknown }).pipeline === rel) return path.join(dir, name);
    } catch {
      // not a scenario this command can use
    }
  }
  return undefined;
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
    const own = values.source === undefined ? scenarioFor(file) : undefined;
    const s = own ? readScenarioFile(own, PROJECT_ROOT, read.pipeline) : undefined;
    scenario = s?.ok ? s.scenario : defaultScenario(read.pipeline, path.resolve(values.source ?? "."));
    if (s?.ok && !values.json) io.out(`(no --scenario: using ${path.relative(PROJECT_ROOT, own as string)}, the scenario written for this definition)`);
  }
  let report: PipelineRunReport;
  try {
    report = values.json ? await simulatePipeline(scenario, { root: PROJECT_ROOT }) : await printPipelineRun(scenario, io, `${scenario.name} - ${scenario.description}\npipeline ${read.pipeline.name} (${read.pipeline.pipelineType}, ${read.pipeline.executionMode}) from ${file}`);
  } catch (e) {
    io.err(`stepdeploy pipeline simulate: ${(e as Error).message}`);
    return ExitCode.Usage;
  }
  if (values.json) io.out(JSON.stringify(report, null, 2));
  return report.expectationFailures.length === 0 ? ExitCode.Ok : ExitCode.Failed;
};

export default simulate;
