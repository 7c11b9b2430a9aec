import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ReleaseErrorNames } from "../../../functions/domain/release/index.js";

const ROOT = new URL("../../../", import.meta.url);
const asl = readFileSync(new URL("statemachines/release.asl.json", ROOT), "utf8");
const named = Object.values(ReleaseErrorNames) as string[];

/** Every TypeScript file under functions/, as text. */
function sources(dir = new URL("functions/", ROOT)): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(new URL(`${e.name}/`, dir)) : e.name.endsWith(".ts") ? [readFileSync(new URL(e.name, dir), "utf8")] : [],
  );
}

describe("release error names", () => {
  it("every Release.* name the workflow uses is defined once, in domain/release/errors.ts", () => {
    const used = new Set(asl.match(/Release\.[A-Za-z]+/g));
    expect([...used].filter((n) => !named.includes(n))).toEqual([]);
    expect(new Set(named).size).toBe(named.length);
  });

  it("every defined name is raised by the workflow or by a handler", () => {
    const code = sources().join("\n");
    const keyOf = (value: string) => Object.entries(ReleaseErrorNames).find(([, v]) => v === value)?.[0];
    const raised = (n: string) => asl.includes(`"${n}"`) || code.includes(`ReleaseErrorNames.${keyOf(n)}`);
    expect(named.filter((n) => !raised(n))).toEqual([]);
  });
});
