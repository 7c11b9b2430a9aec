import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { sdkRegion } from "../../functions/adapters/clients.js";
import type { OwnedResource } from "../../local/run/owned-resources.js";
import { machineFor, type RunReport, runInput } from "../../local/run/run-input.js";
import { RunRefused } from "../../local/run/run-modes.js";
import { chooseEndpoint } from "../endpoint.js";
import { type CommandIO, ExitCode } from "../io.js";

const USAGE = `usage: stepdeploy run <input.json> [--endpoint <http(s) url>] [--table <name>] [--event-bus <name>] [--real-time] [--json] [--verbose]

  --table       an existing registry table (default: STEPDEPLOY_TABLE, else the stack's, created when missing)
  --event-bus   an existing event bus for the notifications (default: the stack's, created when missing)
  --real-time   wait the bakes out on the wall clock (default: waits take no time)`;

/** Errors about the user's own resources: run creates only stepdeploy's, so say what to create. */
const USER_RESOURCE_ERRORS = new Set(["Deploy.ResourceNotFound", "Deploy.AlarmNotFound"]);


function ownedLine(r: OwnedResource): string {
  const from = r.source === "flag" ? (r.kind === "event bus" ? " (--event-bus)" : " (--table)") : r.source === "environment" ? " (STEPDEPLOY_TABLE)" : "";
  return `${r.kind} ${r.name}${from}: ${r.action === "created" ? "created (it was missing)" : "used as found"}`;
}

function printReport(io: CommandIO, report: RunReport, targetVersion: unknown): void {
  for (const t of report.timeline) io.out(`  t+${t.atSeconds}s (${t.at}) traffic ${t.weight}% on v${String(targetVersion)}`);
  io.out(`${report.status}${report.error ? ` ${report.error}: ${report.cause ?? ""}` : ""} (${report.deploymentId})`);
  if (report.error && USER_RESOURCE_ERRORS.has(report.error)) {
    io.out("  run creates only stepdeploy's own table and bus: create the function, its versions, the alias, the alarms and the hooks at the endpoint first");
  }
  io.out(`${report.clock === "real" ? "wall clock" : "compressed clock"}: ${report.startedAt} -> ${report.endedAt}`);
  if (report.finalAlias) io.out(`alias: FunctionVersion ${report.finalAlias.functionVersion}, routing ${JSON.stringify(report.finalAlias.additionalVersionWeights)}`);
  for (const [route, weights] of Object.entries(report.finalRoutes ?? {})) io.out(`${route}: ${Object.entries(weights).map(([tg, w]) => `${tg}=${w}`).join(", ")}`);
}

export default async function run(argv: string[], io: CommandIO): Promise<number> {
  let values: { json?: boolean; endpoint?: string; "real-time"?: boolean; machine?: string; table?: string; "event-bus"?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        json: { type: "boolean" },
        endpoint: { type: "string" },
        "real-time": { type: "boolean" },
        machine: { type: "string" },
        table: { type: "string" },
        "event-bus": { type: "string" },
      },
      allowPositionals: true,
    }));
  } catch (e) {
    io.err(`stepdeploy run: ${(e as Error).message}\n${USAGE}`);
    return ExitCode.Usage;
  }
  const file = positionals[0];
  if (!file) {
    io.err(USAGE);
    return ExitCode.Usage;
  }
  for (const flag of ["table", "event-bus"] as const) {
    if (values[flag] !== undefined && values[flag]?.trim() === "") {
      io.err(`stepdeploy run: --${flag} is empty: name an existing one, or leave it out to use the stack's\n${USAGE}`);
      return ExitCode.Usage;
    }
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
  // The input says which workflow it is: an ECS input (`ecs`) runs deploy-ecs.
  const machine = values.machine ?? machineFor(input);
  const realTime = values["real-time"] ?? false;
  if (!values.json) io.out(`running ${machine} against ${endpoint ?? "the AWS endpoints"} in ${region}${realTime ? " in real time" : " (waits compressed)"}`);
  let report: RunReport;
  try {
    report = await runInput(input, {
      endpoint,
      region,
      realTime,
      machine,
      table: values.table,
      eventBus: values["event-bus"],
      env: io.env,
      onReady: values.json
        ? undefined
        : ({ owned, notices }) => {
            for (const r of owned) io.out(`  ${ownedLine(r)}`);
            for (const n of notices) io.out(`  notice: ${n}`);
          },
      onProgress: values.json ? undefined : (line) => io.out(`  ${line}`),
    });
  } catch (e) {
    if (!(e instanceof RunRefused)) throw e;
    if (values.json) io.out(JSON.stringify({ status: "REFUSED", error: e.name, cause: e.message, problems: e.problems, endpoint: endpoint ?? null, region }, null, 2));
    else io.err(`stepdeploy run: refused before anything changed:\n${e.problems.map((p) => `  ${p.field}: ${p.reason}`).join("\n")}`);
    return ExitCode.Usage;
  }
  if (values.json) io.out(JSON.stringify({ ...report, endpoint: endpoint ?? null, region }, null, 2));
  else printReport(io, report, input.targetVersion);
  return report.status === "SUCCEEDED" ? ExitCode.Ok : ExitCode.Failed;
}
