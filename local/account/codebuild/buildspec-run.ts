import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type ArtifactSpec, type Buildspec, PHASES, type PhaseName } from "./buildspec.js";

/**
 * Runs a buildspec's commands for real, in the source directory it is given, the way CodeBuild's
 * phases go (CodeBuild User Guide, "Build phase transitions"): install and pre_build failing end the
 * build; a failing build phase still runs post_build; `finally` runs after a phase's commands
 * whatever happened; `on-failure: CONTINUE` goes on to the next phase. Commands of all phases run in
 * one shell, so a variable exported in one phase is there in the next (version 0.2). Exported
 * variables are read after the last phase.
 *
 * What differs from CodeBuild's container: the commands run on this machine as this user with its
 * tools (no image, no runtime-versions, no Docker), with a time limit, and environment variables
 * come only from the buildspec, the build's overrides and CODEBUILD_* values set here.
 */
export interface BuildRunInput {
  buildspec: Buildspec;
  sourceDir: string;
  /** Secondary sources by identifier (`CODEBUILD_SRC_DIR_<id>`). */
  secondarySources?: Record<string, string>;
  environment?: Record<string, string>;
  buildId: string;
  timeoutMs?: number;
}

export interface PhaseResult {
  phase: PhaseName;
  status: "SUCCEEDED" | "FAILED";
  exitCode: number;
}

export interface BuildRunResult {
  status: "SUCCEEDED" | "FAILED";
  phases: PhaseResult[];
  exportedVariables: Record<string, string>;
  /** Relative path in the artifact -> absolute path on disk. */
  artifacts?: Map<string, string>;
  secondaryArtifacts: Record<string, Map<string, string>>;
  log: string;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The whole build as one script: each command's status is checked, phases follow CodeBuild's transitions. */
function script(spec: Buildspec, statusFile: string, exportFile: string): string {
  const lines = ["__aborted=0", "__failed_build=0"];
  for (const name of PHASES) {
    const phase = spec.phases[name];
    if (!phase) continue;
    const run = (commands: string[]) => commands.map((c) => `if [ "$__rc" -eq 0 ]; then\n${c}\n__rc=$?\nfi`).join("\n");
    const gate = name === "post_build" ? `[ "$__aborted" -eq 0 ]` : `[ "$__aborted" -eq 0 ] && [ "$__failed_build" -eq 0 ]`;
    lines.push(
      `if ${gate}; then`,
      `echo "${name} started" >> ${q(statusFile)}`,
      "__rc=0",
      run(phase.commands),
      "__phase_rc=$__rc; __rc=0",
      run(phase.finally),
      `[ "$__phase_rc" -eq 0 ] && __phase_rc=$__rc`,
      `echo "${name} $__phase_rc" >> ${q(statusFile)}`,
      `if [ "$__phase_rc" -ne 0 ] && [ ${q(phase.onFailure)} = ABORT ]; then ${name === "build" ? "__failed_build=1" : name === "post_build" ? ":" : "__aborted=1"}; fi`,
      "fi",
    );
  }
  for (const v of spec.exportedVariables) lines.push(`printf '%s=%s\\0' ${q(v)} "\${${v}:-}" >> ${q(exportFile)}`);
  return lines.join("\n");
}

function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*" && glob[i + 1] === "*") {
      re += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

async function walk(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await walk(path.join(dir, entry.name), rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/** The files an artifact section selects: relative path inside the artifact -> file on disk. */
export async function collectArtifact(root: string, spec: ArtifactSpec): Promise<Map<string, string>> {
  const base = path.resolve(root, spec.baseDirectory ?? ".");
  if (!base.startsWith(path.resolve(root))) throw new Error(`base-directory ${spec.baseDirectory} leaves the source directory`);
  const include = spec.files.map(globToRegExp);
  const exclude = spec.excludePaths.map(globToRegExp);
  const out = new Map<string, string>();
  let files: string[] = [];
  try {
    if ((await stat(base)).isDirectory()) files = await walk(base);
  } catch {
    files = [];
  }
  for (const rel of files.sort()) {
    if (!include.some((r) => r.test(rel)) || exclude.some((r) => r.test(rel))) continue;
    out.set(spec.discardPaths ? path.basename(rel) : rel, path.join(base, rel));
  }
  return out;
}

export async function runBuild(input: BuildRunInput): Promise<BuildRunResult> {
  const work = await mkdtemp(path.join(tmpdir(), "stepdeploy-codebuild-"));
  const statusFile = path.join(work, "status");
  const exportFile = path.join(work, "exported");
  await writeFile(statusFile, "");
  await writeFile(exportFile, "");
  const env: Record<string, string> = {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: process.env["HOME"] ?? work,
    CODEBUILD_SRC_DIR: input.sourceDir,
    CODEBUILD_BUILD_ID: input.buildId,
    CODEBUILD_BUILD_SUCCEEDING: "1",
    ...Object.fromEntries(Object.entries(input.secondarySources ?? {}).map(([id, dir]) => [`CODEBUILD_SRC_DIR_${id}`, dir])),
    ...input.buildspec.variables,
    ...input.environment,
  };
  let log = "";
  try {
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(input.buildspec.shell, ["-c", script(input.buildspec, statusFile, exportFile)], { cwd: input.sourceDir, env, stdio: ["ignore", "pipe", "pipe"] });
      const timer = setTimeout(() => child.kill("SIGKILL"), input.timeoutMs ?? 10 * 60_000);
      child.stdout.on("data", (d) => (log += d));
      child.stderr.on("data", (d) => (log += d));
      child.on("error", reject);
      child.on("close", (c) => {
        clearTimeout(timer);
        resolve(c ?? 1);
      });
    });
    const lines = (await readFile(statusFile, "utf8")).split("\n").filter(Boolean).map((l) => l.split(" ") as [PhaseName, string]);
    const phases: PhaseResult[] = lines.filter(([, rc]) => rc !== "started").map(([phase, rc]) => ({ phase, status: rc === "0" ? "SUCCEEDED" : "FAILED", exitCode: Number(rc) }));
    // A command that exits the shell (`exit 1`) ends the build inside the phase it started in.
    const last = lines.at(-1);
    if (last?.[1] === "started") phases.push({ phase: last[0], status: "FAILED", exitCode: code === 0 ? 1 : code });
    const exportedVariables = Object.fromEntries((await readFile(exportFile, "utf8")).split("\0").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
    const failed = code !== 0 || phases.some((p) => p.status === "FAILED" && input.buildspec.phases[p.phase]?.onFailure !== "CONTINUE");
    const status = failed ? "FAILED" : "SUCCEEDED";
    const secondaryArtifacts: Record<string, Map<string, string>> = {};
    if (status === "SUCCEEDED") for (const [id, spec] of Object.entries(input.buildspec.secondaryArtifacts)) secondaryArtifacts[id] = await collectArtifact(input.sourceDir, spec);
    return {
      status,
      phases,
      exportedVariables,
      ...(status === "SUCCEEDED" && input.buildspec.artifacts && { artifacts: await collectArtifact(input.sourceDir, input.buildspec.artifacts) }),
      secondaryArtifacts,
      log,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
