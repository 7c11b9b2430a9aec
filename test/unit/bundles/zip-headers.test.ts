import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import yazl from "yazl";
import { inspectBundle } from "../../../functions/domain/bundles/index.js";
import { APPSPEC } from "./build.js";
import { localRecord, type RawZipEntry, rawZip } from "./raw-zip.js";
import { refusal } from "./refusal.js";

const inspect = (zip: Buffer) => inspectBundle(Readable.from([zip]), "zip");
const APP: RawZipEntry = { name: "appspec.yml", data: APPSPEC, deflate: true };
const SCRIPT = "#!/bin/sh\necho ok\n";

describe("zip: local headers against the central directory", () => {
  it("accept a hand-written zip whose descriptions agree, with and without data descriptors", async () => {
    const r = await inspect(rawZip([APP, { name: "run.sh", data: SCRIPT, descriptor: true, deflate: true }, { name: "raw.bin", data: "xyz" }]));
    expect(r.entries.map((e) => [e.path, e.size])).toEqual([
      ["appspec.yml", APPSPEC.length],
      ["run.sh", SCRIPT.length],
      ["raw.bin", 3],
    ]);
  });

  it("accept Zip64 records (sizes in the Zip64 extra field and in 8-byte data descriptors)", async () => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from(APPSPEC), "appspec.yml", { forceZip64Format: true });
    zip.addReadStream(Readable.from([Buffer.from(SCRIPT)]), "run.sh", { forceZip64Format: true });
    zip.end({ forceZip64Format: true, comment: "" });
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
    const r = await inspect(Buffer.concat(chunks));
    expect(r.entries.map((e) => [e.path, e.size])).toEqual([
      ["appspec.yml", APPSPEC.length],
      ["run.sh", SCRIPT.length],
    ]);
  });

  it.each([
    ["a different name", { name: "run.sh", data: SCRIPT, local: { name: "evl.sh" } }, "name \"evl.sh\""],
    ["a different CRC-32", { name: "run.sh", data: SCRIPT, local: { crc32: 1234 } }, "CRC-32 1234"],
    ["a different compressed size", { name: "run.sh", data: SCRIPT, local: { compressedSize: 3 } }, "compressed size 3"],
    ["a different uncompressed size", { name: "run.sh", data: SCRIPT, local: { uncompressedSize: 3 } }, "uncompressed size 3"],
    ["a different compression method", { name: "run.sh", data: SCRIPT, local: { method: 8 } }, "compression method 8"],
    ["a data descriptor only one side announces", { name: "run.sh", data: SCRIPT, local: { flags: 0x808 } }, "data-descriptor flag set"],
    ["a data descriptor that disagrees", { name: "run.sh", data: SCRIPT, descriptor: true, after: { crc32: 99 } }, "(data descriptor) CRC-32 99"],
  ] as [string, RawZipEntry, string][])("refuse a local header with %s (Bundle.HeaderMismatch)", async (_what, entry, message) => {
    const e = await refusal(inspect(rawZip([APP, entry])));
    expect(e.name).toBe("Bundle.HeaderMismatch");
    expect(e.entry).toBe("run.sh");
    expect(e.message).toContain(`the local header says ${message}`);
  });

  it("refuse data whose CRC-32 differs from what both headers say (Bundle.Corrupt)", async () => {
    const e = await refusal(inspect(rawZip([APP, { name: "run.sh", data: SCRIPT, local: { crc32: 7 }, central: { crc32: 7 } }])));
    expect(e.name).toBe("Bundle.Corrupt");
    expect(e.message).toContain("its headers say 0x00000007");
  });

  it("refuse a local entry the central directory does not list (a streaming reader would extract it)", async () => {
    const e = await refusal(inspect(rawZip([APP, { name: "evil.sh", data: "rm -rf /", listed: false }, { name: "run.sh", data: SCRIPT }])));
    expect(e.name).toBe("Bundle.HeaderMismatch");
    expect(e.message).toContain("belong to no listed entry");
  });

  it("refuse a central directory that declares fewer entries than it holds", async () => {
    const e = await refusal(inspect(rawZip([APP, { name: "evil.sh", data: "rm -rf /" }], { declaredEntries: 1 })));
    expect(e.name).toBe("Bundle.HeaderMismatch");
    expect(e.message).toContain("after 'appspec.yml' belong to no listed entry");
  });

  it("refuse entries that share bytes (overlapping records, as in non-recursive zip bombs)", async () => {
    const inner: RawZipEntry = { name: "b.txt", data: "inner" };
    const outer: RawZipEntry = { name: "a.bin", data: localRecord(inner) };
    const innerOffset = 30 + "a.bin".length; // where a.bin's data, holding b.txt's local record, starts
    const e = await refusal(inspect(rawZip([outer, { ...inner, writeLocal: false, central: { offset: innerOffset } }, APP])));
    expect(e.name).toBe("Bundle.HeaderMismatch");
    expect(e.message).toContain("'b.txt' overlaps 'a.bin'");
  });
});
