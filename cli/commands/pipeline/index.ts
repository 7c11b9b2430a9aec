import { type Command, type CommandIO, type CommandModule, ExitCode } from "../../io.js";

/**
 * `stepdeploy pipeline <subcommand>`: one module per subcommand in this folder, loaded on use, each
 * exporting `default` (the command) and `summary`, like the top-level commands.
 */
export const summary = "CodePipeline definitions: validate, synth, simulate (locally); running pipelines: start, state, approve, reject, retry, transitions, history";

const OPERATOR = ["start", "state", "approve", "reject", "retry", "disable-transition", "enable-transition", "history"] as const;
export const SUBCOMMANDS = ["validate", "synth", "simulate", ...OPERATOR] as const;

const operator = (name: string) => async () => (await import("./operate.js")).operatorModule(name);

/** Static imports so the bundled CLI (esbuild) carries each subcommand as its own lazy chunk. */
const LOADERS: Record<(typeof SUBCOMMANDS)[number], () => Promise<CommandModule>> = {
  validate: () => import("./validate.js"),
  synth: () => import("./synth.js"),
  simulate: () => import("./simulate.js"),
  ...(Object.fromEntries(OPERATOR.map((name) => [name, operator(name)])) as Record<(typeof OPERATOR)[number], () => Promise<CommandModule>>),
};

async function load(name: string): Promise<CommandModule | undefined> {
  const loader = (LOADERS as Record<string, (() => Promise<CommandModule>) | undefined>)[name];
  return loader ? await loader() : undefined;
}

async function help(io: CommandIO): Promise<number> {
  io.out("usage: stepdeploy pipeline <subcommand> [options]   (every subcommand takes --json)\n");
  for (const name of SUBCOMMANDS) {
    const mod = await load(name);
    if (mod) io.out(`  ${name.padEnd(10)} ${mod.summary}`);
  }
  return ExitCode.Ok;
}

const pipeline: Command = async ([name, ...rest], io) => {
  if (!name || name === "help" || name === "--help" || name === "-h") return help(io);
  const mod = await load(name);
  if (!mod) {
    io.err(`stepdeploy pipeline: unknown subcommand '${name}'; one of: ${SUBCOMMANDS.join(", ")}`);
    return ExitCode.Usage;
  }
  return mod.default(rest, io);
};

export default pipeline;
