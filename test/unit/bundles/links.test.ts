import { describe, expect, it } from "vitest";
import { APPSPEC, type TestEntry } from "./build.js";
import { inspectEntries, refusal } from "./refusal.js";

const APPSPEC_ENTRY: TestEntry = { name: "appspec.yml", content: APPSPEC };

/** `a/b/c/up -> ../../..` is the root; `a/b/c/passwd -> up/../../../etc/passwd` stays inside by its text alone. */
const UP: TestEntry = { name: "a/b/c/up", symlink: "../../.." };
const THROUGH_UP: TestEntry = { name: "a/b/c/passwd", symlink: "up/../../../etc/passwd" };

describe.each(["zip", "tar", "tgz"] as const)("%s: links that point at or through links", (kind) => {
  it.each([
    ["a chain through an earlier link", [UP, THROUGH_UP], "a/b/c/passwd", "through the symlink 'a/b/c/up'"],
    ["a chain through a later link", [THROUGH_UP, UP], "a/b/c/passwd", "through the symlink 'a/b/c/up'"],
    ["a link to a link", [{ name: "x/l1", symlink: "../a" }, { name: "l2", symlink: "x/l1" }], "l2", "through the symlink 'x/l1'"],
    ["a link through a missing name back to a link", [UP, { name: "a/b/c/p", symlink: "nothing/../up/../../../etc/passwd" }], "a/b/c/p", "through the symlink 'a/b/c/up'"],
    ["a link to itself", [{ name: "loop", symlink: "loop/x" }], "loop", "through itself"],
    ["a link through a differently cased link", [{ name: "d/UP", symlink: ".." }, { name: "d/p", symlink: "up/../x" }], "d/p", "through the symlink 'd/UP'"],
  ] as const)("refuse %s", async (_what, entries, entry, message) => {
    const e = await refusal(inspectEntries(kind, [APPSPEC_ENTRY, ...entries]));
    expect(e.name).toBe("Bundle.UnsafePath");
    expect(e.entry).toBe(entry);
    expect(e.message).toContain(message);
  });

  it("accept links to files and directories that involve no other link", async () => {
    const r = await inspectEntries(kind, [
      APPSPEC_ENTRY,
      { name: "releases/v2/app.js", content: "x" },
      { name: "current", symlink: "releases/v2" },
      { name: "bin/app", symlink: "../releases/v2/app.js" },
      { name: "bin/dangling", symlink: "../not/there/../../releases" },
    ]);
    expect(r.entries.filter((e) => e.type === "symlink").map((e) => e.path)).toEqual(["current", "bin/app", "bin/dangling"]);
  });
});

describe.each(["tar", "tgz"] as const)("%s: hardlinks", (kind) => {
  it.each([
    ["a hardlink to a symlink", [{ name: "deep/a/b/l", symlink: "../../x" }, { name: "h", hardlink: "deep/a/b/l" }], "is a symlink"],
    ["a hardlink to a later entry", [{ name: "h", hardlink: "f" }, { name: "f", content: "x" }], "is not an earlier entry"],
    ["a hardlink to nothing in the bundle", [{ name: "h", hardlink: "etc/passwd" }], "is not an earlier entry"],
    ["a hardlink to a directory", [{ name: "d/", dir: true }, { name: "h", hardlink: "d" }], "is a directory"],
    ["a hardlink to a hardlink", [{ name: "f", content: "x" }, { name: "h1", hardlink: "f" }, { name: "h2", hardlink: "h1" }], "is a hardlink"],
    ["a hardlink spelled in another case", [{ name: "f", content: "x" }, { name: "h", hardlink: "F" }], "is spelled 'f'"],
  ] as const)("refuse %s", async (_what, entries, message) => {
    const e = await refusal(inspectEntries(kind, [APPSPEC_ENTRY, ...entries]));
    expect(e.name).toBe("Bundle.UnsafePath");
    expect(e.message).toContain(message);
  });
});
