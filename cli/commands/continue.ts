import { parseArgs } from "node:util";
import { continueDeployment } from "../../functions/services/ecs/continue.js";
import { type CommandIO, ExitCode } from "../io.js";
import { applyStackEnv, STACK_OPTIONS, stackConfig } from "../operator/stack-config.js";

/**
 * `stepdeploy continue <id>`: CodeDeploy's ContinueDeployment for ECS and EC2 blue/green. Without a flag it ends the ready
 * wait (READY_WAIT: production traffic starts moving); `--termination-wait` ends the termination wait
 * (TERMINATION_WAIT: the replacement becomes primary and the original is deleted now).
 */
export default async function continueCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { ...STACK_OPTIONS, "termination-wait": { type: "boolean" } }, allowPositionals: true });
  const id = positionals[0];
  if (!id) {
    io.err("usage: stepdeploy continue <deploymentId> [--termination-wait] [--json]");
    return ExitCode.Usage;
  }
  applyStackEnv(values, stackConfig(values, io.env));
  try {
    const r = await continueDeployment(id, { terminationWait: values["termination-wait"] === true });
    if (values.json) io.out(JSON.stringify(r));
    else io.out(`${id}: ${r.wait} wait ${r.delivered ? "ended" : "had already ended"}`);
    return ExitCode.Ok;
  } catch (e) {
    io.err(`${(e as Error).name}: ${(e as Error).message}`);
    return ExitCode.Failed;
  }
}
