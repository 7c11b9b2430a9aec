import { describe, expect, it } from "vitest";
import { APPSPEC, type TestEntry } from "./build.js";
import { inspectEntries, refusal } from "./refusal.js";

const WITH_APPSPEC = (more: TestEntry[]): TestEntry[] => [{ name: "appspec.yml", content: APPSPEC }, ...more];

/** Names that are one file on a case-insensitive filesystem (Windows, macOS), where the CodeDeploy agent also runs. */
describe.each(["zip", "tar", "tgz"] as const)("%s: names that differ only in case", (kind) => {
  it.each([
    ["two appspecs", WITH_APPSPEC([{ name: "APPSPEC.YML", content: "version: 0.0\nos: windows\n" }]), "'appspec.yml' and 'APPSPEC.YML' differ only in letter case"],
    ["two files", WITH_APPSPEC([{ name: "web/Index.html", content: "a" }, { name: "web/index.html", content: "b" }]), "'web/Index.html' and 'web/index.html'"],
    ["two files in directories spelled apart", WITH_APPSPEC([{ name: "Web/x", content: "a" }, { name: "web/x", content: "b" }]), "'Web/x' and 'web/x'"],
    ["composed and decomposed accents", WITH_APPSPEC([{ name: "caf\u00e9", content: "a" }, { name: "cafe\u0301", content: "b" }]), "differ only in letter case"],
  ] as const)("refuse %s with Bundle.DuplicateEntry", async (_what, entries, message) => {
    const e = await refusal(inspectEntries(kind, [...entries]));
    expect(e.name).toBe("Bundle.DuplicateEntry");
    expect(e.message).toContain(message);
  });

  it("refuse writing beneath a link spelled in another case", async () => {
    const e = await refusal(inspectEntries(kind, WITH_APPSPEC([{ name: "D", symlink: "web" }, { name: "d/evil.sh", content: "x" }])));
    expect(e.name).toBe("Bundle.UnsafePath");
    expect(e.message).toContain("beneath the link 'D'");
  });

  it("accept directories spelled apart that hold different files (one directory on Windows, two on Linux)", async () => {
    const r = await inspectEntries(kind, WITH_APPSPEC([{ name: "Web/a", content: "a" }, { name: "web/b", content: "b" }]));
    expect(r.entries.map((e) => e.path)).toEqual(["appspec.yml", "Web/a", "web/b"]);
  });

  it("explain a NoAppSpec when the only appspec is spelled in another case", async () => {
    const e = await refusal(inspectEntries(kind, [{ name: "AppSpec.yml", content: APPSPEC }]));
    expect(e.name).toBe("Bundle.NoAppSpec");
    expect(e.message).toContain("found AppSpec.yml: the name is case-sensitive");
  });
});

describe.each(["zip", "tar", "tgz"] as const)("%s: names that cannot be extracted", (kind) => {
  it.each([
    ["a name longer than PATH_MAX", `${"d/".repeat(2100)}f`, "-byte name, above maxPathBytes 4096"],
    ["a component longer than NAME_MAX", `dir/${"n".repeat(256)}`, "256-byte name component"],
  ])("refuse %s with Bundle.TooLarge", async (_what, name, message) => {
    const e = await refusal(inspectEntries(kind, WITH_APPSPEC([{ name, content: "x" }])));
    expect(e.name).toBe("Bundle.TooLarge");
    expect(e.message).toContain(message);
  });

  it("refuse a link target longer than maxLinkTargetBytes", async () => {
    const e = await refusal(inspectEntries(kind, WITH_APPSPEC([{ name: "l", symlink: "a/".repeat(2100) }])));
    expect(e.name).toBe("Bundle.TooLarge");
    expect(e.message).toContain("target longer than 4096 bytes");
  });
});
