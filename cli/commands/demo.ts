import { join } from "node:path";
import { loadReleaseScenario } from "../../local/simulate/release/scenario.js";
import { PROJECT_ROOT } from "../../local/simulate/run-scenario.js";
import { loadScenario } from "../../local/simulate/scenario.js";
import { type CommandIO, ExitCode } from "../io.js";
import { printPipelineRun, printReleaseRun, printScenarioRun } from "../simulation/print-run.js";
import { readScenarioFile } from "../../local/simulate/pipeline/scenario.js";

const DEMO = ["alarm-mid-bake", "linear-success"];

export default async function demo(_argv: string[], io: CommandIO): Promise<number> {
  io.out("stepdeploy demo - real state machine, real handlers, simulated AWS account, simulated clock\n");
  let ok = true;
  for (const name of DEMO) {
    const scenario = loadScenario(join(PROJECT_ROOT, "events", "scenarios", `${name}.json`));
    const report = await printScenarioRun(scenario, io, `== ${scenario.name}: ${scenario.description ?? ""}`);
    io.out("");
    ok &&= (report.expectationFailures ?? []).length === 0;
  }
  const release = loadReleaseScenario(join(PROJECT_ROOT, "events", "releases", "s3-duplicate-delivery.json"));
  const r = await printReleaseRun(release, io, `== ${release.name}: ${release.description ?? ""}`);
  io.out("");
  ok &&= (r.expectationFailures ?? []).length === 0;
  const pipeline = readScenarioFile(join(PROJECT_ROOT, "events", "pipelines", "demo-pipeline.json"), PROJECT_ROOT);
  if (!pipeline.ok) throw new Error(`events/pipelines/demo-pipeline.json: ${pipeline.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`);
  const p = await printPipelineRun(pipeline.scenario, io, `== pipeline ${pipeline.scenario.pipeline.name} (pipelines/demo.yml): ${pipeline.scenario.description}`);
  io.out("");
  ok &&= p.expectationFailures.length === 0;
  io.out("Try: npx stepdeploy pipeline simulate pipelines/seed-app.json --scenario events/pipelines/seed-codecommit-build-deploy.json");
  io.out("Try: npx stepdeploy simulate events/scenarios/<name>.json | events/releases/<name>.json | events/triggers/<event>.json [--json]   |   npx stepdeploy schedule <config>");
  return ok ? ExitCode.Ok : ExitCode.Failed;
}
