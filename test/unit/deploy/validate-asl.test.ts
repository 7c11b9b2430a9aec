// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is CloudFormation Fn::Sub syntax
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { defaultAslFiles, defaultPipelineFiles, resolveIntrinsics, validateAslFile, validatePipelineFile } from "../../../scripts/validate-asl.js";
import { ROOT } from "./package-fixture.js";

const dir = mkdtempSync(path.join(tmpdir(), "stepdeploy-asl-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return file;
}

const invokePrepare = {
  Type: "Task",
  Resource: "arn:aws:states:::lambda:invoke",
  Parameters: { FunctionName: { "Fn::GetAtt": ["PrepareLambdaFunction", "Arn"] }, "Payload.$": "$" },
};

async function cli(...files: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(path.join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/validate-asl.ts", ...files], { cwd: ROOT });
    return { code: 0, stdout };
  } catch (e) {
    const err = e as { code?: number; stdout?: string };
    return { code: err.code ?? -1, stdout: err.stdout ?? "" };
  }
}

describe("resolveIntrinsics", () => {
  it("turns GetAtt into a well-formed ARN, Ref into a name, and leaves everything else alone", () => {
    const out = resolveIntrinsics({
      a: { "Fn::GetAtt": ["PrepareLambdaFunction", "Arn"] },
      b: { Ref: "StepDeployEventBus" },
      c: { "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:x" },
      d: ["$.x", 1, null, { "Fn::Join": ["-", ["a", { Ref: "AWS::Region" }]] }],
    });
    expect(out).toEqual({
      a: "arn:aws:lambda:us-east-1:123456789012:function:stepdeploy-dev-prepare",
      b: "stepdeploy-dev-StepDeployEventBus",
      c: "arn:aws:lambda:us-east-1:123456789012:function:x",
      d: ["$.x", 1, null, "a-us-east-1"],
    });
  });

  it("refuses intrinsics it cannot resolve instead of passing them through", () => {
    expect(() => resolveIntrinsics({ x: { "Fn::If": ["C", 1, 2] } })).toThrow(/unsupported CloudFormation intrinsic Fn::If/);
  });
});

describe("validateAslFile", () => {
  it("accepts every definition in statemachines/", () => {
    const files = defaultAslFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(validateAslFile(f)).toMatchObject({ ok: true, errors: [] });
  });

  it("accepts a small valid definition that uses intrinsics", () => {
    const r = validateAslFile(write("ok.asl.json", { StartAt: "Prepare", States: { Prepare: { ...invokePrepare, End: true } } }));
    expect(r).toMatchObject({ ok: true, states: 1 });
  });

  it("rejects a transition to a state that does not exist", () => {
    const r = validateAslFile(write("dangling.asl.json", { StartAt: "Prepare", States: { Prepare: { ...invokePrepare, Next: "Nowhere" } } }));
    expect(r.ok).toBe(false);
    expect(r.errors.join("\n")).toMatch(/MISSING_TRANSITION_TARGET.*Nowhere/);
  });

  it("rejects an unknown state type and a bad JSONPath", () => {
    const r = validateAslFile(write("schema.asl.json", { StartAt: "A", States: { A: { Type: "Sleep", End: true }, B: { Type: "Pass", InputPath: "not-a-path", End: true } } }));
    expect(r.ok).toBe(false);
    expect(r.errors.some((e) => e.startsWith("SCHEMA_VALIDATION_FAILED"))).toBe(true);
  });

  it("reports invalid JSON and unsupported intrinsics as errors, without throwing", () => {
    expect(validateAslFile(write("broken.asl.json", '{"StartAt": "A", '))).toMatchObject({ ok: false, errors: [expect.stringMatching(/not valid JSON/)] });
    const r = validateAslFile(write("if.asl.json", { StartAt: "A", States: { A: { Type: "Pass", Result: { "Fn::If": ["C", 1, 2] }, End: true } } }));
    expect(r).toMatchObject({ ok: false, errors: [expect.stringMatching(/Fn::If/)] });
  });
});

describe("validatePipelineFile", () => {
  it("covers pipelines/ and events/pipelines/definitions/, and their synthesized ASL is valid", () => {
    const files = defaultPipelineFiles().map((f) => path.relative(ROOT, f));
    expect(files).toEqual(expect.arrayContaining(["pipelines/demo.yml", "pipelines/seed-app.json", "events/pipelines/definitions/parallel-build.json"]));
    for (const f of defaultPipelineFiles()) expect(validatePipelineFile(f)).toMatchObject({ ok: true, errors: [], states: expect.any(Number) });
  });

  it("reports an invalid definition with the path pipeline validate names, and an unreadable one, without throwing", () => {
    const bad = write("bad-pipeline.json", { pipeline: { name: "p", roleArn: "arn:aws:iam::111122223333:role/r", artifactStore: { type: "S3", location: "b" }, stages: [{ name: "Only", actions: [] }] } });
    const r = validatePipelineFile(bad);
    expect(r.ok).toBe(false);
    expect(r.file).toMatch(/bad-pipeline\.json \(synthesized\)$/);
    expect(r.errors.join("\n")).toMatch(/INVALID_PIPELINE: pipeline\.stages/);
    expect(validatePipelineFile(path.join(dir, "missing.yml"))).toMatchObject({ ok: false, errors: [expect.stringContaining("ENOENT")] });
  });
});

describe("tsx scripts/validate-asl.ts", () => {
  it("exits 0 and prints ✓ for the repository's definitions and the pipelines' synthesized ASL", async () => {
    const r = await cli();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ statemachines\/deploy-lambda\.asl\.json/);
    expect(r.stdout).toMatch(/✓ pipelines\/demo\.yml \(synthesized\) \(\d+ states\)/);
    expect(r.stdout).toMatch(/✓ events\/pipelines\/definitions\/rollback\.json \(synthesized\)/);
  });

  it("exits non-zero and names the file and the error for a broken definition", async () => {
    const bad = write("cli-bad.asl.json", { StartAt: "Missing", States: { A: { Type: "Pass", End: true } } });
    const good = write("cli-good.asl.json", { StartAt: "A", States: { A: { Type: "Pass", End: true } } });
    const r = await cli(good, bad);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`✗ ${bad}`);
    expect(r.stdout).toMatch(/MISSING_TRANSITION_TARGET/);
    expect(r.stdout).toContain("1 valid, 1 invalid");
  });
});
