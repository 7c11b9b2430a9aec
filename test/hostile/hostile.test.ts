import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { APPSPEC } from "../unit/bundles/build.js";
import type { HostileCase } from "./case.js";
import { HOSTILE_CASES } from "./cases/index.js";
import { archiveOf, bundleInput } from "./cases/inputs.js";
import { bundleSurface } from "./surfaces/bundle.js";

/**
 * The hostile-input suite (docs/appspec.md "Hostile inputs"): every case is refused with its named error, the
 * message names the rule or limit, and nothing is left behind. Time and memory are measured by bench/hostile.ts.
 */
async function attempt(c: Pick<HostileCase, "generate" | "surface">) {
  const dir = await mkdtemp(join(tmpdir(), "stepdeploy-hostile-in-"));
  const sandbox = await mkdtemp(join(tmpdir(), "stepdeploy-hostile-"));
  try {
    return await c.surface.attempt(await c.generate(dir), sandbox);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(sandbox, { recursive: true, force: true });
  }
}

const classes = [...new Set(HOSTILE_CASES.map((c) => c.class))];

describe.each(classes)("hostile: %s", (cls) => {
  it.each(HOSTILE_CASES.filter((c) => c.class === cls).map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const result = await attempt(c);
    expect(result.error, "the input was accepted").toBeDefined();
    expect(result.error!.name).toBe(c.expectError);
    if (c.expectMessage) expect(result.error!.message).toContain(c.expectMessage);
    expect(result.changed).toEqual([]);
  });
});

describe("hostile: the suite's own checks", () => {
  it("see what an accepted bundle writes (so an empty 'changed' means something)", async () => {
    const result = await attempt({
      surface: bundleSurface,
      generate: async (dir) => bundleInput(dir, "tgz", await archiveOf("tgz", [{ name: "appspec.yml", content: APPSPEC }, { name: "web/index.html", content: "hi" }])),
    });
    expect(result.error).toBeUndefined();
    expect(result.changed).toEqual(["out", "out/appspec.yml", "out/web", "out/web/index.html"]);
  });

  it("cover every class of issue 8 and of the measured list", () => {
    expect(classes).toEqual(
      expect.arrayContaining([
        "path traversal",
        "absolute paths",
        "single-link escapes",
        "link chains",
        "hard link to symlink",
        "duplicates",
        "case-insensitive duplicates",
        "zip bombs and high ratios",
        "huge entry counts",
        "lying central directories",
        "local-header mismatches",
        "deep nesting",
        "billion laughs",
        "quadratic aliases",
        "YAML language tags",
        "prototype keys",
        "oversized appspecs",
        "malformed appspecs",
      ]),
    );
  });
});
