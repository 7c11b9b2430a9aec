import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BundleError, type BundleInspection, type InspectOptions, inspectBundle, normalizeEntryPath, resolveLinkTarget, sniff } from "../../../functions/domain/bundles/index.js";
import { APPSPEC, lieAboutSizes, renameInZip, tarOf, type TestEntry, zipOf } from "./build.js";
import { refusal } from "./refusal.js";

const MiB = 1024 * 1024;
const BASE: TestEntry[] = [
  { name: "appspec.yml", content: APPSPEC },
  { name: "scripts/", dir: true },
  { name: "scripts/after.sh", content: "#!/bin/sh\necho ok\n" },
];

type Kind = "zip" | "tar" | "tgz";
const build = (kind: Kind, entries: TestEntry[]) => (kind === "zip" ? zipOf(entries) : tarOf(entries, kind === "tgz"));
const stream = (buf: Buffer) => Readable.from([buf.subarray(0, 100), buf.subarray(100)]);


describe.each(["zip", "tar", "tgz"] as const)("%s bundles", (kind) => {
  it("list entries, return the appspec and extract requested entries", async () => {
    const r = await inspectBundle(stream(await build(kind, BASE)), kind, { extract: ["scripts/after.sh"] });
    expect(r.bundleType).toBe(kind);
    expect(r.appSpec).toEqual({ path: "appspec.yml", text: APPSPEC });
    expect(r.entries).toEqual([
      { path: "appspec.yml", type: "file", size: APPSPEC.length },
      { path: "scripts", type: "directory", size: 0 },
      { path: "scripts/after.sh", type: "file", size: 18 },
    ]);
    expect(r.expandedBytes).toBe(APPSPEC.length + 18);
    expect(r.extracted["scripts/after.sh"]!.toString()).toBe("#!/bin/sh\necho ok\n");
    expect(r.archiveBytes).toBeGreaterThan(0);
  });

  it("accept links that stay inside the root and a ./ prefix", async () => {
    const r = await inspectBundle(stream(await build(kind, [{ name: "./appspec.yml", content: APPSPEC }, { name: "bin/current", symlink: "../releases/v2" }])), kind);
    expect(r.entries.map((e) => [e.path, e.type, e.linkTarget])).toEqual([
      ["appspec.yml", "file", undefined],
      ["bin/current", "symlink", "../releases/v2"],
    ]);
  });

  it.each([
    ["a symlink climbing out", { name: "web/link", symlink: "../../etc" }, "Bundle.UnsafePath"],
    ["an absolute symlink", { name: "link", symlink: "/etc/passwd" }, "Bundle.UnsafePath"],
    ["a duplicate entry", { name: "appspec.yml", content: APPSPEC }, "Bundle.DuplicateEntry"],
    ["a file beneath a file", { name: "scripts/after.sh/x", content: "" }, "Bundle.DuplicateEntry"],
    ["a file where a directory was", { name: "scripts", content: "" }, "Bundle.DuplicateEntry"],
  ] as const)("reject %s", async (_what, extra, name) => {
    const e = await refusal(inspectBundle(stream(await build(kind, [...BASE, extra as TestEntry])), kind));
    expect(e.name).toBe(name);
  });

  it("refuse writing through a link inside the root", async () => {
    const e = await refusal(inspectBundle(stream(await build(kind, [...BASE, { name: "d", symlink: "scripts" }, { name: "d/evil.sh", content: "x" }])), kind));
    expect(e.name).toBe("Bundle.UnsafePath");
    expect(e.message).toContain("beneath the link 'd'");
  });

  it("stop a bomb at maxExpandedBytes", async () => {
    const bomb = await build(kind, [...BASE, { name: "zeros.bin", content: Buffer.alloc(16 * MiB) }]);
    expect(bomb.length).toBeLessThan(kind === "tar" ? 17 * MiB : 100 * 1024);
    const e = await refusal(inspectBundle(stream(bomb), kind, { limits: { maxExpandedBytes: 4 * MiB } }));
    expect(e.name).toBe("Bundle.TooLarge");
  });

  it("enforce maxEntries, maxEntryBytes and maxAppSpecBytes", async () => {
    const many = await build(kind, [...BASE, ...Array.from({ length: 20 }, (_, i) => ({ name: `f/${i}`, content: "x" }))]);
    expect((await refusal(inspectBundle(stream(many), kind, { limits: { maxEntries: 10 } }))).message).toContain("maxEntries");
    expect((await refusal(inspectBundle(stream(await build(kind, BASE)), kind, { limits: { maxEntryBytes: 100 } }))).message).toContain("maxEntryBytes");
    expect((await refusal(inspectBundle(stream(await build(kind, BASE)), kind, { limits: { maxAppSpecBytes: 50 } }))).message).toContain("maxAppSpecBytes");
  });

  it("say NoAppSpec, pointing at an appspec one level down", async () => {
    const e = await refusal(inspectBundle(stream(await build(kind, [{ name: "myapp/appspec.yml", content: APPSPEC }])), kind));
    expect(e.name).toBe("Bundle.NoAppSpec");
    expect(e.message).toContain("found myapp/appspec.yml");
  });

  it("prefer appspec.yml over appspec.yaml over appspec.json, and list all of them", async () => {
    const r = await inspectBundle(
      stream(await build(kind, [{ name: "appspec.json", content: "{}" }, { name: "appspec.yaml", content: "b" }, { name: "appspec.yml", content: "a" }])),
      kind,
    );
    expect(r.appSpec).toEqual({ path: "appspec.yml", text: "a" });
    expect(r.appSpecCandidates).toEqual(["appspec.json", "appspec.yaml", "appspec.yml"]);
    const json = await inspectBundle(stream(await build(kind, [{ name: "appspec.json", content: "{}" }])), kind);
    expect(json.appSpec.path).toBe("appspec.json");
  });

  it("stream extracted entries to onEntry with backpressure, and skip the rest when it returns early", async () => {
    const big = Buffer.alloc(3 * MiB, 7);
    const seen: Record<string, number> = {};
    const r = await inspectBundle(stream(await build(kind, [...BASE, { name: "pkg/code.zip", content: big }, { name: "pkg/skip.bin", content: big }])), kind, {
      extract: (p) => p.startsWith("pkg/"),
      onEntry: async (entry, content) => {
        if (entry.path === "pkg/skip.bin") return;
        let n = 0;
        for await (const chunk of content as AsyncIterable<Buffer>) {
          n += chunk.length;
          await new Promise((resolve) => setImmediate(resolve));
        }
        seen[entry.path] = n;
      },
    });
    expect(seen).toEqual({ "pkg/code.zip": 3 * MiB });
    expect(r.entries.find((e) => e.path === "pkg/skip.bin")!.size).toBe(3 * MiB);
    expect(r.extracted).toEqual({});
  });

  it("propagate an onEntry failure", async () => {
    const options: InspectOptions = {
      extract: ["scripts/after.sh"],
      onEntry: async () => {
        throw new Error("unpack failed");
      },
    };
    await expect(inspectBundle(stream(await build(kind, BASE)), kind, options)).rejects.toThrow("unpack failed");
  });

  it("bound buffered extraction by maxExtractBytes", async () => {
    const e = await refusal(inspectBundle(stream(await build(kind, BASE)), kind, { extract: () => true, limits: { maxExtractBytes: 10 } }));
    expect(e.message).toContain("maxExtractBytes");
  });
});

describe("zip specifics", () => {
  it.each([
    ["zip-slip", "AA/evil.sh", "../evil.sh", "climbs out"],
    ["absolute path", "Xetc/passwd", "/etc/passwd", "absolute"],
    ["drive letter", "XX/evil", "C:/evil", "absolute"],
    ["backslash slip", "AAAevil.sh", "..\\evil.sh", "climbs out"],
  ])("rejects %s with Bundle.UnsafePath", async (_what, from, to, message) => {
    const zip = renameInZip(await zipOf([...BASE, { name: from, content: "x" }]), from, to);
    const e = await refusal(inspectBundle(stream(zip), "zip"));
    expect(e.name).toBe("Bundle.UnsafePath");
    expect(e.entry).toBe(to);
    expect(e.message).toContain(message);
  });

  it("does not trust declared sizes: an entry inflating past its header is refused while streaming", async () => {
    const zip = lieAboutSizes(await zipOf([{ name: "appspec.yml", content: APPSPEC }, { name: "zeros.bin", content: Buffer.alloc(8 * MiB) }]), 10);
    const e = await refusal(inspectBundle(stream(zip), "zip"));
    expect(e.name).toBe("Bundle.TooLarge");
    expect(e.message).toContain("headers are not trusted");
  });

  it("reads a zip from a file path without copying it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "stepdeploy-zip-"));
    try {
      await writeFile(join(dir, "b.zip"), await zipOf(BASE));
      const r = await inspectBundle({ path: join(dir, "b.zip") }, "zip");
      expect(r.appSpec.path).toBe("appspec.yml");
      await expect(inspectBundle({ path: join(dir, "b.zip") }, "zip", { limits: { maxArchiveBytes: 10 } })).rejects.toThrow("maxArchiveBytes");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("cleans up its temp file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "stepdeploy-spool-"));
    try {
      await inspectBundle(stream(await zipOf(BASE)), "zip", { tempDir: dir });
      await refusal(inspectBundle(stream(await zipOf([{ name: "x", content: "y" }])), "zip", { tempDir: dir }));
      const { readdir } = await import("node:fs/promises");
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("tar specifics", () => {
  it.each([
    ["tar-slip", { name: "../evil.sh", content: "x" }, "Bundle.UnsafePath"],
    ["absolute path", { name: "/etc/cron.d/evil", content: "x" }, "Bundle.UnsafePath"],
    ["hardlink out of the root", { name: "h", hardlink: "../../etc/shadow" }, "Bundle.UnsafePath"],
    ["hardlink to an absolute path", { name: "h", hardlink: "/etc/shadow" }, "Bundle.UnsafePath"],
    ["fifo", { name: "p", tarType: "fifo" }, "Bundle.UnsupportedEntry"],
    ["character device", { name: "dev", tarType: "character-device" }, "Bundle.UnsupportedEntry"],
  ] as const)("rejects %s", async (_what, extra, name) => {
    for (const kind of ["tar", "tgz"] as const) {
      const e = await refusal(inspectBundle(stream(await tarOf([...BASE, extra as TestEntry], kind === "tgz")), kind));
      expect(e.name).toBe(name);
    }
  });

  it("accepts a hardlink to an entry inside the root", async () => {
    const r = await inspectBundle(stream(await tarOf([...BASE, { name: "scripts/again.sh", hardlink: "scripts/after.sh" }])), "tar");
    expect(r.entries.at(-1)).toEqual({ path: "scripts/again.sh", type: "hardlink", size: 0, linkTarget: "scripts/after.sh" });
  });
});

describe("YAML and JSON revisions", () => {
  it.each(["YAML", "JSON"] as const)("%s: the object is the appspec", async (type) => {
    const r: BundleInspection = await inspectBundle(stream(Buffer.from(APPSPEC)), type);
    expect(r.appSpec).toEqual({ path: "(object)", text: APPSPEC });
    expect(r.entries).toEqual([]);
    await expect(inspectBundle(stream(Buffer.from(APPSPEC)), type, { limits: { maxAppSpecBytes: 10 } })).rejects.toMatchObject({ name: "Bundle.TooLarge" });
  });

  it("refuse a file above the AppSpec cap by its size, before reading it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "stepdeploy-bare-"));
    try {
      const file = join(dir, "appspec.yml");
      await writeFile(file, "");
      await truncate(file, 50 * MiB); // sparse: nothing to read in the time a test has, were it read
      const e = await refusal(inspectBundle({ path: file }, "YAML"));
      expect(e.name).toBe("Bundle.TooLarge");
      expect(e.message).toBe(`the YAML revision is ${50 * MiB} bytes, above the 1 MiB (1048576 bytes) limit for an AppSpec (maxAppSpecBytes)`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the appspec inside a bundle", () => {
  it("is refused by its declared size before it is inflated, and by its real size when the header lies", async () => {
    const big = `${APPSPEC}#${"x".repeat(MiB)}\n`;
    for (const kind of ["zip", "tar"] as const) {
      const declared = await refusal(inspectBundle(stream(await build(kind, [{ name: "appspec.yml", content: big }])), kind));
      expect(declared.message).toContain("appspec.yml declares");
      expect(declared.message).toContain("above the 1 MiB (1048576 bytes) limit for an AppSpec");
    }
    const lying = await refusal(inspectBundle(stream(lieAboutSizes(await zipOf([{ name: "appspec.yml", content: big }]), 100)), "zip"));
    expect(lying.name).toBe("Bundle.TooLarge");
  });
});

describe("wrong input", () => {
  it("rejects bundle types CodeDeploy does not have (case-sensitive)", async () => {
    for (const t of ["yaml", "ZIP", "tar.gz", ""]) {
      expect((await refusal(inspectBundle(stream(Buffer.from("x")), t))).name).toBe("Bundle.InvalidBundleType");
    }
  });

  it.each([
    ["tgz", "zip", "look like tgz"],
    ["zip", "tgz", "look like zip"],
    ["zip", "tar", "look like zip"],
  ] as const)("%s bytes declared as %s → Bundle.Corrupt saying what they look like", async (actual, declared, message) => {
    const e = await refusal(inspectBundle(stream(await build(actual, BASE)), declared));
    expect(e.name).toBe("Bundle.Corrupt");
    expect(e.message).toContain(message);
  });

  it("rejects truncated archives", async () => {
    for (const kind of ["zip", "tgz"] as const) {
      const whole = await build(kind, [...BASE, { name: "r.bin", content: Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251)) }]);
      const e = await refusal(inspectBundle(stream(whole.subarray(0, whole.length - 40)), kind));
      expect(e.name).toBe("Bundle.Corrupt");
    }
  });
});

describe("entry paths", () => {
  it("normalises harmless spellings", () => {
    expect(normalizeEntryPath("./a//b/./c")).toEqual({ path: "a/b/c", isDir: false });
    expect(normalizeEntryPath("a\\b\\")).toEqual({ path: "a/b", isDir: true });
    expect(normalizeEntryPath("./")).toEqual({ path: "", isDir: true });
  });

  it("never returns a path that leaves the root (property)", () => {
    const segment = fc.constantFrom("a", "b", ".", "..", "", "c.txt", "\\", "C:", "/");
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), fc.array(segment, { maxLength: 8 }), (nameParts, targetParts) => {
        const name = nameParts.join("/");
        let normalized: string | undefined;
        try {
          normalized = normalizeEntryPath(name).path;
        } catch (e) {
          expect((e as BundleError).name).toBe("Bundle.UnsafePath");
          return;
        }
        expect(normalized.split("/")).not.toContain("..");
        expect(normalized.startsWith("/")).toBe(false);
        const resolved = resolveLinkTarget(normalized, targetParts.join("/"));
        if (resolved !== undefined) {
          expect(resolved.split("/")).not.toContain("..");
          expect(resolved.startsWith("/")).toBe(false);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("sniffs formats", async () => {
    expect(sniff(await zipOf(BASE))).toBe("zip");
    expect(sniff(await tarOf(BASE, true))).toBe("tgz");
    expect(sniff(await tarOf(BASE))).toBe("tar");
    expect(sniff(Buffer.from('{"version": 0.0}'))).toBe("JSON");
    expect(sniff(Buffer.from("version: 0.0"))).toBe("YAML");
  });
});
