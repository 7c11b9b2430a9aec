import { parseArgs } from "node:util";
import { registry } from "../../functions/wiring.js";
import { type CommandIO, ExitCode } from "../io.js";
import { instancesLine, rollbackLine } from "../operator/render.js";
import { applyStackEnv, STACK_OPTIONS, stackConfig } from "../operator/stack-config.js";


export default async function history(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...STACK_OPTIONS, group: { type: "string" }, limit: { type: "string" } } });
  const [application, deploymentGroup] = (values.group ?? "").split("/");
  if (!application || !deploymentGroup) {
    io.err("usage: stepdeploy history --group <application>/<deploymentGroup> [--limit N] [--json]");
    return ExitCode.Usage;
  }
  applyStackEnv(values, stackConfig(values, io.env));
  const reg = registry();
  const { deployments } = await reg.groupHistory({ application, deploymentGroup }, { limit: Number(values.limit ?? 20) });
  const state = await reg.groupState({ application, deploymentGroup });
  if (values.json) io.out(JSON.stringify({ deployments, lock: state.lock ?? null, lastSuccessful: state.lastSuccessful ?? null }));
  else {
    io.out(`${application}/${deploymentGroup}: ${state.lock ? `locked by ${state.lock.holderDeploymentId}` : "free"}${state.lastSuccessful ? `, last good ${JSON.stringify(state.lastSuccessful)}` : ""}`);
    for (const d of deployments) {
      const extra = [instancesLine(d.progress?.instances), d.rollbackInfo ? rollbackLine(d.rollbackInfo) : ""].filter(Boolean).join("  ");
      io.out(`  ${d.deploymentId}  ${d.status.padEnd(10)}  ${d.deploymentConfigName}  ${d.createTime}${d.errorName ? `  ${d.errorName}: ${d.reason ?? ""}` : ""}${extra ? `  ${extra}` : ""}`);
    }
  }
  return ExitCode.Ok;
}
