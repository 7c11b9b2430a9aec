import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { runInput } from "../../local/run/run-input.js";
import { chooseEndpoint } from "../endpoint.js";
import { type CommandIO, ExitCode } from "../io.js";
import { isEcsInput } from "../../functions/domain/ecs/input.js";

const USAGE = "usage: stepdeploy run <input.json> [--endpoint <http(s) url>] [--real-time] [--json] [--verbose]";

/** The region every SDK client of the run resolves (AWS_REGION, else the AWS profile's), or undefined. */
async function sdkRegion(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.AWS_REGION) return env.AWS_REGION;
  const { LambdaClient } = await import("@aws-sdk/client-lambda");
  return new LambdaClient({}).config.region().catch(() => undefined);
}

export default async function run(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { json: { type: "boolean" }, endpoint: { type: "string" }, "real-time": { type: "boolean" }, machine: { type: "string" } },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (!file) {
    io.err(USAGE);
    return ExitCode.Usage;
  }
  const { endpoint, problem } = chooseEndpoint(values.endpoint, io.env);
  if (problem) {
    io.err(`stepdeploy run: ${problem}\n${USAGE}`);
    return ExitCode.Usage;
  }
  const region = await sdkRegion(io.env);
  if (!region) {
    io.err("stepdeploy run: no AWS region: set AWS_REGION (or a region in your AWS profile)");
    return ExitCode.Usage;
  }
  const input = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  // The input says which workflow it is: an ECS group (`ecs`) runs deploy-ecs.
  const machine = values.machine ?? (isEcsInput(input) ? "deploy-ecs" : "deploy-lambda");
  if (!values.json) io.out(`running ${machine} against ${endpoint ?? "the AWS endpoints"} in ${region}${values["real-time"] ? " in real time" : " (waits compressed)"}`);
  const report = await runInput(input, {
    endpoint,
    realTime: values["real-time"],
    machine,
    onProgress: values.json ? undefined : (line) => io.out(`  ${line}`),
  });
  if (values.json) io.out(JSON.stringify({ ...report, endpoint: endpoint ?? null, region }, null, 2));
  else {
    for (const t of report.timeline) io.out(`  t+${t.atSeconds}s traffic ${t.weight}% on v${String(input.targetVersion)}`);
    io.out(`${report.status}${report.error ? ` ${report.error}: ${report.cause}` : ""} (${report.deploymentId})`);
    if (report.finalAlias) io.out(`alias: FunctionVersion ${report.finalAlias.functionVersion}, routing ${JSON.stringify(report.finalAlias.additionalVersionWeights)}`);
  }
  return report.status === "SUCCEEDED" ? ExitCode.Ok : ExitCode.Failed;
}
