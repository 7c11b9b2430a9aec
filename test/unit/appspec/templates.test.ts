import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { memoryIO } from "../../../cli/io.js";
import { main } from "../../../cli/main.js";
import { type Platform, parseAppSpec } from "../../../functions/domain/appspec/index.js";
import { placeholdersIn } from "../../../functions/domain/appspec/placeholders.js";

/**
 * Appspec files kept as templates: every placeholder style validates as a template (warnings with lines, exit 0),
 * the structure around the placeholders is still checked, and `--strict` (like every deployment and release)
 * refuses each unrendered placeholder, naming its field.
 */
const DIR = join(import.meta.dirname, "../../fixtures/appspec-templates");
const FILES = readdirSync(DIR).filter((f) => /\.(ya?ml|json)$/.test(f));
const platformOf = (file: string): Platform => file.split("-")[0] as Platform;
const text = (file: string) => readFileSync(join(DIR, file), "utf8");

const VALUES: Record<string, string> = {
  STAGE: "prod",
  CURRENT_VERSION: "3",
  TARGET_VERSION: "4",
  TASK_DEFINITION: "web:7",
  PORT: "8080",
  SUBNET_A: "subnet-a",
  SUBNET_B: "subnet-b",
  SECURITY_GROUP: "sg-1",
  APP_NAME: "orders",
  START_TIMEOUT: "300",
  RUN_AS: "deploy",
};
/** What the pipeline does: every placeholder replaced by its value. */
const render = (t: string) => t.replace(/\{\{\s*(\w+)\s*\}\}|\$\{(\w+)\}|<(\w+)>/g, (_, a, b, c) => VALUES[a ?? b ?? c] ?? "x");

async function validate(...args: string[]) {
  const io = memoryIO({});
  const code = await main(["validate", ...args], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe.each(FILES)("%s", (file) => {
  const platform = platformOf(file);
  const tokens = placeholdersIn(text(file));

  it("is a valid template: one warning per placeholder, with its line; exit 0", async () => {
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    const r = parseAppSpec(text(file), { platform, allowPlaceholders: true });
    expect(r.errors).toEqual([]);
    expect(r.platform).toBe(platform);
    expect(r.placeholders.map((p) => p.token).sort()).toEqual([...tokens].sort());
    expect(r.warnings.filter((w) => w.message.startsWith("placeholder ")).map((w) => w.line)).toEqual(r.placeholders.map((p) => p.line).sort((a, b) => (a ?? 0) - (b ?? 0)));
    const lines = text(file).split("\n");
    for (const p of r.placeholders) expect(lines[(p.line ?? 0) - 1]).toContain(p.token);
    expect((await validate(join(DIR, file))).code).toBe(0);
  });

  it("is refused by --strict and by default: one error per placeholder naming its field", async () => {
    const r = parseAppSpec(text(file), { platform });
    expect(r.valid).toBe(false);
    expect(r.errors.map((e) => e.message)).toEqual(r.placeholders.map((p) => `placeholder ${p.token} has not been replaced: render the template before deploying`));
    for (const e of r.errors) expect(e.path).toMatch(/[A-Za-z]/);
    const cli = await validate("--strict", join(DIR, file));
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(`${r.errors.length} error`);
  });

  it("rendered, it is valid with --strict", () => {
    const r = parseAppSpec(render(text(file)), { platform });
    expect(r.errors).toEqual([]);
    expect(r.placeholders).toEqual([]);
  });
});

describe("the structure around placeholders is still checked", () => {
  it.each([
    ["a placeholder does not excuse a missing key", "lambda-shell.yml", (t: string) => t.replace(/\s+Alias: live\n/, "\n"), "Alias is required"],
    ["nor hooks written as a map", "ecs-mustache.yaml", (t: string) => t.replace("  - AfterAllowTestTraffic", "  AfterAllowTestTraffic"), "must be a list"],
    ["nor an unknown lifecycle event", "server-angle.yml", (t: string) => t.replace("ApplicationStart", "ApplicationStrat"), "ApplicationStrat"],
    ["nor a bad literal next to a placeholder", "ecs-shell.yaml", (t: string) => t.replace("AssignPublicIp: DISABLED", "AssignPublicIp: MAYBE"), "AssignPublicIp must be ENABLED or DISABLED"],
  ])("%s", (_, file, edit, message) => {
    const r = parseAppSpec(edit(text(file)), { platform: platformOf(file), allowPlaceholders: true });
    expect(r.valid).toBe(false);
    expect(r.errors.map((e) => e.message).join("\n")).toContain(message);
  });
});

describe("TaskDefinition: an ARN, family:revision or a family, as ECS accepts", () => {
  const ecs = (td: string) => render(text("ecs-shell.yaml")).replace("TaskDefinition: web:7", `TaskDefinition: ${td}`);
  it.each(["arn:aws:ecs:us-east-1:123456789012:task-definition/web:7", "web:7", "web"])("%s is valid", (td) => {
    const r = parseAppSpec(ecs(td), { platform: "ecs" });
    expect(r.errors).toEqual([]);
    expect(r.resources[0]).toMatchObject({ kind: "ecs-service", taskDefinition: td });
  });
  it.each(["web:0", "web:x", "arn:aws:ecs:us-east-1:123:task-definition/web:7", "we b"])("%s is refused, naming the forms", (td) => {
    const r = parseAppSpec(ecs(td), { platform: "ecs" });
    expect(r.errors).toEqual([expect.objectContaining({ path: "Resources[0].TargetService.Properties.TaskDefinition", message: expect.stringMatching(/^TaskDefinition must be a task definition ARN .*family:revision or a family/) })]);
  });
});

describe("property: any placeholder in any value position", () => {
  const bases = (["lambda-shell.yml", "ecs-shell.yaml", "server-shell.yml"] as const).map((f) => ({ platform: platformOf(f), text: render(text(f)) }));
  /** Lines `key: value` (or `- key: value`) whose value is a scalar: a value position. */
  const VALUE_LINE = /^(\s*(?:- )?[A-Za-z_]+: )([^[{\s#].*)$/;
  const placeholder = fc
    .tuple(fc.constantFrom("{{%}}", "{{ % }}", "$" + "{%}", "<%>"), fc.stringMatching(/^[A-Z][A-Z0-9_]{0,11}$/))  // "$" + "{%}": the shell style, split so it is not read as a template literal
    .map(([style, name]) => style.replace("%", name));

  it("is a warning in a template and an error naming the field with --strict; nothing else changes", () => {
    fc.assert(
      fc.property(fc.constantFrom(...bases), fc.nat(), placeholder, (base, pick, token) => {
        const lines = base.text.split("\n");
        const positions = lines.flatMap((l, i) => (VALUE_LINE.test(l) ? [i] : []));
        const at = positions[pick % positions.length] as number;
        lines[at] = (lines[at] as string).replace(VALUE_LINE, (_, key: string) => `${key}${token}`);
        const templ = lines.join("\n");
        const template = parseAppSpec(templ, { platform: base.platform, allowPlaceholders: true });
        expect(template.errors).toEqual([]);
        expect(template.warnings).toContainEqual(expect.objectContaining({ line: at + 1, message: expect.stringContaining(`placeholder ${token}`) }));
        const strict = parseAppSpec(templ, { platform: base.platform });
        expect(strict.errors).toEqual([expect.objectContaining({ line: at + 1, message: `placeholder ${token} has not been replaced: render the template before deploying` })]);
        expect(strict.errors[0]?.path).toMatch(new RegExp(`${(lines[at] as string).trim().replace(/^- /, "").split(":")[0]}$`));
      }),
      { numRuns: 150 },
    );
  });
});
