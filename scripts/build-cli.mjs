/**
 * Builds the `stepdeploy` CLI into dist/ with esbuild: one ESM build of cli/main.ts and of every
 * Lambda handler, with code splitting, so that
 *  - `node bin/stepdeploy.mjs` needs neither TypeScript nor tsx;
 *  - each command is its own chunk, loaded only when it runs (cli/command-table.ts), so `help` and
 *    `schedule` load a few kilobytes and never the AWS SDK or the engine;
 *  - the handlers that `simulate`, `run` and `demo` execute in-process (dist/functions/handlers/*.js,
 *    found by local/runtime/stack.ts) share their modules with the command: one clock, one
 *    registry client, one logger, exactly as when the sources run.
 * npm packages stay external (dependencies of the package), so the SDK the handlers use is the one
 * the simulator meters and the tarball stays small.
 *
 * Layout: entries keep their source path (dist/cli/main.js, dist/functions/handlers/<name>.js),
 * shared code goes to dist/chunks/. Code that finds the project root as `../..` from its own file
 * (local/simulate) always lands in a chunk, two levels below the package root like its source.
 *
 *   node scripts/build-cli.mjs            # build (what `npm run build` and `prepack` run)
 *   buildIfStale()                        # bin/stepdeploy.mjs in a source checkout: rebuild if a source changed
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const DIST = path.join(ROOT, "dist");
/** Touched at the start of every build: a source newer than this means dist/ is stale. */
const STAMP = path.join(DIST, ".built");
const SOURCE_DIRS = ["cli", "functions", "local"];
const HANDLERS = "functions/handlers";

function newestSourceMs() {
  let newest = statSync(fileURLToPath(import.meta.url)).mtimeMs;
  for (const dir of SOURCE_DIRS) {
    for (const entry of readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

function builtMs() {
  try {
    return statSync(STAMP).mtimeMs;
  } catch {
    return -1;
  }
}

/** Writes a file so that a process reading dist/ at the same time sees the old or the new content, never half. */
function writeAtomically(file, contents) {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, file);
}

/**
 * `clean` empties dist/ first (for the package). Without it, files of earlier builds stay: a
 * command that is running keeps finding the chunks it started with.
 */
export async function buildCli({ clean = false } = {}) {
  const started = Date.now();
  const { build } = await import("esbuild");
  if (clean) rmSync(DIST, { recursive: true, force: true });
  // Subfolders too (functions/handlers/pipeline/): every handler serverless.yml names.
  const handlers = readdirSync(path.join(ROOT, HANDLERS), { recursive: true })
    .map((f) => String(f).split(path.sep).join("/"))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => `${HANDLERS}/${f}`);
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ["cli/main.ts", ...handlers],
    outbase: ".",
    outdir: "dist",
    entryNames: "[dir]/[name]",
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    write: false,
    metafile: true,
    logLevel: "warning",
  });
  // Chunks first, entries last: an entry never refers to a chunk that is not written yet.
  const files = [...result.outputFiles].sort((a, b) => Number(!a.path.includes(`${path.sep}chunks${path.sep}`)) - Number(!b.path.includes(`${path.sep}chunks${path.sep}`)));
  for (const f of files) writeAtomically(f.path, f.contents);
  writeAtomically(STAMP, "");
  utimesSync(STAMP, started / 1000, started / 1000);
  writeAtomically(path.join(DIST, ".meta.json"), JSON.stringify(result.metafile));
  return { files: files.length, ms: Date.now() - started, metafile: result.metafile };
}

/** Rebuilds when dist/ is missing or older than a source file. Used from a source checkout only. */
export async function buildIfStale() {
  if (builtMs() >= newestSourceMs()) return false;
  await buildCli();
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const clean = process.argv.includes("--clean");
  const r = await buildCli({ clean });
  console.log(`built ${r.files} files into dist/ in ${r.ms} ms${clean ? " (clean)" : ""}`);
}
