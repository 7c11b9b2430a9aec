import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { INVALID_APPSPEC } from "../../../functions/domain/appspec/parse.js";
import { BundleErrorNames } from "../../../functions/domain/bundles/errors.js";
import { ErrorNames } from "../../../functions/domain/errors.js";
import { PipelineErrorNames } from "../../../functions/domain/pipeline/errors.js";
import { RegistryErrorNames } from "../../../functions/domain/registry/errors.js";
import { ReleaseErrorNames } from "../../../functions/domain/release/errors.js";
import { PROJECT_ROOT } from "../../../local/simulate/run-scenario.js";

/**
 * One error catalogue: every `Deploy.*` name is defined in functions/domain/errors.ts (the other areas keep
 * theirs: bundles, releases, the appspec parser), every name an ASL Retry/Catch or Fail state uses is in it, and
 * every catalogued Deploy name is thrown, caught or ended with somewhere.
 */
const CATALOGUE = new Set<string>([...Object.values(ErrorNames), ...Object.values(BundleErrorNames), ...Object.values(ReleaseErrorNames), ...Object.values(PipelineErrorNames), ...Object.values(RegistryErrorNames), INVALID_APPSPEC]);
const OURS = /^(Deploy|Release|Bundle|Pipeline|Registry)\./;

function files(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name), ext) : e.name.endsWith(ext) ? [join(dir, e.name)] : []));
}
const machines = files(join(PROJECT_ROOT, "statemachines"), ".asl.json");
const sources = files(join(PROJECT_ROOT, "functions"), ".ts");
/** Code without its comments (a name mentioned in a doc comment is not a use). */
const code = (file: string) =>
  readFileSync(file, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "");

function aslNames(): { machine: string; state: string; name: string }[] {
  const out: { machine: string; state: string; name: string }[] = [];
  const walk = (machine: string, states: Record<string, Record<string, unknown>>) => {
    for (const [state, s] of Object.entries(states)) {
      for (const r of [...((s.Retry as { ErrorEquals: string[] }[]) ?? []), ...((s.Catch as { ErrorEquals: string[] }[]) ?? [])]) for (const name of r.ErrorEquals) out.push({ machine, state, name });
      // Fail and Pass states name Deploy errors too (the release area's Fail states are its own).
      const p = s.Parameters as Record<string, unknown> | undefined;
      for (const named of [s.Error, s.Type === "Pass" ? p?.Error : undefined]) if (typeof named === "string" && named.startsWith("Deploy.")) out.push({ machine, state, name: named });
      for (const b of (s.Branches as { States: Record<string, Record<string, unknown>> }[]) ?? []) walk(machine, b.States);
    }
  };
  for (const m of machines) walk(m.slice(PROJECT_ROOT.length), (JSON.parse(readFileSync(m, "utf8")) as { States: Record<string, Record<string, unknown>> }).States);
  return out;
}

describe("the error catalogue", () => {
  it("every Deploy/Release/Bundle name in any state machine's Retry, Catch or Fail is catalogued", () => {
    const names = aslNames().filter((n) => OURS.test(n.name));
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((n) => !CATALOGUE.has(n.name))).toEqual([]);
  });

  it("every Deploy name is defined once: no other source file spells one out", () => {
    const spelled = sources
      .filter((f) => !f.endsWith(join("functions", "domain", "errors.ts")) && !f.endsWith(join("appspec", "parse.ts")))
      .flatMap((f) => [...code(f).matchAll(/["'`](Deploy\.[A-Za-z]+)["'`]/g)].map((m) => `${f.slice(PROJECT_ROOT.length)}: ${m[1]}`));
    expect(spelled).toEqual([]);
  });

  it("every catalogued Deploy name is thrown, caught or ended with somewhere", () => {
    const used = new Set(aslNames().map((n) => n.name));
    const everything = sources.map(code).join("\n");
    const unused = Object.entries(ErrorNames).filter(([key, name]) => !used.has(name) && !new RegExp(`ErrorNames\\.${key}\\b`).test(everything));
    expect(unused).toEqual([]);
  });
});
