import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import validate from "../../../cli/commands/validate.js";
import { memoryIO } from "../../../cli/io.js";
import { main } from "../../../cli/main.js";
import { type Platform, parseAppSpec } from "../../../functions/domain/appspec/index.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const FIXTURES = join(ROOT, "test/fixtures/appspec");

interface Row {
  file: string;
  platform: Platform;
  verdict: "valid" | "invalid";
  errors: string[];
}

/** The README's table is the single list of fixtures and expectations. */
function readTable(): Row[] {
  const rows: Row[] = [];
  for (const line of readFileSync(join(FIXTURES, "README.md"), "utf8").split("\n")) {
    const m = /^\| `([^`]+)` \| .* \| (valid|invalid) \| (.*) \|$/.exec(line);
    if (!m) continue;
    const errors = m[3] === "—" ? [] : m[3]!.split("; ").map((e) => e.replace(/^`([^`]+)` @(\d+)$/, "$1 @$2"));
    rows.push({ file: m[1]!, platform: m[1]!.split("/")[0] as Platform, verdict: m[2] as Row["verdict"], errors });
  }
  return rows;
}

const rows = readTable();

describe("fixture table", () => {
  it("has a row for every fixture file and a file for every row", () => {
    const onDisk = (["server", "lambda", "ecs"] as const).flatMap((p) =>
      (["valid", "invalid"] as const).flatMap((v) => readdirSync(join(FIXTURES, p, v)).map((f) => `${p}/${v}/${f}`)),
    );
    expect(rows.map((r) => r.file).sort()).toEqual(onDisk.sort());
    expect(rows.length).toBeGreaterThanOrEqual(30);
  });

  it("puts every file in the directory of its verdict", () => {
    for (const r of rows) expect(r.file.split("/")[1], r.file).toBe(r.verdict);
  });
});

describe.each(rows)("$file", (row) => {
  const text = readFileSync(join(FIXTURES, row.file), "utf8");

  it(`is ${row.verdict} with exactly the listed errors`, () => {
    // As `validate` reads them: placeholders (CodePipeline's <TASK_DEFINITION>, ...) are a template's warnings.
    const result = parseAppSpec(text, { platform: row.platform, allowPlaceholders: true });
    const got = result.errors.map((e) => `${e.path} @${e.line}`);
    expect(got.sort(), JSON.stringify(result.errors, null, 1)).toEqual([...row.errors].sort());
    expect(result.valid).toBe(row.verdict === "valid");
    for (const e of result.errors) expect(e.message.length).toBeGreaterThan(10);
  });

  if (row.verdict === "valid") {
    it("is detected as its platform without --platform", () => {
      const result = parseAppSpec(text, { allowPlaceholders: true });
      expect(result.platform).toBe(row.platform);
      expect(result.platformSource).toBe("detected");
      expect(result.valid).toBe(true);
    });
  }

  it(`stepdeploy validate --platform ${row.platform} exits ${row.verdict === "valid" ? 0 : 1}`, async () => {
    const io = memoryIO();
    const code = await validate([join(FIXTURES, row.file), "--platform", row.platform], io);
    expect(code, io.stderr).toBe(row.verdict === "valid" ? 0 : 1);
    if (row.verdict === "invalid") {
      for (const e of row.errors) {
        const [path, line] = e.split(" @");
        expect(io.stderr).toContain(`line ${line}: ${path}:`);
      }
    }
  });

  it("stepdeploy validate --json prints one document agreeing with the exit code", async () => {
    const io = memoryIO();
    const code = await main(["validate", "--json", "--platform", row.platform, join(FIXTURES, row.file)], io);
    const doc = JSON.parse(io.stdout);
    expect(io.stdout.trim().split("\n")).toHaveLength(1);
    expect(doc.valid).toBe(row.verdict === "valid");
    expect(code).toBe(doc.valid ? 0 : 1);
    expect(doc.errors.map((e: { path: string; line: number }) => `${e.path} @${e.line}`).sort()).toEqual([...row.errors].sort());
  });
});

describe("the installed CLI (a real process)", () => {
  const run = (...args: string[]) =>
    promisify(execFile)(process.execPath, [join(ROOT, "bin/stepdeploy.mjs"), "validate", ...args], { cwd: ROOT }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it.each([
    ["ecs/valid/basic.yaml", 0],
    ["lambda/invalid/missing-target-version.yml", 1],
    ["server/nope.yml", 2],
  ])("%s → exit %i", async (file, code) => {
    const r = await run(join(FIXTURES, file));
    expect(r.code, r.stderr).toBe(code);
  });
});
