import { parseArgs } from "node:util";
import { type CommandIO, ExitCode } from "../io.js";
import { paint, renderStatus } from "../operator/render.js";
import { applyStackEnv, STACK_OPTIONS, stackConfig } from "../operator/stack-config.js";
import { readStatus } from "../operator/watch-loop.js";


export default async function status(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: STACK_OPTIONS, allowPositionals: true });
  const id = positionals[0];
  if (!id) {
    io.err("usage: stepdeploy status <deploymentId> [--json]");
    return ExitCode.Usage;
  }
  applyStackEnv(values, stackConfig(values, io.env));
  const v = await readStatus(id);
  if (values.json) io.out(JSON.stringify(v));
  else for (const l of renderStatus(v, paint(io.isTTY, io.env))) io.out(l);
  return v.status === "Failed" || v.status === "Stopped" ? ExitCode.Failed : ExitCode.Ok;
}
