import { parseArgs } from "node:util";
import { registry } from "../../functions/wiring.js";
import { type CommandIO, ExitCode } from "../io.js";
import { applyStackEnv, STACK_OPTIONS, stackConfig } from "../operator/stack-config.js";


export default async function list(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...STACK_OPTIONS, status: { type: "string" }, limit: { type: "string" } } });
  applyStackEnv(values, stackConfig(values, io.env));
  const statuses = values.status?.split(",") as never;
  const { deployments } = await registry().listDeployments({ statuses, limit: Number(values.limit ?? 20) });
  if (values.json) io.out(JSON.stringify(deployments));
  else for (const d of deployments) io.out(`${d.deploymentId}  ${d.status.padEnd(10)}  ${d.application}/${d.deploymentGroup}  ${d.deploymentConfigName}  ${d.createTime}${d.errorName ? `  ${d.errorName}` : ""}`);
  return ExitCode.Ok;
}
