import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import {
  PREDEFINED_CONFIG_NAMES,
  type ResolvedConfig,
  T0_NOTE,
  describeConfig,
  formatClock,
  renderScheduleTable,
  resolveConfig,
  timingModelNote,
} from "../../functions/domain/configs/index.js";
import { ValidationError, ValidationErrors } from "../../functions/domain/errors.js";
import { describeFleetPlan, FleetError, planFleet, resolveServerConfig } from "../../functions/domain/fleet/index.js";
import { type Command, type CommandIO, ExitCode } from "../io.js";


const USAGE = `usage: stepdeploy schedule <name | json | @file.json> [--json]
       stepdeploy schedule <server config | json | @file.json> --instances N [--json]
       stepdeploy schedule --list [--json]

  <name>        a predefined config, e.g. CodeDeployDefault.LambdaCanary10Percent5Minutes
  <json>        a custom config: '{"trafficRoutingConfig":{...}}' or '{"steps":[{"weight":10,"bakeMinutes":5}]}'
  @file.json    the same, read from a file
  --json        print {"config", "steps", "totalSeconds"} as one JSON document
  --instances N EC2/on-premises: the batches of a Server config (CodeDeployDefault.OneAtATime | HalfAtATime |
                AllAtOnce or '{"minimumHealthyHosts":{"type":"HOST_COUNT"|"FLEET_PERCENT","value":n}}') on N instances;
                --json prints {"config", "instances", "minimumHealthyHosts", "minHealthy", "batches"}; exit 1 when the
                minimum cannot be met (HEALTH_CONSTRAINTS_INVALID, NO_INSTANCES, OVER_MAX_INSTANCES)
  --list        list the predefined config names`;

class UsageError extends Error {}

/** The argument as resolveConfig wants it: a name stays a string, JSON text and @files are parsed. */
async function readConfigArgument(arg: string): Promise<unknown> {
  let text = arg;
  let source = "argument";
  if (arg.startsWith("@")) {
    source = arg.slice(1);
    if (!source) throw new UsageError("'@' must be followed by a file path, e.g. @config.json");
    try {
      text = await readFile(source, "utf8");
    } catch (e) {
      throw new UsageError(`cannot read ${source}: ${(e as Error).message}`);
    }
  } else if (!/^\s*[{["]/.test(arg)) {
    return arg;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${source === "argument" ? "the argument" : source} is not valid JSON: ${(e as Error).message}`);
  }
}

function printList(io: CommandIO, json: boolean): void {
  if (json) {
    io.out(JSON.stringify(PREDEFINED_CONFIG_NAMES));
    return;
  }
  const width = Math.max(...PREDEFINED_CONFIG_NAMES.map((n) => n.length));
  for (const name of PREDEFINED_CONFIG_NAMES) {
    const config = resolveConfig(name);
    io.out(`${name.padEnd(width)}  ${describeConfig(config)}`);
  }
}

function printHuman(io: CommandIO, resolved: ResolvedConfig): void {
  const { schedule } = resolved;
  io.out(`${schedule.config}: ${describeConfig(resolved)}`);
  io.out("");
  for (const line of renderScheduleTable(schedule)) io.out(`  ${line}`);
  io.out("");
  io.out(`100% at ${formatClock(schedule.totalSeconds)} (${schedule.totalSeconds} s) after T0, in ${schedule.steps.length} shift${schedule.steps.length === 1 ? "" : "s"}.`);
  io.out(`Timing: ${timingModelNote(resolved.kind)}`);
  io.out(T0_NOTE);
}

function printConfigError(io: CommandIO, e: ValidationError | ValidationErrors): void {
  const lines = e instanceof ValidationErrors ? e.problems.map((p) => `${p.field}: ${p.reason}`) : [e.message];
  io.err(`stepdeploy schedule: invalid deployment config (${e.name}):`);
  for (const line of lines) io.err(`  ${line}`);
}

/** `--instances N`: a Server config's batches (functions/domain/fleet). */
async function printFleet(io: CommandIO, arg: string, instancesArg: string, json: boolean): Promise<number> {
  if (!/^\d+$/.test(instancesArg)) {
    io.err(`stepdeploy schedule: --instances must be a whole number ≥ 0, got '${instancesArg}'`);
    return ExitCode.Usage;
  }
  try {
    const plan = planFleet(resolveServerConfig(await readConfigArgument(arg)), Number(instancesArg));
    if (json) io.out(JSON.stringify(plan));
    else for (const line of describeFleetPlan(plan)) io.out(line);
    return ExitCode.Ok;
  } catch (e) {
    if (e instanceof FleetError) {
      io.err(`stepdeploy schedule: ${e.message}`);
      return ExitCode.Failed;
    }
    if (e instanceof ValidationError) printConfigError(io, e);
    else if (e instanceof UsageError) io.err(`stepdeploy schedule: ${e.message}`);
    else throw e;
    return ExitCode.Usage;
  }
}

const schedule: Command = async (argv, io) => {
  let values: { json?: boolean; list?: boolean; help?: boolean; instances?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { json: { type: "boolean" }, list: { type: "boolean" }, help: { type: "boolean", short: "h" }, instances: { type: "string" } },
    }));
  } catch (e) {
    io.err(`stepdeploy schedule: ${(e as Error).message}\n${USAGE}`);
    return ExitCode.Usage;
  }
  if (values.help) {
    io.out(USAGE);
    return ExitCode.Ok;
  }
  if (values.list) {
    if (positionals.length > 0) {
      io.err(`stepdeploy schedule: --list takes no config argument\n${USAGE}`);
      return ExitCode.Usage;
    }
    printList(io, Boolean(values.json));
    return ExitCode.Ok;
  }
  if (positionals.length !== 1) {
    io.err(`stepdeploy schedule: expected exactly one config, got ${positionals.length}\n${USAGE}`);
    return ExitCode.Usage;
  }
  if (values.instances !== undefined) return printFleet(io, positionals[0]!, values.instances, Boolean(values.json));
  let resolved: ResolvedConfig;
  try {
    resolved = resolveConfig(await readConfigArgument(positionals[0]!));
  } catch (e) {
    if (e instanceof ValidationError || e instanceof ValidationErrors) printConfigError(io, e);
    else if (e instanceof UsageError) io.err(`stepdeploy schedule: ${e.message}`);
    else throw e;
    return ExitCode.Usage;
  }
  if (values.json) {
    const { config, steps, totalSeconds } = resolved.schedule;
    io.out(JSON.stringify({ config, steps: steps.map((s) => ({ atSeconds: s.atSeconds, weight: s.weight })), totalSeconds }));
  } else {
    printHuman(io, resolved);
  }
  return ExitCode.Ok;
};

export default schedule;
