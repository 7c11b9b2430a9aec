import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../../cli/command-table.js";
import validate from "../../../cli/commands/validate.js";
import { memoryIO } from "../../../cli/io.js";
import { APPSPEC, tarOf, zipOf } from "../bundles/build.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/appspec/", import.meta.url));

async function run(...argv: string[]) {
  const io = memoryIO();
  const code = await validate(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe("stepdeploy validate", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "stepdeploy-validate-"));
    await writeFile(join(dir, "bundle.zip"), await zipOf([{ name: "appspec.yml", content: APPSPEC }, { name: "scripts/after.sh", content: "#!/bin/sh\n" }]));
    await writeFile(join(dir, "bundle.tar.gz"), await tarOf([{ name: "appspec.yml", content: "version: 1.0\nos: linux\n" }], true));
    await writeFile(join(dir, "nested.zip"), await zipOf([{ name: "app/appspec.yml", content: APPSPEC }]));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("has a one-line summary", () => {
    expect(COMMANDS.validate.summary).not.toContain("\n");
  });

  it("prints platform, resources and hooks in execution order for a valid file", async () => {
    const r = await run(join(FIXTURES, "ecs/valid/capacity-provider-4space.yml"));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("valid ECS AppSpec (YAML, platform detected)");
    expect(r.stdout).toContain("container checkout:3000");
    const hooks = r.stdout.split("\n").filter((l) => /^\s+\d\. /.test(l)).map((l) => l.trim().split(/\s+/)[1]);
    expect(hooks).toEqual(["BeforeInstall", "AfterAllowTestTraffic", "AfterAllowTraffic"]);
  });

  it("lists placeholders and warnings", async () => {
    const r = await run(join(FIXTURES, "lambda/valid/placeholders.yml"));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^warning: line 9: Resources\[0\]\.api\.Properties\.TargetVersion: placeholder <TARGET_VERSION>: a template value/m);
    expect(r.stdout).toContain("template: 2 placeholders to render before deploying (--strict refuses them)");
    const strict = await run("--strict", join(FIXTURES, "lambda/valid/placeholders.yml"));
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain("line 9: Resources[0].api.Properties.TargetVersion: placeholder <TARGET_VERSION> has not been replaced");
  });

  it("prints every error with line and path on stderr, exit 1", async () => {
    const r = await run(join(FIXTURES, "server/invalid/reserved-events.yml"));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("2 errors");
    expect(r.stderr).toContain("line 4: hooks.DownloadBundle: DownloadBundle is reserved");
    expect(r.stderr).toContain("line 6: hooks.Install: Install is reserved");
  });

  it("--json prints exactly one document", async () => {
    const r = await run("--json", join(FIXTURES, "lambda/valid/basic.yml"));
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(["file", "valid", "platform", "platformSource", "format", "resources", "hooks", "placeholders", "errors", "warnings"]);
    expect(doc).toMatchObject({ valid: true, platform: "lambda", format: "yaml", errors: [] });
    expect(doc.hooks.map((h: { event: string }) => h.event)).toEqual(["BeforeAllowTraffic", "AfterAllowTraffic"]);
  });

  it("--json includes the Server section for Server files", async () => {
    const doc = JSON.parse((await run("--json", join(FIXTURES, "server/valid/crlf-windows.yml"))).stdout);
    expect(doc.server).toMatchObject({ os: "windows", fileExistsBehavior: "OVERWRITE", fileExistsBehaviorGiven: true });
    expect(doc.resources[0]).toMatchObject({ source: "\\", destination: "c:\\inetpub\\wwwroot" });
  });

  it("--platform overrides detection (and is case-insensitive)", async () => {
    const r = await run("--platform", "LAMBDA", "--json", join(FIXTURES, "server/valid/minimal.yaml"));
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.platformSource).toBe("given");
    expect(doc.errors[0].path).toBe("Resources");
  });

  it("reads the appspec out of a zip bundle, with the bundle's safety checks", async () => {
    const r = await run(join(dir, "bundle.zip"));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("bundle.zip!appspec.yml: valid Server");
    const bad = await run(join(dir, "bundle.tar.gz"));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("line 1: version: version must be 0.0");
  });

  it.each([
    [[], /expected exactly one file, got 0/],
    [["a.yml", "b.yml"], /expected exactly one file, got 2/],
    [["--platform", "ec2", "x.yml"], /--platform must be one of server, lambda, ecs/],
    [["--bogus", "x.yml"], /Unknown option '--bogus'/],
    [["does-not-exist.yml"], /cannot read does-not-exist\.yml/],
  ])("%j → exit 2", async (argv, message) => {
    const r = await run(...(argv as string[]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("exits 2 for a directory and for a bundle without a root appspec", async () => {
    expect((await run(dir)).code).toBe(2);
    const r = await run(join(dir, "nested.zip"));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Bundle.NoAppSpec");
    expect(r.stderr).toContain("found app/appspec.yml");
  });

  it("--help prints usage, exit 0", async () => {
    const r = await run("--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("usage: stepdeploy validate <file>");
  });
});
