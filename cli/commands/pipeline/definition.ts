import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { type CommandIO, ExitCode } from "../../io.js";
import { type PipelineIssue, type PipelineReadResult, readPipeline } from "../../../functions/domain/pipeline/index.js";

/** Reads a definition file for the pipeline commands; an unreadable file is a usage error (exit 2). */
export class UsageError extends Error {}

export async function readDefinitionFile(file: string, resource?: string): Promise<PipelineReadResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  return readPipeline(text, resource === undefined ? {} : { resource });
}

export function issueLine(issue: PipelineIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export interface DefinitionArgs {
  file: string;
  values: { json?: boolean; out?: string; resource?: string; scenario?: string; source?: string };
  read: PipelineReadResult;
}

/**
 * The part every pipeline subcommand that takes a definition file shares: flags, `--help`, exactly
 * one file, reading it. Returns the exit code instead when it already answered (help or usage error).
 */
export async function readDefinitionArgs(argv: string[], io: CommandIO, command: string, usage: string, withOut = false, extra: readonly ("scenario" | "source")[] = []): Promise<DefinitionArgs | number> {
  let values: DefinitionArgs["values"] & { help?: boolean };
  let positionals: string[];
  try {
    const options = { json: { type: "boolean" }, resource: { type: "string" }, help: { type: "boolean", short: "h" }, out: { type: "string" }, scenario: { type: "string" }, source: { type: "string" } } as const;
    ({ values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options }));
    for (const k of ["scenario", "source"] as const) if (!extra.includes(k) && values[k] !== undefined) throw new TypeError(`Unknown option '--${k}'`);
    if (!withOut && values.out !== undefined) throw new TypeError("Unknown option '--out'");
  } catch (e) {
    io.err(`stepdeploy pipeline ${command}: ${(e as Error).message}\n${usage}`);
    return ExitCode.Usage;
  }
  if (values.help) {
    io.out(usage);
    return ExitCode.Ok;
  }
  if (positionals.length !== 1) {
    io.err(`stepdeploy pipeline ${command}: expected exactly one file, got ${positionals.length}\n${usage}`);
    return ExitCode.Usage;
  }
  const file = positionals[0] as string;
  try {
    return { file, values, read: await readDefinitionFile(file, values.resource) };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`stepdeploy pipeline ${command}: ${e.message}`);
    return ExitCode.Usage;
  }
}
