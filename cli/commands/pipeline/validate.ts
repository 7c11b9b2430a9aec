import type { PipelineReadResult } from "../../../functions/domain/pipeline/index.js";
import { runOrderGroups } from "../../../functions/domain/pipeline/synth/index.js";
import { type Command, type CommandIO, ExitCode } from "../../io.js";
import { issueLine, plural, readDefinitionArgs } from "./definition.js";

export const summary = "check a CodePipeline definition (get-pipeline output, create-pipeline input or CloudFormation) the way CodePipeline would";

const USAGE = `usage: stepdeploy pipeline validate <file> [--resource <logicalId>] [--json]

  <file>        JSON or YAML: get-pipeline output, a create-pipeline input, or a CloudFormation
                template with an AWS::CodePipeline::Pipeline resource
  --resource    the pipeline's logical id, when a template holds several
  --json        print {valid, errors:[{path,message}], warnings:[{path,message}], shape, pipeline}

exit codes: 0 valid (warnings allowed), 1 invalid, 2 usage error or unreadable file`;

function printHuman(io: CommandIO, file: string, r: PipelineReadResult): void {
  if (!r.valid) {
    io.err(`${file}: invalid pipeline definition: ${plural(r.errors.length, "error")}`);
    for (const e of r.errors) io.err(`  ${issueLine(e)}`);
    for (const w of r.warnings) io.err(`  warning: ${issueLine(w)}`);
    return;
  }
  const p = r.pipeline;
  if (!p) return;
  io.out(`${file}: valid ${p.pipelineType} pipeline '${p.name}' (${r.shape}), execution mode ${p.executionMode}`);
  for (const stage of p.stages) {
    const transition = stage.inboundTransition.enabled ? "" : `  [inbound transition disabled: ${stage.inboundTransition.reason}]`;
    const failure = stage.onFailure.result === "FAIL" ? "" : `  (on failure: ${stage.onFailure.result}${stage.onFailure.retryMode ? ` ${stage.onFailure.retryMode}` : ""})`;
    io.out(`  ${stage.name}${failure}${transition}`);
    for (const group of runOrderGroups(stage)) {
      const actions = group.map((a) => `${a.name} (${a.actionTypeId.category} ${a.actionTypeId.provider})`);
      io.out(`    ${String(group[0]?.runOrder).padStart(3)}  ${actions.join(" | ")}`);
    }
  }
  for (const w of r.warnings) io.out(`warning: ${issueLine(w)}`);
}

const validate: Command = async (argv, io) => {
  const args = await readDefinitionArgs(argv, io, "validate", USAGE);
  if (typeof args === "number") return args;
  const { file, values, read: result } = args;
  if (values.json) {
    const { valid, errors, warnings, shape, pipeline, unresolved } = result;
    io.out(JSON.stringify({ file, valid, errors, warnings, shape: shape ?? null, pipeline: pipeline ?? null, unresolved: unresolved.map(({ path, display }) => ({ path, reference: display })) }));
  } else {
    printHuman(io, file, result);
  }
  return result.valid ? ExitCode.Ok : ExitCode.Failed;
};

export default validate;
