import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { loadAppSpec } from "../../../functions/domain/appspec/index.js";
import { bashInstallScript, type InstallCommand, phaseSegments, type ServerPhase, serverRevision } from "../../../functions/domain/server-install/index.js";

const run = promisify(execFile);

/**
 * A temporary directory standing in for an instance: `root` is the deployment root, `fs` holds the app's
 * destinations, `s3/<bucket>/<key>` the bundles, and `bin/aws` is the instance's AWS CLI for `s3api get-object`
 * (version and If-Match checked like S3 does, 412 otherwise).
 */
export interface Instance {
  dir: string;
  root: string;
  fs: string;
  trace(): Promise<string[]>;
  cleanup(): Promise<void>;
}

const FAKE_AWS = `#!/bin/bash
# s3api get-object --bucket B --key K [--version-id V] --if-match E OUTFILE
shift 2
while [ $# -gt 1 ]; do case "$1" in --bucket) b=$2; shift 2;; --key) k=$2; shift 2;; --version-id) v=$2; shift 2;; --if-match) e=$2; shift 2;; *) break;; esac; done
src="$S3_DIR/$b/$k"
[ -f "$src" ] || { echo "An error occurred (NoSuchKey) when calling the GetObject operation" >&2; exit 254; }
if [ -n "\${v:-}" ] && [ "$(cat "$src.version")" != "$v" ]; then echo "An error occurred (NoSuchVersion)" >&2; exit 254; fi
if [ "\\"$(md5sum "$src" | cut -d' ' -f1)\\"" != "$e" ]; then echo "An error occurred (PreconditionFailed) when calling the GetObject operation" >&2; exit 254; fi
cp "$src" "$1"
echo '{"ETag": "'"$e"'"}'
`;

export async function createInstance(): Promise<Instance> {
  const dir = await mkdtemp(join(tmpdir(), "stepdeploy-instance-"));
  await chmod(dir, 0o755); // hooks with runas must reach the archive
  for (const d of ["root", "fs", "s3", "bin"]) await mkdir(join(dir, d), { recursive: true });
  await writeFile(join(dir, "bin", "aws"), FAKE_AWS, { mode: 0o755 });
  await writeFile(join(dir, "trace"), "");
  await chmod(join(dir, "trace"), 0o666); // written by hooks that run as nobody
  return {
    dir,
    root: join(dir, "root"),
    fs: join(dir, "fs"),
    trace: async () => (await readFile(join(dir, "trace"), "utf8")).split("\n").filter(Boolean),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Zips a bundle directory given as {path: content} (paths under scripts/ are made executable) and uploads it. */
export async function uploadBundle(instance: Instance, key: string, files: Record<string, string>, version = "v1"): Promise<{ etag: string }> {
  const src = await mkdtemp(join(instance.dir, "bundle-"));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(src, path)), { recursive: true });
    await writeFile(join(src, path), content, { mode: path.startsWith("scripts/") ? 0o755 : 0o644 });
  }
  const target = join(instance.dir, "s3", "bundles", key);
  await mkdir(dirname(target), { recursive: true });
  await run("zip", ["-q", "-r", target, "."], { cwd: src });
  await writeFile(`${target}.version`, version);
  const etag = `"${createHash("md5").update(await readFile(target)).digest("hex")}"`;
  return { etag };
}

export interface Deploy {
  deploymentId: string;
  key: string;
  etag: string;
  appspec: string;
  version?: string;
  withLoadBalancer?: boolean;
  keepRevisions?: number;
  /** The commands of a blue/green phase (default in place). */
  phase?: ServerPhase;
}

export interface CommandRun {
  exitCode: number;
  stdout: string;
}

/** Runs every command of one deployment on the instance, in order, stopping at the first that fails (as the workflow does). */
export async function deploy(instance: Instance, d: Deploy): Promise<CommandRun[]> {
  const revision = serverRevision(loadAppSpec(d.appspec, { platform: "server" }));
  const segments = phaseSegments(d.phase ?? "inPlace", Boolean(d.withLoadBalancer));
  const runs: CommandRun[] = [];
  for (const { events, records, fromLastRevision } of segments) {
    const command: InstallCommand = {
      deploymentId: d.deploymentId,
      applicationName: "orders",
      deploymentGroupName: "orders-fleet",
      deploymentGroupId: "0b8e2f9a-1111-2222-3333-444455556666",
      bundle: { bucket: "bundles", key: d.key, etag: d.etag, bundleType: "zip", ...(d.version ? { version: d.version } : {}) },
      revision,
      events,
      final: records,
      ...(fromLastRevision ? { fromLastRevision } : {}),
      deploymentRoot: instance.root,
      keepRevisions: d.keepRevisions ?? 5,
    };
    const script = bashInstallScript(command);
    const result = await runScript(instance, script);
    runs.push(result);
    if (result.exitCode !== 0) break;
  }
  return runs;
}

async function runScript(instance: Instance, script: string): Promise<CommandRun> {
  const env = { PATH: `${join(instance.dir, "bin")}:${process.env.PATH}`, S3_DIR: join(instance.dir, "s3"), TRACE: join(instance.dir, "trace"), APP: instance.fs };
  try {
    const { stdout } = await run("bash", ["-c", script], { env, timeout: 30_000 });
    return { exitCode: 0, stdout };
  } catch (e) {
    const err = e as { code?: number; stdout?: string };
    return { exitCode: typeof err.code === "number" ? err.code : -1, stdout: err.stdout ?? "" };
  }
}
