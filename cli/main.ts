import { COMMANDS, type CommandEntry, findCommand } from "./command-table.js";
import { captureHandlerLogs } from "./handler-logs.js";
import { type CommandIO, ExitCode, processIO, UsageError } from "./io.js";

function help(io: CommandIO): number {
  io.out("usage: stepdeploy <command> [options]\n");
  for (const [name, command] of Object.entries(COMMANDS)) io.out(`  ${name.padEnd(10)} ${command.summary}`);
  io.out("\n  --json             one JSON document on stdout (every command but demo)");
  io.out("  --verbose          show the handlers' logs on stderr (simulate, run, demo, pipeline simulate; otherwise they go to a file)");
  return ExitCode.Ok;
}

async function runCommand(name: string, entry: CommandEntry, argv: string[], io: CommandIO): Promise<number> {
  if (!entry.runsHandlers) {
    // Nothing here should log, but if something does it must not reach stdout as INFO lines.
    process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
    return (await entry.load()).default(argv, io);
  }
  // Set before any handler module loads: the handlers' logger reads it when it is created.
  process.env.POWERTOOLS_LOG_LEVEL ??= "INFO";
  const logs = captureHandlerLogs(io, { command: name, verbose: argv.includes("--verbose") });
  try {
    return await (await entry.load()).default(
      argv.filter((a) => a !== "--verbose"),
      io,
    );
  } finally {
    logs.finish();
  }
}

export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") return help(io);
  const entry = findCommand(name);
  if (!entry) {
    io.err(`stepdeploy: unknown command '${name}'. Run 'stepdeploy help' for the list.`);
    return ExitCode.Usage;
  }
  try {
    return await runCommand(name, entry, rest, io);
  } catch (error) {
    const e = error as Error;
    const named = e.name && e.name !== "Error" && !(e instanceof UsageError);
    io.err(`stepdeploy ${name}: ${named ? `${e.name}: ` : ""}${e.message}`);
    return ExitCode.Usage;
  }
}
