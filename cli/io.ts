/** What a CLI command may touch: output streams and the environment. Injected so tests can capture it. */
export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal: colour and live progress only then. */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export type Command = (argv: string[], io: CommandIO) => Promise<number>;

export interface CommandModule {
  default: Command;
  summary: string;
}

/** Bad usage found inside a command: main prints the message (no error name) and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Exit codes shared by every command (documented in docs/cli.md). */
export const ExitCode = {
  Ok: 0,
  /** The deployment/validation ran and its outcome is a failure (deployment failed, file invalid). */
  Failed: 1,
  /** Usage error or bad input (unknown config, unreadable file, bad flag). */
  Usage: 2,
} as const;

/**
 * The process's own streams. The write functions are bound when this is created, so the CLI's
 * output still reaches the terminal while the handlers' writes are redirected (handler-logs.ts).
 */
export function processIO(): CommandIO {
  // `stepdeploy ... | head`: the reader went away; stop quietly like other command-line tools.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
    process.exit(process.exitCode ?? 0);
  });
  const stdout = process.stdout.write.bind(process.stdout);
  const stderr = process.stderr.write.bind(process.stderr);
  return {
    out: (t) => stdout(t.endsWith("\n") ? t : `${t}\n`),
    err: (t) => stderr(t.endsWith("\n") ? t : `${t}\n`),
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
  };
}

/** Captures output in memory; used by tests. */
export function memoryIO(env: NodeJS.ProcessEnv = {}): CommandIO & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    isTTY: false,
    env,
    out(t: string) {
      io.stdout += t.endsWith("\n") ? t : `${t}\n`;
    },
    err(t: string) {
      io.stderr += t.endsWith("\n") ? t : `${t}\n`;
    },
  };
  return io;
}
