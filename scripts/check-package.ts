/**
 * Checks that the npm package is a working product on its own, as a user gets it:
 *
 *  1. `npm pack` in a private copy of the service (its prepack builds dist/ from clean);
 *  2. `npm install -g --prefix <tmp> <tarball> --omit=dev`: production dependencies only, no
 *     TypeScript, no tsx, nothing from this checkout;
 *  3. the installed `stepdeploy`, run from a folder outside the checkout: --help, schedule,
 *     validate and one simulate (which needs the packaged state machines, the stack description,
 *     the handlers and the emulators at run time).
 *
 * Prints the tarball's and the installation's size and one line per check. Exit code 0 when every
 * check passed, 1 otherwise. KEEP_PACKAGE_CHECK=1 keeps the temporary folders for a look.
 *
 *   tsx scripts/check-package.ts
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { copyService, ROOT } from "./service-copy.js";

const exec = promisify(execFile);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function sh(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Run> {
  try {
    const r = await exec(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, maxBuffer: 64 * 1024 * 1024, timeout: opts.timeoutMs ?? 300_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return { code: typeof err.code === "number" ? err.code : -1, stdout: err.stdout ?? "", stderr: err.stderr ?? err.message };
  }
}

/** What npm must not inherit from the `npm test` that runs us: it would redirect the global install. */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false" };
  for (const k of Object.keys(env)) if (/^npm_config_(prefix|global|location|omit|include|dry_run)$/i.test(k)) delete env[k];
  return env;
}

function bytesUnder(dir: string, skip?: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(e.parentPath, e.name);
    if (e.isFile() && !(skip && file.startsWith(skip))) total += statSync(file).size;
  }
  return total;
}

export interface Check {
  name: string;
  args: string[];
  /** Exit code the command must return. */
  code: number;
  /** What stdout must show, or undefined when the exit code is enough. */
  verify?: (stdout: string) => string | undefined;
}

/** The commands the installed CLI must run, with inputs from this checkout (as a user's own files would be). */
export const CHECKS: Check[] = [
  {
    name: "--help",
    args: ["--help"],
    code: 0,
    verify: (out) => (["schedule", "validate", "simulate", "run", "demo", "deploy"].every((c) => new RegExp(`^ {2}${c} `, "m").test(out)) ? undefined : "help does not list every command"),
  },
  {
    name: "schedule",
    args: ["schedule", "CodeDeployDefault.LambdaCanary10Percent5Minutes", "--json"],
    code: 0,
    verify: (out) => (JSON.parse(out).totalSeconds === 300 ? undefined : `unexpected schedule ${out}`),
  },
  { name: "validate", args: ["validate", path.join(ROOT, "test/fixtures/appspec/lambda/valid/basic.yml")], code: 0 },
  {
    name: "simulate",
    args: ["simulate", path.join(ROOT, "events/scenarios/alarm-mid-bake.json"), "--json"],
    code: 0,
    verify: (out) => {
      const r = JSON.parse(out) as { status?: string; error?: string; expectationFailures?: string[] };
      return r.status === "FAILED" && r.error === "Deploy.AlarmTriggered" && r.expectationFailures?.length === 0 ? undefined : `unexpected report: ${out.slice(0, 300)}`;
    },
  },
];

export async function checkPackage(log: (line: string) => void = console.log): Promise<boolean> {
  const copy = copyService("stepdeploy-pack-");
  const work = mkdtempSync(path.join(tmpdir(), "stepdeploy-install-"));
  const keep = process.env.KEEP_PACKAGE_CHECK === "1";
  try {
    let t = Date.now();
    const pack = await sh("npm", ["pack", "--pack-destination", work], { cwd: copy.dir, env: npmEnv() });
    const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"));
    if (pack.code !== 0 || !tarball) {
      log(`npm pack failed (exit ${pack.code}):\n${pack.stdout}${pack.stderr}`);
      return false;
    }
    const tgz = path.join(work, tarball);
    log(`packed    ${tarball}: ${(statSync(tgz).size / 1024).toFixed(0)} KiB in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    t = Date.now();
    const prefix = path.join(work, "prefix");
    const install = await sh("npm", ["install", "-g", "--prefix", prefix, tgz, "--omit=dev", "--prefer-offline"], { cwd: work, env: npmEnv(), timeoutMs: 600_000 });
    if (install.code !== 0) {
      log(`npm install -g --omit=dev failed (exit ${install.code}):\n${install.stdout}${install.stderr}`);
      return false;
    }
    const installed = path.join(prefix, "lib", "node_modules", "stepdeploy");
    log(`installed ${(bytesUnder(prefix) / 1024 / 1024).toFixed(0)} MiB with production dependencies (stepdeploy itself ${(bytesUnder(installed, path.join(installed, "node_modules")) / 1024).toFixed(0)} KiB) in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    const stepdeploy = path.join(prefix, "bin", "stepdeploy");
    let ok = true;
    for (const check of CHECKS) {
      t = Date.now();
      const r = await sh(stepdeploy, check.args, { cwd: work, env: { ...process.env, PATH: `${path.join(prefix, "bin")}${path.delimiter}${process.env.PATH ?? ""}` } });
      let problem = r.code === check.code ? undefined : `exit ${r.code}, expected ${check.code}`;
      if (!problem && check.verify) {
        try {
          problem = check.verify(r.stdout);
        } catch (e) {
          problem = `output is not what was expected: ${(e as Error).message}`;
        }
      }
      ok &&= !problem;
      log(`${problem ? "FAIL" : "ok  "}      stepdeploy ${check.args.map((a) => path.relative(ROOT, a).startsWith("..") || !path.isAbsolute(a) ? a : path.relative(ROOT, a)).join(" ")}  (${((Date.now() - t) / 1000).toFixed(1)} s)${problem ? `: ${problem}\n${r.stderr}` : ""}`);
    }
    return ok;
  } finally {
    if (keep) log(`kept ${copy.dir} and ${work}`);
    else {
      copy.remove();
      rmSync(work, { recursive: true, force: true });
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = (await checkPackage()) ? 0 : 1;
}
