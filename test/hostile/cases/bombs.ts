import { gzipSync } from "node:zlib";
import { APPSPEC } from "../../unit/bundles/build.js";
import { localRecord, rawZip } from "../../unit/bundles/raw-zip.js";
import type { HostileCase } from "../case.js";
import { type BundleInput, bundleSurface } from "../surfaces/bundle.js";
import { APPSPEC_ENTRY, archiveOf, bundleInput, zerosDeflated } from "./inputs.js";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/**
 * Where the caps themselves are shown (a bomb of moderate ratio that only maxExpandedBytes stops), at a smaller
 * scale: the same mechanism, a bound of 64 MiB instead of 2 GiB, so the case takes milliseconds.
 */
const SCALED = { maxExpandedBytes: 64 * MiB, maxEntryBytes: 64 * MiB, maxEntries: 100 };

/** A zip entry of `size` zeros, deflated, with honest headers. */
function zerosEntry(name: string, size: number, withCrc: boolean) {
  const { data, crc32 } = zerosDeflated(size, withCrc);
  const fields = { method: 8, crc32, uncompressedSize: size };
  return { name, data, local: fields, central: fields };
}

/** A ustar header (and nothing else) for a file of `size` bytes: all a reader has before the data. */
function tarHeaderOnly(name: string, size: number): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, "utf8");
  header.write("0000644\0", 100);
  header.write("0000000\0", 108);
  header.write("0000000\0", 116);
  header.write(`${size.toString(8).padStart(11, "0")}\0`, 124);
  header.write("00000000000\0", 136);
  header.write("        ", 148); // the checksum counts its own field as spaces
  header.write("0", 156);
  header.write("ustar\x0000", 257, "latin1");
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return header;
}

/** `count` gzip members of 1 MiB of zeros each (gunzip reads concatenated members as one stream), about 1 KiB apiece. */
function gzipMembersOfZeros(count: number): Buffer[] {
  return Array(count).fill(gzipSync(Buffer.alloc(MiB)));
}

const bomb = (name: string, expectMessage: string, generate: (dir: string) => Promise<BundleInput>): HostileCase<BundleInput> => ({
  class: "zip bombs and high ratios",
  name,
  surface: bundleSurface,
  generate,
  expectError: "Bundle.TooLarge",
  expectMessage,
});

export const bombCases: HostileCase[] = [
  bomb("zip: one entry of 3 GiB of zeros (3 MB archive)", "above maxEntryBytes", (dir) => bundleInput(dir, "zip", rawZip([{ name: "appspec.yml", data: APPSPEC }, zerosEntry("zeros.bin", 3 * GiB, false)]))),
  bomb("tgz: an entry declaring 3 GiB", "above maxEntryBytes", (dir) => bundleInput(dir, "tgz", gzipSync(tarHeaderOnly("zeros.bin", 3 * GiB)))),
  bomb("zip: entries of 48 MiB each past a 64 MiB total (scaled)", "past maxExpandedBytes", (dir) =>
    bundleInput(dir, "zip", rawZip([{ name: "appspec.yml", data: APPSPEC }, zerosEntry("a.bin", 48 * MiB, true), zerosEntry("b.bin", 48 * MiB, true)]), { limits: SCALED }),
  ),
  bomb("tgz: two entries of 48 MiB of zeros past a 64 MiB total (scaled)", "past maxExpandedBytes", async (dir) =>
    bundleInput(
      dir,
      "tgz",
      Buffer.concat([gzipSync(tarHeaderOnly("a.bin", 48 * MiB)), ...gzipMembersOfZeros(48), gzipSync(tarHeaderOnly("b.bin", 48 * MiB)), ...gzipMembersOfZeros(48)]),
      { limits: SCALED },
    ),
  ),
  bomb("zip: 1.5 GiB of zeros, declared honestly (1.5 MB archive)", "more than maxExpansionRatio 200 to 1", (dir) =>
    bundleInput(dir, "zip", rawZip([{ name: "appspec.yml", data: APPSPEC }, zerosEntry("zeros.bin", 1.5 * GiB, false)])),
  ),
  bomb("zip: 64 entries of 16 MiB of zeros each (1 GiB from 1 MB)", "more than maxExpansionRatio 200 to 1", (dir) => {
    const { data, crc32 } = zerosDeflated(16 * MiB);
    const fields = { method: 8, crc32, uncompressedSize: 16 * MiB };
    const entries = Array.from({ length: 64 }, (_, i) => ({ name: `z${i}.bin`, data, local: fields, central: fields }));
    return bundleInput(dir, "zip", rawZip([{ name: "appspec.yml", data: APPSPEC }, ...entries]));
  }),
  bomb("tgz: 1.5 GiB of zeros, declared honestly (1.5 MB archive)", "more than maxExpansionRatio 200 to 1", async (dir) =>
    bundleInput(dir, "tgz", Buffer.concat([gzipSync((await archiveOf("tar", [APPSPEC_ENTRY])).subarray(0, 1024)), gzipSync(tarHeaderOnly("zeros.bin", 1.5 * GiB)), ...gzipMembersOfZeros(1536)])),
  ),
  bomb("tgz: endless zero blocks after the entries", "more than maxExpansionRatio 200 to 1", async (dir) =>
    bundleInput(dir, "tgz", Buffer.concat([gzipSync((await archiveOf("tar", [APPSPEC_ENTRY])).subarray(0, 1024)), ...gzipMembersOfZeros(2048)])),
  ),
  {
    class: "zip bombs and high ratios",
    name: "zip: overlapping entries sharing one compressed body (a non-recursive bomb)",
    surface: bundleSurface,
    generate: (dir) => {
      const inner = { name: "b.bin", data: "kernel" };
      const outer = { name: "a.bin", data: localRecord(inner) };
      return bundleInput(dir, "zip", rawZip([outer, { ...inner, writeLocal: false, central: { offset: 30 + outer.name.length } }, { name: "appspec.yml", data: APPSPEC }]));
    },
    expectError: "Bundle.HeaderMismatch",
    expectMessage: "overlaps",
  },
  {
    class: "huge entry counts",
    name: "zip: a central directory declaring 65,535 entries",
    surface: bundleSurface,
    generate: (dir) => bundleInput(dir, "zip", rawZip([{ name: "appspec.yml", data: APPSPEC }], { declaredEntries: 65_535 })),
    expectError: "Bundle.TooLarge",
    expectMessage: "declares 65535 entries, above maxEntries 50000",
  },
  {
    class: "huge entry counts",
    name: "tgz: 50,001 empty files",
    surface: bundleSurface,
    generate: async (dir) => bundleInput(dir, "tgz", await archiveOf("tgz", [APPSPEC_ENTRY, ...Array.from({ length: 50_000 }, (_, i) => ({ name: `f/${i}`, content: "" }))])),
    expectError: "Bundle.TooLarge",
    expectMessage: "more than 50000 entries",
  },
];
