import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Metafile } from "esbuild";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { COMMANDS, type CommandName } from "../../../cli/command-table.js";
import { DIST, ROOT } from "../../../scripts/build-cli.mjs";

/**
 * What the CLI build (dist/, built by the global setup) loads for each command, read from esbuild's
 * metafile: the static import closure of an output is what Node loads before the command runs.
 */
const meta = JSON.parse(readFileSync(join(DIST, ".meta.json"), "utf8")) as Metafile;

/** `@aws-sdk/client-s3/x` -> `@aws-sdk/client-s3`, `yaml/util` -> `yaml`. */
const packageName = (path: string) => path.split("/").slice(0, path.startsWith("@") ? 2 : 1).join("/");

function staticClosure(output: string, kinds: readonly string[] = ["import-statement"]): { outputs: Set<string>; packages: Set<string> } {
  const outputs = new Set<string>();
  const packages = new Set<string>();
  const visit = (o: string) => {
    if (outputs.has(o)) return;
    outputs.add(o);
    for (const i of meta.outputs[o]?.imports ?? []) {
      if (!kinds.includes(i.kind)) continue;
      if (i.external) {
        if (!i.path.startsWith("node:")) packages.add(packageName(i.path));
      } else visit(i.path);
    }
  };
  visit(output);
  return { outputs, packages };
}

function outputOf(input: string): string {
  const found = Object.entries(meta.outputs).filter(([, o]) => Object.hasOwn(o.inputs, input));
  expect(found.map(([f]) => f), input).toHaveLength(1);
  return found[0]?.[0] as string;
}

const inputsOf = (outputs: Set<string>) => [...outputs].flatMap((o) => Object.keys(meta.outputs[o]?.inputs ?? {}));
const AWS = (p: string) => p.startsWith("@aws-sdk/") || p === "aws-local-stepfunctions";
const CALLS_AWS: CommandName[] = ["simulate", "run", "demo", "deploy", "status", "watch", "list", "history", "stop", "pause", "resume", "promote"];

describe("the CLI build", () => {
  it("help loads only the command table: no command module, no npm package", () => {
    const main = staticClosure("dist/cli/main.js");
    expect(inputsOf(main.outputs).filter((i) => i.startsWith("cli/commands/"))).toEqual([]);
    expect([...main.packages]).toEqual([]);
    // Every command is reachable only through a dynamic import of its own chunk.
    const dynamic = (meta.outputs["dist/cli/main.js"]?.imports ?? []).filter((i) => i.kind === "dynamic-import").map((i) => i.path);
    expect(dynamic.sort()).toEqual(Object.keys(COMMANDS).map((c) => outputOf(`cli/commands/${c}.ts`)).sort());
  });

  it.each(["schedule", "validate"] as const)("%s loads neither the AWS SDK nor the engine", (command) => {
    const { packages, outputs } = staticClosure(outputOf(`cli/commands/${command}.ts`));
    expect([...packages].filter(AWS)).toEqual([]);
    expect(inputsOf(outputs).filter((i) => i.startsWith("local/") || i.startsWith("functions/adapters/"))).toEqual([]);
  });

  // Ports load their adapter (and its SDK client) on first use (functions/wiring.ts): follow dynamic imports too.
  it.each(CALLS_AWS)("%s, which calls AWS, does reach the SDK (the check above can fail)", (command) => {
    expect([...staticClosure(outputOf(`cli/commands/${command}.ts`), ["import-statement", "dynamic-import"]).packages].some(AWS)).toBe(true);
  });

  it("every handler in serverless.yml is built where the local runtime looks for it", () => {
    const doc = parse(readFileSync(join(ROOT, "serverless.yml"), "utf8"), { logLevel: "silent" }) as { functions: Record<string, { handler: string }> };
    for (const { handler } of Object.values(doc.functions)) {
      const module = handler.slice(0, handler.lastIndexOf("."));
      expect(meta.outputs[`dist/${module}.js`]?.entryPoint, handler).toBe(`${module}.ts`);
    }
  });

  it("code that finds the package root two folders up from its own file is two folders below it in the build too", () => {
    for (const input of ["local/simulate/run-scenario.ts", "local/simulate/world.ts"]) {
      expect(outputOf(input), input).toMatch(/^dist\/chunks\/[^/]+\.js$/);
    }
  });

  it("npm packages it loads at run time are dependencies of the package, not devDependencies", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const used = new Set(Object.values(meta.outputs).flatMap((o) => o.imports.filter((i) => i.external && !i.path.startsWith("node:")).map((i) => packageName(i.path))));
    // Loaded with createRequire (invisible to the bundler): the emulators.
    for (const p of ["dynalite", "s3rver"]) used.add(p);
    expect([...used].filter((p) => !pkg.dependencies[p])).toEqual([]);
  });
});
