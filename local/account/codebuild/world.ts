import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { unzipFiles, zipFiles } from "../../../functions/lib/zip-files.js";
import type { SimClock } from "../../clock.js";
import { AwsError, constraintMessage } from "../shared/protocol/errors.js";
import { type Buildspec, type BuildspecError, readBuildspec } from "./buildspec.js";
import { runBuild } from "./buildspec-run.js";

/**
 * CodeBuild of the simulated account: projects, and builds that run their buildspec for real
 * (buildspec-run.ts) in a temporary directory. Stateful as CodeBuild is: StartBuild validates and
 * returns an IN_PROGRESS build at once; the build then goes SUBMITTED -> DOWNLOAD_SOURCE ->
 * INSTALL/PRE_BUILD/BUILD/POST_BUILD -> UPLOAD_ARTIFACTS -> COMPLETED, and BatchGetBuilds reads it.
 *
 * Errors are CodeBuild's: an unknown project is ResourceNotFoundException ("Project cannot be found:
 * <arn>"), a missing or malformed member InvalidInputException, BatchGetBuilds of more than 100 ids
 * InvalidInputException; an unknown build id is listed in `buildsNotFound`, not an error.
 *
 * Sources and artifacts live outside the account's model (S3 is s3rver; repositories are the
 * scenario's folders), so the simulator attaches a workspace that reads and writes them.
 */
export interface BuildWorkspace {
  getObject(bucket: string, key: string): Promise<Uint8Array>;
  putObject(bucket: string, key: string, body: Uint8Array): Promise<void>;
  /** A git source (CODECOMMIT, GITHUB, ...) at `version`: a folder to copy, or undefined when unknown. */
  checkout(sourceType: string, location: string, version: string | undefined): Promise<string | undefined>;
}

export interface Project {
  name: string;
  arn: string;
  /** The project's own buildspec (else the source's buildspec.yml). */
  buildspec?: string;
  /** Build numbers that fail in BUILD whatever the buildspec says (a flaky test, scripted). */
  failBuilds?: number[];
}

type EnvVar = { name: string; value: string; type?: string };
type ArtifactsOverride = { type: string; location?: string; path?: string; name?: string; artifactIdentifier?: string };

export interface StartBuildInput {
  projectName?: string;
  sourceTypeOverride?: string;
  sourceLocationOverride?: string;
  sourceVersion?: string;
  secondarySourcesOverride?: { type: string; location: string; sourceIdentifier: string }[];
  artifactsOverride?: ArtifactsOverride;
  secondaryArtifactsOverride?: ArtifactsOverride[];
  environmentVariablesOverride?: EnvVar[];
  buildspecOverride?: string;
}

export interface BuildPhase {
  phaseType: string;
  phaseStatus?: "SUCCEEDED" | "FAILED";
  startTime: number;
  endTime?: number;
  contexts?: { statusCode: string; message: string }[];
}

export interface Build {
  id: string;
  arn: string;
  buildNumber: number;
  projectName: string;
  buildStatus: "IN_PROGRESS" | "SUCCEEDED" | "FAILED" | "STOPPED";
  currentPhase: string;
  buildComplete: boolean;
  startTime: number;
  endTime?: number;
  sourceVersion?: string;
  resolvedSourceVersion?: string;
  phases: BuildPhase[];
  environment: { environmentVariables: EnvVar[] };
  artifacts?: { location: string };
  secondaryArtifacts: { location: string; artifactIdentifier: string }[];
  exportedEnvironmentVariables: { name: string; value: string }[];
  /** The build's output (what CloudWatch Logs would hold), kept here. */
  log: string;
  /** Why the build failed, in one line. */
  failure?: string;
  /** Wall milliseconds the commands took (the simulated clock does not move during a build). */
  wallMs?: number;
}

const SOURCE_TYPES = ["CODECOMMIT", "CODEPIPELINE", "GITHUB", "GITLAB", "GITLAB_SELF_MANAGED", "S3", "BITBUCKET", "GITHUB_ENTERPRISE", "NO_SOURCE"] as const;
const invalid = (message: string) => new AwsError("InvalidInputException", message, { status: 400 });

export class CodeBuildWorld {
  private readonly projects = new Map<string, Project>();
  private readonly builds = new Map<string, Build>();
  private readonly done = new Map<string, Promise<Build>>();
  private readonly numbers = new Map<string, number>();
  private workspace?: BuildWorkspace;

  constructor(
    private readonly clock: SimClock,
    private readonly region: string,
    private readonly accountId: string,
    private readonly uuid: () => string,
    private readonly log: (text: string) => void,
  ) {}

  createProject(name: string, opts: { buildspec?: string; failBuilds?: number[] } = {}): Project {
    const p: Project = { name, arn: `arn:aws:codebuild:${this.region}:${this.accountId}:project/${name}`, ...opts };
    this.projects.set(name, p);
    return p;
  }

  /** Where builds read sources and write artifacts (s3rver, the scenario's repositories). */
  attachWorkspace(workspace: BuildWorkspace): void {
    this.workspace = workspace;
  }

  /** Every build, in start order. */
  get all(): readonly Build[] {
    return [...this.builds.values()];
  }

  startBuild(input: StartBuildInput): Build {
    if (!input.projectName) throw invalid(constraintMessage(null, "projectName", "Member must not be null"));
    const project = this.projects.get(input.projectName);
    if (!project) throw new AwsError("ResourceNotFoundException", `Project cannot be found: arn:aws:codebuild:${this.region}:${this.accountId}:project/${input.projectName}`, { status: 400 });
    if (input.sourceTypeOverride !== undefined && !(SOURCE_TYPES as readonly string[]).includes(input.sourceTypeOverride)) {
      throw invalid(constraintMessage(input.sourceTypeOverride, "sourceTypeOverride", `Member must satisfy enum value set: [${SOURCE_TYPES.join(", ")}]`));
    }
    if (input.sourceTypeOverride && input.sourceTypeOverride !== "NO_SOURCE" && !input.sourceLocationOverride) throw invalid("Source location must be specified for source type " + input.sourceTypeOverride);
    for (const [i, v] of (input.environmentVariablesOverride ?? []).entries()) {
      if (!v.name) throw invalid(constraintMessage(null, `environmentVariablesOverride.${i + 1}.member.name`, "Member must not be null"));
      if (v.name.startsWith("CODEBUILD_")) throw invalid(`Invalid environment variable name: ${v.name}. Names starting with CODEBUILD_ are reserved`);
    }
    const number = (this.numbers.get(project.name) ?? 0) + 1;
    this.numbers.set(project.name, number);
    const id = `${project.name}:${this.uuid()}`;
    const now = this.clock.now();
    const build: Build = {
      id,
      arn: `arn:aws:codebuild:${this.region}:${this.accountId}:build/${id}`,
      buildNumber: number,
      projectName: project.name,
      buildStatus: "IN_PROGRESS",
      currentPhase: "SUBMITTED",
      buildComplete: false,
      startTime: now,
      ...(input.sourceVersion !== undefined && { sourceVersion: input.sourceVersion }),
      phases: [{ phaseType: "SUBMITTED", phaseStatus: "SUCCEEDED", startTime: now, endTime: now }],
      environment: { environmentVariables: input.environmentVariablesOverride ?? [] },
      secondaryArtifacts: [],
      exportedEnvironmentVariables: [],
      log: "",
    };
    this.builds.set(id, build);
    this.log(`codebuild: build ${id} started`);
    this.done.set(id, this.run(build, project, input));
    return structuredClone(build);
  }

  batchGetBuilds(ids: unknown): { builds: Build[]; buildsNotFound: string[] } {
    if (!Array.isArray(ids) || ids.length === 0) throw invalid(constraintMessage(ids ?? null, "ids", "Member must have length greater than or equal to 1"));
    if (ids.length > 100) throw invalid(constraintMessage("[...]", "ids", "Member must have length less than or equal to 100"));
    const builds: Build[] = [];
    const buildsNotFound: string[] = [];
    for (const id of ids.map(String)) {
      const b = this.builds.get(id);
      if (b) builds.push(structuredClone(b));
      else buildsNotFound.push(id);
    }
    return { builds, buildsNotFound };
  }

  /** Resolves when the build is complete (SUCCEEDED, FAILED, STOPPED). */
  async whenDone(id: string): Promise<Build> {
    const d = this.done.get(id);
    if (!d) throw new AwsError("ResourceNotFoundException", `Build not found: ${id}`, { status: 400 });
    return structuredClone(await d);
  }

  private phase(build: Build, phaseType: string, status: "SUCCEEDED" | "FAILED", message?: string): void {
    const now = this.clock.now();
    build.currentPhase = phaseType;
    build.phases.push({ phaseType, phaseStatus: status, startTime: now, endTime: now, ...(message && { contexts: [{ statusCode: status === "FAILED" ? "CLIENT_ERROR" : "", message }] }) });
  }

  private finish(build: Build, status: Build["buildStatus"], failure?: string): Build {
    build.buildStatus = status;
    build.buildComplete = true;
    build.currentPhase = "COMPLETED";
    build.endTime = this.clock.now();
    build.phases.push({ phaseType: "COMPLETED", startTime: build.endTime });
    if (failure) build.failure = failure;
    this.log(`codebuild: build ${build.id} ${status}${failure ? `: ${failure}` : ""}`);
    return build;
  }

  private async run(build: Build, project: Project, input: StartBuildInput): Promise<Build> {
    await Promise.resolve();
    const work = await mkdtemp(path.join(tmpdir(), "stepdeploy-codebuild-src-"));
    try {
      const ws = this.workspace;
      if (!ws) return this.fail(build, "DOWNLOAD_SOURCE", "the simulated account has no workspace for builds (S3 and repositories)");
      // DOWNLOAD_SOURCE: the primary source, then the secondary ones (CODEBUILD_SRC_DIR_<id>).
      const src = path.join(work, "src");
      const fetched = await this.fetch(ws, input.sourceTypeOverride ?? "NO_SOURCE", input.sourceLocationOverride, input.sourceVersion, src);
      if (fetched) return this.fail(build, "DOWNLOAD_SOURCE", fetched);
      const secondary: Record<string, string> = {};
      for (const s of input.secondarySourcesOverride ?? []) {
        const dir = path.join(work, `src_${s.sourceIdentifier}`);
        const problem = await this.fetch(ws, s.type, s.location, undefined, dir);
        if (problem) return this.fail(build, "DOWNLOAD_SOURCE", `secondary source ${s.sourceIdentifier}: ${problem}`);
        secondary[s.sourceIdentifier] = dir;
      }
      if (input.sourceVersion) build.resolvedSourceVersion = input.sourceVersion;
      this.phase(build, "DOWNLOAD_SOURCE", "SUCCEEDED");
      let spec: Buildspec;
      try {
        const text = input.buildspecOverride ?? project.buildspec ?? (await readFile(path.join(src, "buildspec.yml"), "utf8").catch(() => undefined));
        if (text === undefined) return this.fail(build, "DOWNLOAD_SOURCE", "YAML_FILE_ERROR: buildspec.yml not found in the source and the project has none");
        spec = readBuildspec(text);
      } catch (e) {
        return this.fail(build, "DOWNLOAD_SOURCE", `YAML_FILE_ERROR: ${(e as BuildspecError).message}`);
      }
      const plain = (build.environment.environmentVariables ?? []).filter((v) => (v.type ?? "PLAINTEXT") === "PLAINTEXT");
      const secret = build.environment.environmentVariables.find((v) => (v.type ?? "PLAINTEXT") !== "PLAINTEXT");
      if (secret) return this.fail(build, "DOWNLOAD_SOURCE", `environment variable ${secret.name} is ${secret.type}: the simulated CodeBuild reads neither Parameter Store nor Secrets Manager`);
      if (project.failBuilds?.includes(build.buildNumber)) {
        this.phase(build, "BUILD", "FAILED", "COMMAND_EXECUTION_ERROR: build failed as the scenario scripts it (failBuilds)");
        return this.finish(build, "FAILED", `build ${build.buildNumber} of ${project.name} fails as scripted (failBuilds)`);
      }
      const started = performance.now();
      const result = await runBuild({ buildspec: spec, sourceDir: src, secondarySources: secondary, environment: Object.fromEntries(plain.map((v) => [v.name, v.value])), buildId: build.id, timeoutMs: 5 * 60_000 });
      build.wallMs = Math.round(performance.now() - started);
      build.log = [...spec.notes.map((n) => `[simulated CodeBuild] ${n}`), result.log].join("\n");
      for (const p of result.phases) this.phase(build, p.phase.toUpperCase(), p.status, p.status === "FAILED" ? `COMMAND_EXECUTION_ERROR: exit status ${p.exitCode}` : undefined);
      build.exportedEnvironmentVariables = Object.entries(result.exportedVariables).map(([name, value]) => ({ name, value }));
      if (result.status === "FAILED") {
        const failed = result.phases.find((p) => p.status === "FAILED");
        return this.finish(build, "FAILED", `${failed?.phase.toUpperCase() ?? "BUILD"} failed (exit status ${failed?.exitCode ?? "?"})`);
      }
      // UPLOAD_ARTIFACTS: the primary artifact, then secondary ones by identifier, as zips.
      const out = input.artifactsOverride;
      if (out && out.type === "S3") {
        if (!result.artifacts) return this.fail(build, "UPLOAD_ARTIFACTS", "CLIENT_ERROR: no artifact files section in the buildspec, but the build has an S3 artifact");
        build.artifacts = { location: await this.upload(ws, out, result.artifacts) };
      }
      for (const s of input.secondaryArtifactsOverride ?? []) {
        const files = result.secondaryArtifacts[s.artifactIdentifier ?? ""];
        if (!files) return this.fail(build, "UPLOAD_ARTIFACTS", `CLIENT_ERROR: the buildspec has no secondary artifact ${s.artifactIdentifier}`);
        build.secondaryArtifacts.push({ location: await this.upload(ws, s, files), artifactIdentifier: s.artifactIdentifier ?? "" });
      }
      this.phase(build, "UPLOAD_ARTIFACTS", "SUCCEEDED");
      return this.finish(build, "SUCCEEDED");
    } catch (e) {
      return this.fail(build, build.currentPhase, `CLIENT_ERROR: ${(e as Error).message}`);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  private fail(build: Build, phaseType: string, message: string): Build {
    this.phase(build, phaseType, "FAILED", message);
    return this.finish(build, "FAILED", message);
  }

  /** Puts a source into `dir`; returns a problem or undefined. */
  private async fetch(ws: BuildWorkspace, type: string, location: string | undefined, version: string | undefined, dir: string): Promise<string | undefined> {
    await mkdir(dir, { recursive: true });
    if (type === "NO_SOURCE") return undefined;
    if (type === "S3" || type === "CODEPIPELINE") {
      const slash = location?.indexOf("/") ?? -1;
      if (!location || slash < 1) return `CLIENT_ERROR: source location ${location} is not <bucket>/<key>`;
      let body: Uint8Array;
      try {
        body = await ws.getObject(location.slice(0, slash), location.slice(slash + 1));
      } catch (e) {
        return `CLIENT_ERROR: error while downloading key ${location.slice(slash + 1)}: ${(e as Error).name}`;
      }
      for (const f of await unzipFiles(body)) {
        const file = path.join(dir, f.name);
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, f.content, { mode: 0o755 });
      }
      return undefined;
    }
    const checkout = await ws.checkout(type, location ?? "", version);
    if (!checkout) return `CLIENT_ERROR: repository ${location} (${type}) at ${version ?? "its default branch"} cannot be found`;
    await cp(checkout, dir, { recursive: true });
    return undefined;
  }

  private async upload(ws: BuildWorkspace, a: ArtifactsOverride, files: Map<string, string>): Promise<string> {
    const entries = await Promise.all([...files].map(async ([name, file]) => ({ name, content: await readFile(file) })));
    const key = [a.path, a.name].filter(Boolean).join("/");
    await ws.putObject(a.location ?? "", key, await zipFiles(entries));
    return `arn:aws:s3:::${a.location}/${key}`;
  }
}
