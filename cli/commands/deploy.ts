import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startExecution } from "../../functions/adapters/sfn.js";
import { newDeploymentId } from "../../functions/domain/deployment/ids.js";
import { type CommandIO, ExitCode } from "../io.js";
import { paint, renderStatus } from "../operator/render.js";
import { applyStackEnv, STACK_OPTIONS, stackConfig } from "../operator/stack-config.js";
import { watchUntilDone } from "../operator/watch-loop.js";


export default async function deploy(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { ...STACK_OPTIONS, config: { type: "string" }, "target-version": { type: "string" }, queue: { type: "boolean" }, watch: { type: "boolean" } },
    allowPositionals: true,
  });
  const [platform, file] = positionals;
  if (platform !== "lambda" || !file) {
    io.err("usage: stepdeploy deploy lambda <input.json> [--config NAME] [--target-version N] [--queue] [--watch] [--stage S | --state-machine-arn ARN] [--endpoint URL] [--json]");
    return ExitCode.Usage;
  }
  const cfg = stackConfig(values, io.env);
  applyStackEnv(values, cfg);
  const input = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  if (values.config) input.deploymentConfig = values.config.trim().startsWith("{") ? JSON.parse(values.config) : values.config;
  if (values["target-version"]) input.targetVersion = values["target-version"];
  // Wait in the group's queue instead of failing when another deployment holds the lock.
  if (values.queue) input.queue = true;
  const deploymentId = (input.deploymentId as string | undefined) ?? newDeploymentId();
  input.deploymentId = deploymentId;
  const { executionArn } = await startExecution(cfg.stateMachineArn, deploymentId, input);
  if (!values.watch) {
    io.out(values.json ? JSON.stringify({ deploymentId, executionArn }) : `${deploymentId}  started (${executionArn})`);
    return ExitCode.Ok;
  }
  const p = paint(io.isTTY, io.env);
  const final = await watchUntilDone(deploymentId, (v) => {
    if (!values.json) for (const l of renderStatus(v, p)) io.out(l);
  });
  if (values.json) io.out(JSON.stringify({ executionArn, ...final }));
  return final.status === "Succeeded" ? ExitCode.Ok : ExitCode.Failed;
}
