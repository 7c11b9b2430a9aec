import fc from "fast-check";
import { truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { zipOf } from "../../unit/bundles/build.js";
import { rawZip } from "../../unit/bundles/raw-zip.js";
import type { HostileCase } from "../case.js";
import { type AppSpecInput, appSpecSurface } from "../surfaces/appspec.js";
import { type BundleInput, revisionSurface } from "../surfaces/bundle.js";
import { type FileInput, validateCliSurface } from "../surfaces/validate-cli.js";
import { bundleInput } from "./inputs.js";

const MiB = 1024 * 1024;
const SERVER = "version: 0.0\nos: linux\nfiles:\n  - source: /\n    destination: /var/www\n";
const LAMBDA = "version: 0.0\nResources:\n  - fn:\n      Type: AWS::Lambda::Function\n      Properties: {Name: fn, Alias: live, CurrentVersion: '1', TargetVersion: '2'}\n";

const text = (cls: string, name: string, body: string, expectMessage: string): HostileCase<AppSpecInput> => ({
  class: cls,
  name,
  surface: appSpecSurface,
  generate: () => ({ text: body }),
  expectError: "Deploy.InvalidAppSpec",
  expectMessage,
});

/** The same AppSpec as the appspec.yml of a zip revision, read as a release reads an upload. */
const zipped = (cls: string, name: string, body: string, expectMessage: string): HostileCase<BundleInput> => ({
  class: cls,
  name: `in a zip: ${name}`,
  surface: revisionSurface,
  generate: async (dir) => bundleInput(dir, "zip", await zipOf([{ name: "appspec.yml", content: body }])),
  expectError: "Deploy.InvalidAppSpec",
  expectMessage,
});

const both = (cls: string, name: string, body: string, expectMessage: string): HostileCase[] => [text(cls, name, body, expectMessage), zipped(cls, name, body, expectMessage)];

function laughs(levels: number): string {
  const lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
  for (let i = 1; i < levels; i++) lines.push(`l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(", ")}]`);
  return `${SERVER}${lines.join("\n")}\n`;
}

/** Text no AppSpec reader should accept: generated from a fixed seed (arbitrary strings, JSON values, YAML-ish lines). */
const garbage = fc.sample(
  fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.json({ maxDepth: 2 }),
    fc.array(fc.constantFrom("version: 0.0", "os: macos", "  - ", "hooks:", "\t- x", "{", "'", "Resources: []", ": :"), { maxLength: 6 }).map((lines) => lines.join("\n")),
  ),
  { seed: 8, numRuns: 16 },
);

export const appSpecCases: HostileCase[] = [
  ...both("deep nesting", "500,000 nested flow lists", `${SERVER}x: ${"[".repeat(500_000)}${"]".repeat(500_000)}\n`, "deeper than 64 levels"),
  ...both("deep nesting", "500,000 nested block lists on one line", `${SERVER}x:\n${"- ".repeat(500_000)}y\n`, "deeper than 64 levels"),
  ...both("deep nesting", "nesting built by aliases", `${SERVER}${Array.from({ length: 40 }, (_, i) => (i === 0 ? "d0: &d0 [[x]]" : `d${i}: &d${i} [[*d${i - 1}]]`)).join("\n")}\n`, "once aliases are expanded"),
  ...both("billion laughs", "9 levels of 10 (10^9 nodes)", laughs(9), "more than 20000 nodes"),
  ...both("billion laughs", "a recursive alias", `${SERVER}a: &a [x, *a]\n`, "refers to a node that contains it"),
  ...both("quadratic aliases", "20,000 alias references, one per line", `${SERVER}a: &a x\nl:\n${"  - *a\n".repeat(20_000)}`, "more than 10000 lines"),
  ...both("quadratic aliases", "99,000 alias references in one flow list", `${SERVER}a: &a x\nl: [${"*a,".repeat(99_000)}*a]\n`, "more than 1000 alias references"),
  ...both("quadratic aliases", "1,000 aliases to a 25-item list (the budget's edge)", `${SERVER}a: &a [${"x,".repeat(24)}x]\nl: [${"*a,".repeat(999)}*a]\n`, "more than 20000 nodes"),
  ...both("YAML language tags", "!ruby/object", `${SERVER}x: !ruby/object:Gem::Installer {i: x}\n`, "YAML tag !ruby/object:Gem::Installer is refused"),
  ...both("YAML language tags", "!!python/object/apply", `${SERVER}x: !!python/object/apply:os.system ['id']\n`, "is refused"),
  ...both("YAML language tags", "!!js/function in a hook", `${LAMBDA}Hooks:\n  - BeforeAllowTraffic: !!js/function 'function () {}'\n`, "is refused"),
  ...both("prototype keys", "__proto__ at the root", `${SERVER}__proto__: {polluted: true}\n`, "the key '__proto__' is refused"),
  ...both("prototype keys", "constructor.prototype", `${SERVER}x:\n  constructor: {prototype: {polluted: true}}\n`, "the key 'constructor' is refused"),
  ...both("prototype keys", "__proto__ as a Lambda logical name", `version: 0.0\nResources:\n  - __proto__: {Type: AWS::Lambda::Function, Properties: {Name: f, Alias: a, CurrentVersion: 1, TargetVersion: 2}}\n`, "the key '__proto__' is refused"),
  ...both("token floods", "262,000 one-character list items (1 MiB)", `${SERVER}l:\n${"- x\n".repeat(262_000)}`.slice(0, MiB), "more than 10000 lines"),
  ...both("token floods", "300,000 items in one flow list", `${SERVER}l: [${"1,".repeat(300_000)}1]\n`, "more than 20000 YAML tokens"),
  ...both("token floods", "a 1 MiB double-quoted string of escapes (the slowest accepted scalar)", `${LAMBDA.replace("Resources", "Resourcez")}x: "${"\\t".repeat((MiB - 400) / 2)}"\n`, "cannot tell the compute platform"),
  text("oversized appspecs", "bare: 1 MiB and 1 byte of text", `${SERVER}#${"x".repeat(MiB - SERVER.length)}\n`, "above the 1 MiB (1048576 bytes) limit for an AppSpec"),
  {
    class: "oversized appspecs",
    name: "bare: a 50 MB appspec.yml given to stepdeploy validate",
    surface: validateCliSurface,
    generate: async (dir): Promise<FileInput> => {
      const file = join(dir, "appspec.yml");
      await writeFile(file, SERVER);
      await truncate(file, 50 * 1000 * 1000);
      return { file };
    },
    expectError: "Bundle.TooLarge",
    expectMessage: "above the 1 MiB (1048576 bytes) limit for an AppSpec",
  },
  {
    class: "oversized appspecs",
    name: "in a zip: a 2 MiB appspec.yml",
    surface: revisionSurface,
    generate: async (dir) => bundleInput(dir, "zip", await zipOf([{ name: "appspec.yml", content: `${SERVER}#${"x".repeat(2 * MiB)}\n` }])),
    expectError: "Bundle.TooLarge",
    expectMessage: "appspec.yml declares",
  },
  {
    class: "oversized appspecs",
    name: "in a zip: a 2 MiB appspec.yml whose headers say 100 bytes",
    surface: revisionSurface,
    generate: (dir) => {
      const content = `${SERVER}#${"x".repeat(2 * MiB)}\n`;
      const lie = { uncompressedSize: 100 };
      return bundleInput(dir, "zip", rawZip([{ name: "appspec.yml", data: content, deflate: true, local: lie, central: lie }]));
    },
    expectError: "Bundle.TooLarge",
    expectMessage: "headers are not trusted",
  },
  {
    class: "oversized appspecs",
    name: "a YAML revision of 2 MiB",
    surface: revisionSurface,
    generate: (dir) => bundleInput(dir, "YAML", `${SERVER}#${"x".repeat(2 * MiB)}\n`),
    expectError: "Bundle.TooLarge",
    expectMessage: "limit for an AppSpec",
  },
  ...both("malformed appspecs", "tab indentation", "version: 0.0\nos: linux\nhooks:\n\tAfterInstall:\n", "tabs are not allowed"),
  ...both("malformed appspecs", "an unterminated quote", `${SERVER}x: "open\n`, "YAML syntax error"),
  ...both("malformed appspecs", "a list at the root", "- version: 0.0\n", "must be a map"),
  ...both("malformed appspecs", "an empty file", "", "empty"),
  ...both("malformed appspecs", "JSON with a trailing comma", '{"version": 0.0, "Resources": [],}', "not valid JSON"),
  ...both("malformed appspecs", "binary bytes", "\u0000\u0001\u0002PK\u0003\u0004\u00ff\u00fe", ""),
  ...garbage.map((body, i) => text("malformed appspecs", `generated #${i}: ${JSON.stringify(body).slice(0, 40)}`, body, "")),
];
