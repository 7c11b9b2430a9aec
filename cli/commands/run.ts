import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { runInput } from "../../local/run/run-input.js";
import { type CommandIO, ExitCode } from "../io.js";

export const summary = "run the deploy workflow locally against an AWS-compatible endpoint (--endpoint) where the resources exist";

export default async function run(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { json: { type: "boolean" }, endpoint: { type: "string" }, "real-time": { type: "boolean" }, machine: { type: "string" } },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (!file) {
    io.err("usage: stepdeploy run <input.json> [--endpoint <url>] [--real-time] [--json]");
    return ExitCode.Usage;
  }
  const input = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  const endpoint = values.endpoint ?? io.env.AWS_ENDPOINT_URL;
  if (!values.json) io.out(`running ${values.machine ?? "deploy-lambda"} against ${endpoint ?? "AWS (default endpoints)"}${values["real-time"] ? " in real time" : " (waits compressed)"}`);
  const report = await runInput(input, {
    endpoint,
    realTime: values["real-time"],
    machine: values.machine,
    onProgress: values.json ? undefined : (line) => io.out(`  ${line}`),
  });
  if (values.json) io.out(JSON.stringify(report, null, 2));
  else {
    for (const t of report.timeline) io.out(`  t+${t.atSeconds}s traffic ${t.weight}% on v${String(input.targetVersion)}`);
    io.out(`${report.status}${report.error ? ` ${report.error}: ${report.cause}` : ""} (${report.deploymentId})`);
    if (report.finalAlias) io.out(`alias: FunctionVersion ${report.finalAlias.functionVersion}, routing ${JSON.stringify(report.finalAlias.additionalVersionWeights)}`);
  }
  return report.status === "SUCCEEDED" ? ExitCode.Ok : ExitCode.Failed;
}
