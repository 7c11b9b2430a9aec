import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { unzipFiles, zipFiles } from "../../../functions/lib/zip-files.js";
import type { CodeBuildWorld } from "../../../local/account/codebuild/world.js";
import { SimAccount } from "../../../local/account/index.js";
import { SimClock } from "../../../local/clock.js";

/**
 * The simulated account's CodeBuild (local/account/codebuild/): CodeBuild's validation errors at
 * StartBuild, BatchGetBuilds' not-found list, the build's phases, and buildspecs run for real with
 * sources and artifacts in an attached store.
 */
let account: SimAccount;
let codebuild: CodeBuildWorld;
let objects: Map<string, Uint8Array>;

const BUILDSPEC = "version: 0.2\nenv:\n  exported-variables: [OUT]\nphases:\n  build:\n    commands:\n      - export OUT=\"$(cat in.txt)-$GREETING\"\n      - mkdir -p dist && cp in.txt dist/\nartifacts:\n  base-directory: dist\n  files: ['**/*']\n";

beforeEach(async () => {
  account = SimAccount.fromSetup({ codebuild: { projects: [{ name: "app-build", buildspec: BUILDSPEC }, { name: "flaky", buildspec: BUILDSPEC, failBuilds: [1] }] } }, { clock: new SimClock() });
  codebuild = account.services.get("codebuild")?.world as CodeBuildWorld;
  objects = new Map([["src/app.zip", await zipFiles([{ name: "in.txt", content: Buffer.from("hello") }])]]);
  const repo = mkdtempSync(path.join(tmpdir(), "repo-"));
  mkdirSync(path.join(repo, "lib"));
  writeFileSync(path.join(repo, "lib", "a.txt"), "a");
  codebuild.attachWorkspace({
    getObject: async (b, k) => {
      const o = objects.get(`${b}/${k}`);
      if (!o) throw Object.assign(new Error("The specified key does not exist."), { name: "NoSuchKey" });
      return o;
    },
    putObject: async (b, k, body) => void objects.set(`${b}/${k}`, body),
    checkout: async (_type, location, version) => (location.endsWith("/repo") && version === "abc" ? repo : undefined),
  });
});

const s3Build = { projectName: "app-build", sourceTypeOverride: "S3", sourceLocationOverride: "src/app.zip", artifactsOverride: { type: "S3", location: "art", path: "p/Out", name: "K1" }, environmentVariablesOverride: [{ name: "GREETING", value: "hi", type: "PLAINTEXT" }] };

describe("StartBuild validation", () => {
  it.each([
    [{ ...s3Build, projectName: "nope" }, "ResourceNotFoundException", "Project cannot be found: arn:aws:codebuild:us-east-1:123456789012:project/nope"],
    [{ ...s3Build, projectName: undefined }, "InvalidInputException", "at 'projectName' failed to satisfy constraint: Member must not be null"],
    [{ ...s3Build, sourceTypeOverride: "FTP" }, "InvalidInputException", "at 'sourceTypeOverride' failed to satisfy constraint"],
    [{ ...s3Build, sourceLocationOverride: undefined }, "InvalidInputException", "Source location must be specified"],
    [{ ...s3Build, environmentVariablesOverride: [{ name: "CODEBUILD_X", value: "1" }] }, "InvalidInputException", "Names starting with CODEBUILD_ are reserved"],
  ])("%# refuses with %s", (input, name, message) => {
    expect(() => codebuild.startBuild(input)).toThrow(expect.objectContaining({ name, message: expect.stringContaining(message) }));
    expect(codebuild.all).toEqual([]);
  });

  it("BatchGetBuilds lists unknown ids as not found, and refuses more than 100", async () => {
    const b = codebuild.startBuild(s3Build);
    expect(b).toMatchObject({ buildStatus: "IN_PROGRESS", currentPhase: "SUBMITTED", buildNumber: 1, projectName: "app-build" });
    expect(codebuild.batchGetBuilds([b.id, "app-build:missing"])).toMatchObject({ builds: [{ id: b.id }], buildsNotFound: ["app-build:missing"] });
    expect(() => codebuild.batchGetBuilds(Array.from({ length: 101 }, (_, i) => `x:${i}`))).toThrow(expect.objectContaining({ name: "InvalidInputException" }));
    await codebuild.whenDone(b.id);
  });
});

describe("builds", () => {
  it("runs the buildspec on the downloaded source: phases, exported variables, the artifact zipped where CodePipeline asked", async () => {
    const done = await codebuild.whenDone(codebuild.startBuild(s3Build).id);
    expect(done).toMatchObject({ buildStatus: "SUCCEEDED", buildComplete: true, currentPhase: "COMPLETED", exportedEnvironmentVariables: [{ name: "OUT", value: "hello-hi" }], artifacts: { location: "arn:aws:s3:::art/p/Out/K1" } });
    expect(done.phases.map((p) => p.phaseType)).toEqual(["SUBMITTED", "DOWNLOAD_SOURCE", "BUILD", "UPLOAD_ARTIFACTS", "COMPLETED"]);
    expect((await unzipFiles(objects.get("art/p/Out/K1") as Uint8Array)).map((f) => [f.name, Buffer.from(f.content).toString()])).toEqual([["in.txt", "hello"]]);
    expect(codebuild.batchGetBuilds([done.id]).builds[0]?.buildStatus).toBe("SUCCEEDED");
  });

  it("a missing source object fails DOWNLOAD_SOURCE, naming the key; a scripted build number fails BUILD", async () => {
    const missing = await codebuild.whenDone(codebuild.startBuild({ ...s3Build, sourceLocationOverride: "src/none.zip" }).id);
    expect(missing).toMatchObject({ buildStatus: "FAILED", failure: expect.stringContaining("error while downloading key none.zip: NoSuchKey") });
    const first = await codebuild.whenDone(codebuild.startBuild({ ...s3Build, projectName: "flaky" }).id);
    const second = await codebuild.whenDone(codebuild.startBuild({ ...s3Build, projectName: "flaky" }).id);
    expect([first.buildStatus, second.buildStatus]).toEqual(["FAILED", "SUCCEEDED"]);
    expect(first.phases.find((p) => p.phaseStatus === "FAILED")?.phaseType).toBe("BUILD");
  });

  it("a git source is checked out at the commit; an unknown commit fails DOWNLOAD_SOURCE", async () => {
    const git = { projectName: "app-build", sourceTypeOverride: "CODECOMMIT", sourceLocationOverride: "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/repo", artifactsOverride: { type: "NO_ARTIFACTS" }, buildspecOverride: "version: 0.2\nphases:\n  build:\n    commands:\n      - test -f lib/a.txt\n" };
    expect(await codebuild.whenDone(codebuild.startBuild({ ...git, sourceVersion: "abc" }).id)).toMatchObject({ buildStatus: "SUCCEEDED", resolvedSourceVersion: "abc" });
    expect(await codebuild.whenDone(codebuild.startBuild({ ...git, sourceVersion: "def" }).id)).toMatchObject({ buildStatus: "FAILED", failure: expect.stringContaining("cannot be found") });
  });

  it("the setup is checked like the other services' (name rule, build numbers)", () => {
    expect(() => SimAccount.fromSetup({ codebuild: { projects: [{ name: "-bad" }, { name: "ok", failBuilds: [0] }] } }, { clock: new SimClock() })).toThrow(/account\.codebuild\.projects\[0\]\.name[\s\S]*account\.codebuild\.projects\[1\]\.failBuilds\[0\]/);
  });
});
