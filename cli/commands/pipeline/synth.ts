import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { synthesize } from "../../../functions/domain/pipeline/synth/index.js";
import { type Command, ExitCode } from "../../io.js";
import { issueLine, plural, readDefinitionArgs } from "./definition.js";

export const summary = "compile a CodePipeline definition into a Step Functions state machine (ASL JSON)";

const USAGE = `usage: stepdeploy pipeline synth <file> [--out <dir>] [--resource <logicalId>] [--json]

  <file>        a pipeline definition (any shape 'pipeline validate' reads)
  --out <dir>   write <dir>/<pipeline name>.asl.json (default: print the ASL to stdout)
  --resource    the pipeline's logical id, when a CloudFormation template holds several
  --json        print {pipeline, file|definition, states, actionStates, warnings}

Every action becomes a state named <Stage>.<Action>. The definition references stepdeploy's pipeline
Lambdas and deployment state machine as CloudFormation intrinsics, resolved at package time.

exit codes: 0 written, 1 the definition is invalid (nothing written), 2 usage error`;

function countStates(states: Record<string, { Type?: string; Branches?: { States: Record<string, never> }[] }>): number {
  return Object.values(states).reduce((n, s) => n + 1 + (s.Branches ?? []).reduce((m, b) => m + countStates(b.States), 0), 0);
}

const synth: Command = async (argv, io) => {
  const args = await readDefinitionArgs(argv, io, "synth", USAGE, true);
  if (typeof args === "number") return args;
  const { file, values, read } = args;
  if (!read.valid || !read.pipeline) {
    if (values.json) io.out(JSON.stringify({ file, valid: false, errors: read.errors, warnings: read.warnings }));
    else {
      io.err(`${file}: invalid pipeline definition (${plural(read.errors.length, "error")}); nothing compiled`);
      for (const e of read.errors) io.err(`  ${issueLine(e)}`);
    }
    return ExitCode.Failed;
  }
  const result = synthesize(read.pipeline);
  const text = `${JSON.stringify(result.definition, null, 2)}\n`;
  const warnings = [...read.warnings, ...result.warnings];
  const states = countStates(result.definition["States"] as never);
  let written: string | undefined;
  if (values.out !== undefined) {
    written = path.join(values.out, `${read.pipeline.name}.asl.json`);
    await mkdir(values.out, { recursive: true });
    await writeFile(written, text);
  }
  if (values.json) {
    io.out(JSON.stringify({ pipeline: read.pipeline.name, ...(written ? { file: written } : { definition: result.definition }), states, actionStates: result.actionStates, warnings }));
  } else if (written) {
    io.out(`${written}: ${states} states for ${plural(read.pipeline.stages.length, "stage")}, ${plural(read.pipeline.stages.reduce((n, s) => n + s.actions.length, 0), "action")}`);
    for (const [stage, actions] of Object.entries(result.actionStates)) io.out(`  ${stage}: ${Object.values(actions).join(", ")}`);
    for (const w of warnings) io.out(`warning: ${issueLine(w)}`);
  } else {
    io.out(text);
    for (const w of warnings) io.err(`warning: ${issueLine(w)}`);
  }
  return ExitCode.Ok;
};

export default synth;
