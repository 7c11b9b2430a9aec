import { parseArgs } from "node:util";
import { type CommandIO, ExitCode } from "../io.js";
import { paint, renderStatus } from "../operator/render.js";
import { applyStackEnv, STACK_OPTIONS, stackConfig } from "../operator/stack-config.js";
import { watchUntilDone } from "../operator/watch-loop.js";


export default async function watch(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { ...STACK_OPTIONS, interval: { type: "string" } }, allowPositionals: true });
  const id = positionals[0];
  if (!id) {
    io.err("usage: stepdeploy watch <deploymentId> [--interval SECONDS] [--json]");
    return ExitCode.Usage;
  }
  applyStackEnv(values, stackConfig(values, io.env));
  const p = paint(io.isTTY, io.env);
  const views: unknown[] = [];
  const final = await watchUntilDone(
    id,
    (v) => {
      views.push(v);
      if (!values.json) for (const l of renderStatus(v, p)) io.out(l);
    },
    { intervalMs: Number(values.interval ?? 2) * 1000 },
  );
  if (values.json) io.out(JSON.stringify({ final, changes: views }));
  return final.status === "Succeeded" ? ExitCode.Ok : ExitCode.Failed;
}
