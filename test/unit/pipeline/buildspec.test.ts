import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readBuildspec } from "../../../local/account/codebuild/buildspec.js";
import { collectArtifact, runBuild } from "../../../local/account/codebuild/buildspec-run.js";

let src: string;
beforeEach(async () => {
  src = await mkdtemp(path.join(tmpdir(), "stepdeploy-src-"));
  await mkdir(path.join(src, "lib"), { recursive: true });
  await writeFile(path.join(src, "index.mjs"), "export const x = 1;\n");
  await writeFile(path.join(src, "lib", "util.mjs"), "export const y = 2;\n");
  await writeFile(path.join(src, "README.md"), "# app\n");
});
afterEach(() => rm(src, { recursive: true, force: true }));

const build = (yaml: string, environment: Record<string, string> = {}) => runBuild({ buildspec: readBuildspec(yaml), sourceDir: src, buildId: "app-build:1", environment });

describe("the simulated CodeBuild runs buildspecs for real", () => {
  it("runs the phases in order in one shell: variables carry over, exported variables are read at the end, artifacts are selected", async () => {
    const r = await build(`version: 0.2
env:
  variables:
    APP: orders
  exported-variables: [APP_VERSION, GREETING]
phases:
  install:
    commands:
      - export APP_VERSION="1.0.$((40 + 2))"
  build:
    commands:
      - test "$APP" = orders
      - mkdir -p dist && cp index.mjs dist/ && echo "$APP_VERSION" > dist/VERSION
      - test "$CODEBUILD_SRC_DIR" = "$PWD"
artifacts:
  base-directory: dist
  files: ["**/*"]
`, { GREETING: "hello" });
    expect(r.status).toBe("SUCCEEDED");
    expect(r.phases.map((p) => `${p.phase}:${p.status}`)).toEqual(["install:SUCCEEDED", "build:SUCCEEDED"]);
    expect(r.exportedVariables).toEqual({ APP_VERSION: "1.0.42", GREETING: "hello" });
    expect([...(r.artifacts?.keys() ?? [])]).toEqual(["VERSION", "index.mjs"]);
  });

  it("a failing build phase still runs post_build and finally, and fails the build", async () => {
    const r = await build(`version: 0.2
phases:
  build:
    commands:
      - "false"
      - echo never
    finally:
      - echo cleanup
  post_build:
    commands:
      - echo reporting
`);
    expect(r.status).toBe("FAILED");
    expect(r.phases).toEqual([{ phase: "build", status: "FAILED", exitCode: 1 }, { phase: "post_build", status: "SUCCEEDED", exitCode: 0 }]);
    expect(r.log).toContain("cleanup");
    expect(r.log).toContain("reporting");
    expect(r.log).not.toContain("never");
    expect(r.artifacts).toBeUndefined();
  });

  it("a failing pre_build ends the build; on-failure CONTINUE goes on", async () => {
    const aborted = await build("version: 0.2\nphases:\n  pre_build:\n    commands: [\"exit 3\"]\n  build:\n    commands: [echo built]\n");
    expect(aborted.phases).toEqual([{ phase: "pre_build", status: "FAILED", exitCode: 3 }]);
    const continued = await build("version: 0.2\nphases:\n  pre_build:\n    on-failure: CONTINUE\n    commands: [\"false\"]\n  build:\n    commands: [echo built]\n");
    expect(continued.status).toBe("SUCCEEDED");
    expect(continued.log).toContain("built");
  });

  it("selects artifacts by glob, with discard-paths and exclude-paths", async () => {
    expect([...(await collectArtifact(src, { files: ["**/*.mjs"], discardPaths: false, excludePaths: [] })).keys()]).toEqual(["index.mjs", "lib/util.mjs"]);
    expect([...(await collectArtifact(src, { files: ["**/*"], discardPaths: true, excludePaths: ["README.md"] })).keys()]).toEqual(["index.mjs", "util.mjs"]);
    expect([...(await collectArtifact(src, { files: ["lib/*"], discardPaths: false, excludePaths: [] })).keys()]).toEqual(["lib/util.mjs"]);
  });

  it.each([
    ["version: 0.1\nphases: {}\n", /version must be 0.2/],
    ["version: 0.2\nphases:\n  deploy:\n    commands: [x]\n", /phases.deploy is not a phase/],
    ["version: 0.2\nenv:\n  parameter-store:\n    TOKEN: /ci/token\n", /env.parameter-store is not available/],
    ["version: 0.2\nartifacts:\n  base-directory: dist\n  files: []\n", /artifacts.files is required/],
  ])("refuses %j", (yaml, message) => {
    expect(() => readBuildspec(yaml)).toThrow(message);
  });
});

describe("the example pipelines' buildspecs", () => {
  it.each([
    ["events/pipelines/sources/demo-app", { GREETING: "hello" }, ["APP_VERSION"], ["VERSION", "appspec.yml", "index.mjs"]],
    ["events/pipelines/sources/seed-app", { COMMIT_ID: "8cf40f2" }, ["BUILT_COMMIT"], ["appspec.yml", "index.mjs"]],
  ])("%s builds for real", async (dir, environment, exported, files) => {
    await cp(path.resolve(dir), src, { recursive: true });
    const r = await runBuild({ buildspec: readBuildspec(await readFile(path.join(src, "buildspec.yml"), "utf8")), sourceDir: src, buildId: "b:1", environment });
    expect(r.status, r.log).toBe("SUCCEEDED");
    expect(Object.keys(r.exportedVariables)).toEqual(exported);
    expect([...(r.artifacts?.keys() ?? [])]).toEqual(files);
  });
});
