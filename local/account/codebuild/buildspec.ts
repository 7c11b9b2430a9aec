import { parse } from "yaml";

/**
 * A CodeBuild buildspec (version 0.2) as the simulated CodeBuild runs it (CodeBuild User Guide,
 * "Build specification reference for CodeBuild"). Read and checked here; run by buildspec-run.ts.
 *
 * Supported: `env.variables`, `env.exported-variables`, `env.shell` (bash, sh), the four phases with
 * `commands`, `finally` and `on-failure` (ABORT, CONTINUE), `artifacts` (`files`, `base-directory`,
 * `discard-paths`, `exclude-paths`, `secondary-artifacts`). Read but not run: `runtime-versions` (the
 * machine's tools are used), `parameter-store` and `secrets-manager` (named as unsupported by the
 * simulated CodeBuild), `reports`, `cache`.
 */
export const PHASES = ["install", "pre_build", "build", "post_build"] as const;
export type PhaseName = (typeof PHASES)[number];

export interface Phase {
  commands: string[];
  finally: string[];
  onFailure: "ABORT" | "CONTINUE";
}

export interface ArtifactSpec {
  files: string[];
  baseDirectory?: string;
  discardPaths: boolean;
  excludePaths: string[];
}

export interface Buildspec {
  shell: "bash" | "sh";
  variables: Record<string, string>;
  exportedVariables: string[];
  phases: Partial<Record<PhaseName, Phase>>;
  artifacts?: ArtifactSpec;
  secondaryArtifacts: Record<string, ArtifactSpec>;
  /** What is read but not reproduced, said with the build. */
  notes: string[];
}

export class BuildspecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CodeBuild.InvalidBuildspec";
  }
}

type Raw = Record<string, unknown>;

const strings = (v: unknown, where: string): string[] => {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new BuildspecError(`${where} must be a list`);
  return v.map((x, i) => {
    if (typeof x === "string") return x;
    if (typeof x === "number" || typeof x === "boolean") return String(x);
    throw new BuildspecError(`${where}[${i}] must be a string`);
  });
};

const yes = (v: unknown) => v === true || v === "yes" || v === "true";

function readArtifact(raw: Raw, where: string): ArtifactSpec {
  const files = strings(raw["files"], `${where}.files`);
  if (files.length === 0) throw new BuildspecError(`${where}.files is required`);
  return {
    files,
    ...(typeof raw["base-directory"] === "string" && { baseDirectory: raw["base-directory"] }),
    discardPaths: yes(raw["discard-paths"]),
    excludePaths: strings(raw["exclude-paths"], `${where}.exclude-paths`),
  };
}

export function readBuildspec(text: string): Buildspec {
  let raw: Raw;
  try {
    raw = parse(text) as Raw;
  } catch (e) {
    throw new BuildspecError(`not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  if (!raw || typeof raw !== "object") throw new BuildspecError("a buildspec must be a map");
  if (String(raw["version"]) !== "0.2") throw new BuildspecError(`version must be 0.2, got ${JSON.stringify(raw["version"])}`);
  const notes: string[] = [];
  const env = (raw["env"] ?? {}) as Raw;
  for (const unsupported of ["parameter-store", "secrets-manager"]) {
    if (env[unsupported] !== undefined) throw new BuildspecError(`env.${unsupported} is not available in the simulated CodeBuild; put test values in env.variables`);
  }
  const shell = env["shell"] === undefined ? "bash" : String(env["shell"]);
  if (shell !== "bash" && shell !== "sh") throw new BuildspecError(`env.shell '${shell}' is not available in the simulated CodeBuild (bash, sh)`);
  const variables = Object.fromEntries(Object.entries((env["variables"] ?? {}) as Raw).map(([k, v]) => [k, String(v)]));
  const phasesRaw = (raw["phases"] ?? {}) as Raw;
  for (const name of Object.keys(phasesRaw)) if (!(PHASES as readonly string[]).includes(name)) throw new BuildspecError(`phases.${name} is not a phase (${PHASES.join(", ")})`);
  const phases: Buildspec["phases"] = {};
  for (const name of PHASES) {
    const p = phasesRaw[name] as Raw | undefined;
    if (!p) continue;
    if (p["runtime-versions"] !== undefined) notes.push(`phases.${name}.runtime-versions is not applied: the machine's own tools are used`);
    const onFailure = p["on-failure"] === undefined ? "ABORT" : String(p["on-failure"]);
    if (onFailure !== "ABORT" && onFailure !== "CONTINUE") throw new BuildspecError(`phases.${name}.on-failure must be ABORT or CONTINUE`);
    phases[name] = { commands: strings(p["commands"], `phases.${name}.commands`), finally: strings(p["finally"], `phases.${name}.finally`), onFailure };
  }
  const artifactsRaw = raw["artifacts"] as Raw | undefined;
  const secondary = (artifactsRaw?.["secondary-artifacts"] ?? {}) as Raw;
  for (const key of ["reports", "cache"]) if (raw[key] !== undefined) notes.push(`${key} is read but not reproduced by the simulated CodeBuild`);
  return {
    shell,
    variables,
    exportedVariables: strings(env["exported-variables"], "env.exported-variables"),
    phases,
    ...(artifactsRaw?.["files"] !== undefined && { artifacts: readArtifact(artifactsRaw, "artifacts") }),
    secondaryArtifacts: Object.fromEntries(Object.entries(secondary).map(([id, a]) => [id, readArtifact(a as Raw, `artifacts.secondary-artifacts.${id}`)])),
    notes,
  };
}
