import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pipeline from "../../../cli/commands/pipeline.js";
import { memoryIO } from "../../../cli/io.js";
import { aslErrors } from "./synth-support.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/pipelines/", import.meta.url));

async function run(...argv: string[]) {
  const io = memoryIO();
  const code = await pipeline(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe("stepdeploy pipeline", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "stepdeploy-pipeline-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("validate: a valid definition exits 0 and shows stages with their runOrder groups", async () => {
    const r = await run("validate", `${FIXTURES}valid/create-pipeline-codecommit-build-approve-deploy.json`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("valid V1 pipeline 'seed-app' (create-pipeline), execution mode SUPERSEDED");
    expect(r.stdout).toContain("  1  Build (Build CodeBuild) | UnitTests (Test CodeBuild)");
  });

  it("validate --json: {valid, errors:[{path,message}], warnings}", async () => {
    const r = await run("validate", `${FIXTURES}valid/github-v1-masked-template.json`, "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ valid: true, errors: [], shape: "create-pipeline" });
    expect(out.warnings).toHaveLength(4);
    expect(Object.keys(out.warnings[0])).toEqual(["path", "message"]);
  });

  it("validate: an invalid definition exits 1 and names the path", async () => {
    const r = await run("validate", `${FIXTURES}invalid/unknown-provider.json`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("pipeline.stages[1].actions[0].actionTypeId.provider: 'DeviceFarm' is a CodePipeline Test provider that stepdeploy does not run");
    const json = JSON.parse((await run("validate", `${FIXTURES}invalid/unknown-provider.json`, "--json")).stdout);
    expect(json.valid).toBe(false);
    expect(json.errors[0].path).toBe("pipeline.stages[1].actions[0].actionTypeId.provider");
  });

  it("validate --resource picks one pipeline of a template", async () => {
    const r = await run("validate", `${FIXTURES}invalid/two-pipelines.yml`, "--resource", "Second", "--json");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).errors[0].path).toBe("Resources.Second.Properties.RoleArn");
  });

  it("usage errors exit 2", async () => {
    expect((await run("validate")).code).toBe(2);
    expect((await run("validate", join(FIXTURES, "missing.json"))).code).toBe(2);
    expect((await run("validate", "a", "--nope")).code).toBe(2);
    expect((await run("launch")).code).toBe(2);
  });

  it("synth --out writes <name>.asl.json that asl-validator accepts", async () => {
    const r = await run("synth", `${FIXTURES}valid/v2-github-connection.yml`, "--out", dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Build: Build.Compile, Build.Lint, Build.Smoke");
    const definition = JSON.parse(await readFile(join(dir, "web-v2.asl.json"), "utf8"));
    expect(aslErrors(definition)).toEqual([]);
  });

  it("synth --json without --out carries the definition; an invalid definition compiles nothing and exits 1", async () => {
    const ok = JSON.parse((await run("synth", `${FIXTURES}valid/get-pipeline-s3-codedeploy.json`, "--json")).stdout);
    expect(ok).toMatchObject({ pipeline: "MyFirstPipeline", actionStates: { Source: { Source: "Source.Source" }, Deploy: { Deploy: "Deploy.Deploy" } } });
    expect(ok.definition.StartAt).toBe("Start(pipeline)");
    const bad = await run("synth", `${FIXTURES}invalid/artifact-before-use.yml`);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("nothing compiled");
  });
});
