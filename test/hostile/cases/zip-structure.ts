import { APPSPEC, lieAboutSizes, tarOf, zipOf } from "../../unit/bundles/build.js";
import { type RawZipEntry, rawZip } from "../../unit/bundles/raw-zip.js";
import type { HostileCase } from "../case.js";
import { type BundleInput, bundleSurface } from "../surfaces/bundle.js";
import { APPSPEC_ENTRY, archiveOf, bundleInput, inFormats, TAR_KINDS } from "./inputs.js";

const MiB = 1024 * 1024;
const APP: RawZipEntry = { name: "appspec.yml", data: APPSPEC, deflate: true };
const SCRIPT = "#!/bin/sh\necho ok\n";

const zipCase = (cls: string, name: string, entries: () => Buffer | Promise<Buffer>, expectError: string, expectMessage?: string): HostileCase<BundleInput> => ({
  class: cls,
  name,
  surface: bundleSurface,
  generate: async (dir) => bundleInput(dir, "zip", await entries()),
  expectError,
  expectMessage,
});

const mismatch = (name: string, entry: RawZipEntry, message: string) =>
  zipCase("local-header mismatches", name, () => rawZip([APP, entry]), "Bundle.HeaderMismatch", `the local header says ${message}`);

export const zipStructureCases: HostileCase[] = [
  zipCase(
    "lying central directories",
    "both headers declare 10 bytes for 8 MiB of zeros",
    async () => lieAboutSizes(await zipOf([APPSPEC_ENTRY, { name: "zeros.bin", content: Buffer.alloc(8 * MiB) }]), 10),
    "Bundle.TooLarge",
    "headers are not trusted",
  ),
  zipCase("lying central directories", "it declares fewer entries than it holds", () => rawZip([APP, { name: "evil.sh", data: "x" }], { declaredEntries: 1 }), "Bundle.HeaderMismatch", "belong to no listed entry"),
  zipCase("lying central directories", "a local entry it does not list", () => rawZip([APP, { name: "evil.sh", data: "x", listed: false }, { name: "run.sh", data: SCRIPT }]), "Bundle.HeaderMismatch", "belong to no listed entry"),
  zipCase("lying central directories", "an entry pointing into another's header", () => rawZip([APP, { name: "b.sh", data: SCRIPT, central: { offset: 10 } }]), "Bundle.Corrupt", "invalid local file header signature"),
  zipCase("lying central directories", "a directory offset past the end", () => {
    const zip = rawZip([APP]);
    zip.writeUInt32LE(0x7fffffff, zip.length - 6);
    return zip;
  }, "Bundle.Corrupt", "damaged"),
  mismatch("another name", { name: "run.sh", data: SCRIPT, local: { name: "evl.sh" } }, 'name "evl.sh"'),
  mismatch("another CRC-32", { name: "run.sh", data: SCRIPT, local: { crc32: 1 } }, "CRC-32 1"),
  mismatch("another compressed size", { name: "run.sh", data: SCRIPT, local: { compressedSize: 3 } }, "compressed size 3"),
  mismatch("another uncompressed size", { name: "run.sh", data: SCRIPT, local: { uncompressedSize: 3 } }, "uncompressed size 3"),
  mismatch("another compression method", { name: "run.sh", data: SCRIPT, local: { method: 8 } }, "compression method 8"),
  mismatch("a data descriptor the directory does not announce", { name: "run.sh", data: SCRIPT, local: { flags: 0x808 } }, "data-descriptor flag set"),
  mismatch("a data descriptor with another size", { name: "run.sh", data: SCRIPT, descriptor: true, after: { uncompressedSize: 99 } }, "(data descriptor) uncompressed size 99"),
  zipCase("local-header mismatches", "data whose CRC-32 both headers misstate", () => rawZip([APP, { name: "run.sh", data: SCRIPT, local: { crc32: 7 }, central: { crc32: 7 } }]), "Bundle.Corrupt", "its headers say 0x00000007"),
  zipCase("special and encrypted entries", "zip: a FIFO by its Unix mode", () => rawZip([APP, { name: "pipe", mode: 0o010644 }]), "Bundle.UnsupportedEntry", "special file"),
  zipCase(
    "special and encrypted entries",
    "zip: an encrypted entry",
    () => {
      // Traditional PKWARE encryption: a 12-byte encryption header before the (here stored) data.
      const encrypted = { flags: 0x801, uncompressedSize: 1 };
      return rawZip([APP, { name: "secret", data: "e".repeat(13), local: encrypted, central: encrypted }]);
    },
    "Bundle.UnsupportedEntry",
    "encrypted",
  ),
  ...inFormats("special and encrypted entries", "a FIFO", TAR_KINDS, [APPSPEC_ENTRY, { name: "p", tarType: "fifo" }], "Bundle.UnsupportedEntry", "fifo"),
  ...inFormats("special and encrypted entries", "a character device", TAR_KINDS, [APPSPEC_ENTRY, { name: "dev/tty", tarType: "character-device" }], "Bundle.UnsupportedEntry", "character-device"),
  ...inFormats("special and encrypted entries", "an appspec that is a symlink", ["zip", "tar"], [{ name: "appspec.yml", symlink: "other.yml" }, { name: "other.yml", content: APPSPEC }], "Bundle.UnsupportedEntry", "must be a regular file"),
  {
    class: "not an archive",
    name: "tgz bytes declared as zip",
    surface: bundleSurface,
    generate: async (dir) => bundleInput(dir, "zip", await tarOf([APPSPEC_ENTRY], true)),
    expectError: "Bundle.Corrupt",
    expectMessage: "look like tgz",
  },
  {
    class: "not an archive",
    name: "a truncated tgz",
    surface: bundleSurface,
    generate: async (dir) => {
      const whole = await archiveOf("tgz", [APPSPEC_ENTRY, { name: "r.bin", content: Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251)) }]);
      return bundleInput(dir, "tgz", whole.subarray(0, whole.length - 40));
    },
    expectError: "Bundle.Corrupt",
  },
  {
    class: "not an archive",
    name: "an unknown bundleType",
    surface: bundleSurface,
    generate: (dir) => bundleInput(dir, "tar.gz", "x"),
    expectError: "Bundle.InvalidBundleType",
    expectMessage: "bundleType must be one of",
  },
];
