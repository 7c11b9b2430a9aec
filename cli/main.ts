import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type CommandIO, type CommandModule, ExitCode, processIO } from "./io.js";

/**
 * Command names map to modules in cli/commands/<name>.ts, each exporting `default` (the command)
 * and `summary` (one line for help). Adding a command = adding a file and a name here.
 */
export const COMMANDS = [
  "demo",
  "schedule",
  "validate",
  "simulate",
  "run",
  "deploy",
  "status",
  "watch",
  "list",
  "history",
  "stop",
  "pause",
  "resume",
  "promote",
  "pipeline",
] as const;

function commandPath(name: string): string {
  return fileURLToPath(new URL(`./commands/${name}.ts`, import.meta.url));
}

async function load(name: string): Promise<CommandModule | undefined> {
  if (!existsSync(commandPath(name))) return undefined;
  return (await import(`./commands/${name}.ts`)) as CommandModule;
}

async function help(io: CommandIO): Promise<number> {
  io.out("usage: stepdeploy <command> [options]   (every command takes --json)\n");
  for (const name of COMMANDS) {
    const mod = await load(name);
    if (mod) io.out(`  ${name.padEnd(10)} ${mod.summary}`);
  }
  return ExitCode.Ok;
}

export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") return help(io);
  const mod = (COMMANDS as readonly string[]).includes(name) ? await load(name) : undefined;
  if (!mod) {
    io.err(`stepdeploy: unknown command '${name}'. Run 'stepdeploy help' for the list.`);
    return ExitCode.Usage;
  }
  try {
    return await mod.default(rest, io);
  } catch (error) {
    const e = error as Error;
    io.err(`stepdeploy ${name}: ${e.name && e.name !== "Error" ? `${e.name}: ` : ""}${e.message}`);
    return ExitCode.Usage;
  }
}
