import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { CommandIO } from "./io.js";

/**
 * `simulate`, `run` and `demo` run the real handlers in this process, and the handlers log
 * structured JSON (Powertools) to the process's stdout and stderr. While a command runs, this takes
 * over both streams so that the human timeline and a `--json` report stay clean:
 *
 *  - by default every handler line goes to a file, and one line on stderr says where and how many
 *    were warnings or errors (nothing at all when the handlers logged nothing);
 *  - with `--verbose` the lines are shown on stderr as they come (stdout keeps only the command's
 *    own output, so `--json --verbose` still parses).
 *
 * The CLI's own output is not affected: processIO() bound the original write functions.
 */
export interface HandlerLogs {
  /** Restores the streams and reports where the lines went. Safe to call twice. */
  finish(): void;
}

const NOTABLE = /"level":"(WARN|ERROR|CRITICAL)"/;

export function captureHandlerLogs(io: CommandIO, opts: { command: string; verbose: boolean; dir?: string }): HandlerLogs {
  const file = join(opts.dir ?? join(tmpdir(), "stepdeploy-logs"), `${opts.command}-${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}.log`);
  let fd: number | undefined;
  let lines = 0;
  const notable = new Map<string, number>();

  const sink = (text: string): void => {
    if (opts.verbose) {
      io.err(text);
      return;
    }
    if (fd === undefined) {
      mkdirSync(dirname(file), { recursive: true });
      fd = openSync(file, "a");
    }
    writeSync(fd, text);
    for (const line of text.split("\n")) {
      if (!line) continue;
      lines++;
      const level = NOTABLE.exec(line)?.[1];
      if (level) notable.set(level, (notable.get(level) ?? 0) + 1);
    }
  };

  const restore = [process.stdout, process.stderr].map((stream) => {
    const original = stream.write;
    stream.write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
      sink(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      const done = typeof encoding === "function" ? encoding : callback;
      if (typeof done === "function") queueMicrotask(() => done());
      return true;
    }) as typeof stream.write;
    return () => {
      stream.write = original;
    };
  });

  let finished = false;
  return {
    finish() {
      if (finished) return;
      finished = true;
      for (const r of restore) r();
      if (fd === undefined) return;
      closeSync(fd);
      const counts = [...notable].map(([level, n]) => `${n} ${level}`).join(", ");
      io.err(`handler logs: ${lines} line${lines === 1 ? "" : "s"}${counts ? ` (${counts})` : ""} in ${file} (--verbose shows them here)`);
    },
  };
}
